/**
 * The development tenant: an offline look-alike of Microsoft Entra ID (v2.0 endpoints) and a
 * Microsoft Graph emulator on one HTTPS port, for local development and tests. It is NOT
 * Microsoft Entra ID: demo accounts only, refused under NODE_ENV=production.
 * Imported only by the launcher and the tests, never by app code.
 */
import { resolve } from 'node:path';

import { createTenantApp, PAGE_CSP } from './app.ts';
import { loadTlsMaterial } from './certs.ts';
import type { TlsMaterial } from './certs.ts';
import type { TenantContext } from './context.ts';
import { ensureDir } from './files.ts';
import { graphTokenVerifier } from './graph-auth.ts';
import { loadTenantSecrets } from './keys.ts';
import type { TenantSecrets } from './keys.ts';
import { listenTls } from './listen.ts';
import type { Listeners } from './listen.ts';
import { checkTtl, refuseProduction, resolveOptions } from './options.ts';
import type { ResolvedOptions } from './options.ts';
import { createTenantProvider } from './provider.ts';
import { FaultQueue, RequestLog } from './traffic.ts';
import type { DevTenant, DevTenantOptions } from './types.ts';
import { createUserDirectory } from './users.ts';

export { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';
export type { DemoUser, DevTenant, DevTenantCounts, DevTenantOptions, Fault, FaultTarget, GraphCall } from './types.ts';

function tenantContext(secrets: TenantSecrets, port: number, ttl: { seconds: number }): TenantContext {
  const origin = `https://localhost:${port}`;
  return {
    tenantId: secrets.tenantId,
    clientId: secrets.clientId,
    origin,
    mountPath: `/${secrets.tenantId}`,
    issuer: `${origin}/${secrets.tenantId}/v2.0`,
    graphEndpoint: `${origin}/v1.0`,
    users: createUserDirectory(secrets.clientId),
    footer: `Tenant ${secrets.tenantId} · development only`,
    accessTokenTtl: () => ttl.seconds,
  };
}

interface Running {
  tenant: TenantContext;
  secrets: TenantSecrets;
  tls: TlsMaterial;
  listeners: Listeners;
  log: RequestLog;
  faults: FaultQueue;
  abort: AbortController;
  ttl: { seconds: number };
}

async function serve(settings: ResolvedOptions, running: Running): Promise<void> {
  const { tenant, secrets, log, faults, abort, listeners } = running;
  const provider = await createTenantProvider({
    tenant,
    secrets,
    redirectUris: settings.redirectUris,
    postLogoutRedirectUris: settings.postLogoutRedirectUris,
    countGrant: (grant) => log.countGrant(grant),
    csp: PAGE_CSP,
  });
  const verify = graphTokenVerifier(secrets.publicKey, tenant.issuer);
  listeners.setHandler(createTenantApp({ tenant, provider, verify, log, faults, signal: abort.signal }));
}

function publicApi({ tenant, secrets, tls, listeners, log, faults, abort, ttl }: Running): DevTenant {
  let closed: Promise<void> | undefined;
  return {
    tenantId: tenant.tenantId,
    authority: `${tenant.origin}${tenant.mountPath}`,
    issuer: tenant.issuer,
    graphEndpoint: tenant.graphEndpoint,
    clientId: secrets.clientId,
    clientSecret: secrets.clientSecret,
    caPem: tls.caPem,
    caFile: tls.caFile,
    users: tenant.users.users,
    counts: () => log.counts(),
    resetCounts: () => log.reset(),
    get graphCalls() {
      return log.graphCalls();
    },
    setAccessTokenTtl: (seconds) => {
      ttl.seconds = checkTtl(seconds);
    },
    injectFault: (target, fault) => faults.inject(target, fault),
    clearFaults: () => faults.clear(),
    close: () => {
      abort.abort();
      closed ??= listeners.close();
      return closed;
    },
  };
}

/**
 * Starts the development tenant: loads (or creates) the CA, server certificate, signing key and
 * client credentials in `dataDir`, listens on 127.0.0.1 (and ::1), and serves Entra's v2.0
 * endpoints under `/{tenantId}` plus Graph at `/v1.0`. Throws DevTenantError
 * `DEV_TENANT_IN_PRODUCTION` when `options.nodeEnv` is "production".
 */
export async function startDevTenant(options: DevTenantOptions = {}): Promise<DevTenant> {
  refuseProduction(options.nodeEnv);
  const settings = resolveOptions(options);
  const dataDir = resolve(settings.dataDir);
  await ensureDir(dataDir);
  const secrets = await loadTenantSecrets(dataDir);
  const tls = await loadTlsMaterial(dataDir);
  const listeners = await listenTls(tls, settings.port);
  const ttl = { seconds: settings.accessTokenTtlSeconds };
  const running: Running = {
    tenant: tenantContext(secrets, listeners.port, ttl),
    secrets, tls, listeners, ttl,
    log: new RequestLog(),
    faults: new FaultQueue(),
    abort: new AbortController(),
  };
  try {
    await serve(settings, running);
  } catch (err) {
    await listeners.close();
    throw err;
  }
  return publicApi(running);
}
