import { fileURLToPath } from 'node:url';

import express from 'express';
import type { Express, NextFunction, Request, Response } from 'express';
import type Provider from 'oidc-provider';

import { ROUTES } from './context.ts';
import type { TenantContext } from './context.ts';
import { graphRouter } from './graph.ts';
import type { GraphTokenVerifier } from './graph-auth.ts';
import { ASSETS_PATH } from './html.ts';
import { interactionRouter } from './interactions.ts';
import { errorPage, homePage } from './pages.ts';
import { trafficMiddleware } from './traffic.ts';
import type { CountedEndpoint, FaultQueue, RequestLog } from './traffic.ts';
import type { AppShape } from './shapes/types.ts';

/** The dev tenant's pages: own CSS and JS only, no inline anything, no framing. */
export const PAGE_CSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'";

/** Dependencies of {@link createTenantApp}. */
export interface TenantAppDeps {
  tenant: TenantContext;
  provider: Provider;
  verify: GraphTokenVerifier;
  log: RequestLog;
  faults: FaultQueue;
  signal: AbortSignal;
  /** External ID or B2C: its own mounts and counters, served before (hence instead of) the Entra routes. */
  shape?: AppShape | undefined;
  /** More authorities served by the same app, each with its own provider (e.g. `/organizations`). */
  extraMounts?: ReadonlyArray<{ tenant: TenantContext; provider: Provider }> | undefined;
}

function classifier(mountPaths: readonly string[]) {
  const exact = new Map<string, CountedEndpoint>(mountPaths.flatMap((m): Array<[string, CountedEndpoint]> => [
    [`${m}${ROUTES.discovery}`, 'discovery'],
    [`${m}/.well-known/openid-configuration`, 'discovery'],
    [`${m}${ROUTES.jwks}`, 'jwks'],
    [`${m}${ROUTES.authorization}`, 'authorize'],
    [`${m}${ROUTES.token}`, 'token'],
    [`${m}${ROUTES.end_session}`, 'endSession'],
  ]));
  return (req: Request): CountedEndpoint | undefined => {
    if (req.path === '/v1.0' || req.path.startsWith('/v1.0/')) return 'graph';
    return exact.get(req.path);
  };
}

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set({
    'Content-Security-Policy': PAGE_CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'X-Dev-Tenant': 'not-microsoft-entra-id',
  });
  next();
}

/**
 * Entra serves discovery at `/{tenant}/v2.0/.well-known/openid-configuration`; oidc-provider at
 * `{mount}/.well-known/openid-configuration`. Rewrite both `req.url` and `req.originalUrl`:
 * oidc-provider derives its mount path (hence every endpoint URL) from the pair.
 */
function entraDiscovery(tenant: TenantContext, callback: ReturnType<Provider['callback']>) {
  return (req: Request, res: Response): void => {
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    req.url = `/.well-known/openid-configuration${query}`;
    req.originalUrl = `${tenant.mountPath}${req.url}`;
    void callback(req, res);
  };
}

function notFound(tenant: TenantContext) {
  return (_req: Request, res: Response): void => {
    res.status(404).type('html').send(errorPage({ error: 'not_found', description: 'There is no such page in the development tenant.', footer: tenant.footer }));
  };
}

function failure(tenant: TenantContext) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    const status = (err as { status?: unknown } | undefined)?.status;
    if (status === 404) return notFound(tenant)(req, res);
    const clientError = typeof status === 'number' && status >= 400 && status < 500;
    res.status(clientError ? status : 500).type('html').send(errorPage({
      error: clientError ? 'invalid_request' : 'server_error',
      description: clientError ? 'AADSTS90014: The request is malformed.' : 'AADSTS50000: The development tenant failed to handle this request.',
      footer: tenant.footer,
    }));
  };
}

/**
 * Assembles the tenant's single HTTPS app: assets, counters and faults, Entra's discovery path,
 * the sign-in pages, the Graph emulator at `/v1.0`, and oidc-provider mounted at `/{tenantId}`.
 */
export function createTenantApp(deps: TenantAppDeps): Express {
  const { tenant, provider } = deps;
  const extraMounts = deps.extraMounts ?? [];
  const callback = provider.callback();
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);
  app.use(ASSETS_PATH, express.static(fileURLToPath(new URL('./public/', import.meta.url)), { fallthrough: false, maxAge: '1h' }));
  const mountPaths = [tenant.mountPath, ...extraMounts.map((m) => m.tenant.mountPath)];
  app.use(trafficMiddleware({ classify: deps.shape?.classify ?? classifier(mountPaths), log: deps.log, faults: deps.faults, signal: deps.signal }));
  deps.shape?.mount(app, provider);
  app.get(`${tenant.mountPath}${ROUTES.discovery}`, entraDiscovery(tenant, callback));
  app.use(`${tenant.mountPath}${ROUTES.interaction}`, interactionRouter(provider, tenant));
  app.use('/v1.0', graphRouter({ tenant, verify: deps.verify, log: deps.log }));
  app.use(tenant.mountPath, (req, res) => void callback(req, res));
  for (const extra of extraMounts) {
    const extraCallback = extra.provider.callback();
    app.get(`${extra.tenant.mountPath}${ROUTES.discovery}`, entraDiscovery(extra.tenant, extraCallback));
    app.use(`${extra.tenant.mountPath}${ROUTES.interaction}`, interactionRouter(extra.provider, extra.tenant));
    app.use(extra.tenant.mountPath, (req, res) => void extraCallback(req, res));
  }
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  app.get('/', (_req, res) => {
    res.type('html').send(homePage({
      discoveryUrl: `${tenant.origin}${tenant.mountPath}${ROUTES.discovery}`,
      authority: `${tenant.origin}${tenant.mountPath}`,
      graphEndpoint: tenant.graphEndpoint,
      users: tenant.users.users,
      footer: tenant.footer,
    }));
  });
  app.use(notFound(tenant));
  app.use(failure(tenant));
  return app;
}
