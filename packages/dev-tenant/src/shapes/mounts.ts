/**
 * Plumbing the customer shapes share: one oidc-provider served under several mounts (each with
 * Entra's discovery path and its own sign-in pages), counters for every mount, query rewriting in
 * oidc-provider's Koa context, and finishing a sign-in.
 */
import type { IncomingMessage } from 'node:http';

import express from 'express';
import type { Express, Request, Response, Router } from 'express';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

import { ROUTES } from '../context.ts';
import { grantRequested } from '../interactions.ts';
import type { Interaction } from '../interactions.ts';
import type { CountedEndpoint } from '../traffic.ts';

/** The provider mount the current request came through, as requested (e.g. "/devtenantb2c.onmicrosoft.com/B2C_1_susi"). */
export function mountOf(ctx: KoaContextWithOIDC): string {
  return new URL(ctx.oidc.urlFor('authorization')).pathname.slice(0, -ROUTES.authorization.length);
}

/** interactions.url: the sign-in pages under the mount the authorize request used. */
export function interactionUrlAtMount(ctx: KoaContextWithOIDC, interaction: { uid: string }): string {
  return `${mountOf(ctx)}${ROUTES.interaction}/${interaction.uid}`;
}

/** True for oidc-provider's GET authorize request. */
export function isAuthorize(ctx: KoaContextWithOIDC): boolean {
  return ctx.method === 'GET' && ctx.path === ROUTES.authorization;
}

/**
 * Replaces the query of the request in oidc-provider's Koa context (Express 5's `req.query` is a
 * getter) and keeps `req.originalUrl` in step: oidc-provider derives its mount path from the pair.
 */
export function setQuery(ctx: KoaContextWithOIDC, query: Record<string, string | string[] | undefined>): void {
  ctx.query = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<string, string | string[]>;
  const req = ctx.req as IncomingMessage & { originalUrl?: string; baseUrl?: string };
  req.originalUrl = `${req.baseUrl ?? ''}${req.url ?? ''}`;
}

/** Counters for every mount: discovery (both spellings), keys, authorize, token, logout; Graph. Case-insensitive. */
export function classifierFor(mounts: readonly string[]) {
  const exact = new Map<string, CountedEndpoint>();
  for (const mount of mounts.map((m) => m.toLowerCase())) {
    exact.set(`${mount}${ROUTES.discovery}`, 'discovery');
    exact.set(`${mount}/.well-known/openid-configuration`, 'discovery');
    exact.set(`${mount}${ROUTES.jwks}`, 'jwks');
    exact.set(`${mount}${ROUTES.authorization}`, 'authorize');
    exact.set(`${mount}${ROUTES.token}`, 'token');
    exact.set(`${mount}${ROUTES.end_session}`, 'endSession');
  }
  return (req: { path: string }): CountedEndpoint | undefined => {
    if (req.path === '/v1.0' || req.path.startsWith('/v1.0/')) return 'graph';
    return exact.get(req.path.toLowerCase());
  };
}

/**
 * Serves the provider under `mount`, matched case-insensitively (like Express's default) but always
 * spelled as configured towards oidc-provider, which derives every endpoint URL from the pair
 * `baseUrl`/`originalUrl`: Entra's discovery path `{mount}/v2.0/.well-known/openid-configuration`,
 * the sign-in pages, then every oidc-provider route.
 */
export function mountProvider(app: Express, mount: string, provider: Provider, pages: Router): void {
  const callback = provider.callback();
  const serve = (req: Request, res: Response): void => {
    req.baseUrl = mount;
    req.originalUrl = `${mount}${req.url}`;
    void callback(req, res);
  };
  const router = express.Router();
  router.get(ROUTES.discovery, (req: Request, res: Response) => {
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    req.url = `/.well-known/openid-configuration${query}`;
    serve(req, res);
  });
  router.use(ROUTES.interaction, pages);
  router.use(serve);
  app.use(mount, router);
}

/** A text field of a urlencoded form body, trimmed ('' when absent). */
export function formField(req: Request, name: string): string {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * Signs `accountId` in and grants what the app asked for (see grantRequested), ending the
 * interaction; `acr` (B2C: the user flow) is kept with the session, codes and refresh tokens.
 */
export async function finishSignIn(provider: Provider, req: Request, res: Response, interaction: Interaction, accountId: string, acr?: string): Promise<void> {
  const login = acr === undefined ? { accountId, amr: ['pwd'] } : { accountId, amr: ['pwd'], acr };
  const grantId = await grantRequested(provider, interaction, accountId);
  await provider.interactionFinished(req, res, { login, consent: { grantId } }, { mergeWithLastSubmission: false });
}

/** Ends the interaction with an error redirect to the app (`error`, `error_description`, `state`). */
export async function finishWithError(provider: Provider, req: Request, res: Response, error: string, description: string): Promise<void> {
  await provider.interactionFinished(req, res, { error, error_description: description }, { mergeWithLastSubmission: false });
}
