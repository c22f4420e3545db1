/**
 * The development tenant: an offline look-alike of Microsoft Entra ID (v2.0 endpoints) and a
 * Microsoft Graph emulator on one HTTPS port, for local development and tests. It is NOT
 * Microsoft Entra ID: demo accounts only, refused under NODE_ENV=production.
 * The package's public API (`@contoso/dev-tenant`); the app reaches it only through src/launch-dev-tenant.ts.
 */
import { resolve } from 'node:path';

import { AccessPolicies } from './access-policies.ts';
import { memoryAdapterFactory } from './adapter.ts';
import { publicApi } from './api.ts';
import { loadTlsMaterial } from './certs.ts';
import { AssertionBook } from './client-auth.ts';
import { loadClientCertificate } from './client-cert.ts';
import { ConsentBook } from './consent.ts';
import type { TenantContext } from './context.ts';
import { ensureDir } from './files.ts';
import { createGroupDirectory } from './groups.ts';
import { loadTenantSecrets } from './keys.ts';
import type { TenantSecrets } from './keys.ts';
import { listenTls } from './listen.ts';
import { refuseProduction, resolveOptions } from './options.ts';
import { createOrganizations } from './organizations.ts';
import { registerExtraClients } from './registrations.ts';
import { serve } from './running.ts';
import type { Running } from './running.ts';
import { createShape } from './shapes/index.ts';
import { responseTamperQueue } from './response-tamper.ts';
import { TamperQueue } from './tamper.ts';
import { FaultQueue, RequestLog } from './traffic.ts';
import type { DevTenant, DevTenantOptions } from './types.ts';
import { createUserDirectory } from './users.ts';

export { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';
export { MAX_EXTRA_USERS } from './users.ts';
export type { DemoUser, DevTenant, DevTenantClientCertificate, DevTenantCounts, DevTenantExtraClient, DevTenantExtraClientOptions, DevTenantGroup, DevTenantOptions, Fault, FaultTarget, GraphCall, IdTokenTamper, RealTenantControls, RequestTiming, TokenResponseTamper } from './types.ts';

function tenantContext(secrets: TenantSecrets, port: number, ttl: { seconds: number }, extraUsers: number): TenantContext {
  const origin = `https://localhost:${port}`;
  const issuer = `${origin}/${secrets.tenantId}/v2.0`;
  const users = createUserDirectory(secrets.clientId, extraUsers);
  return {
    tenantId: secrets.tenantId,
    clientId: secrets.clientId,
    origin,
    mountPath: `/${secrets.tenantId}`,
    issuer,
    graphEndpoint: `${origin}/v1.0`,
    users,
    footer: `Tenant ${secrets.tenantId} · development only`,
    accessTokenTtl: () => ttl.seconds,
    organizations: createOrganizations({ tenantId: secrets.tenantId, issuer, origin, users: users.users }),
    consents: new ConsentBook(),
    groups: createGroupDirectory(),
    access: new AccessPolicies(),
  };
}

/**
 * Starts the development tenant: loads (or creates) the CA, server certificate, signing keys and
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
  const clientCertificate = await loadClientCertificate(dataDir);
  const listeners = await listenTls(tls, settings.port);
  const ttl = { seconds: settings.accessTokenTtlSeconds };
  const shape = createShape(settings.shape, {
    secrets, origin: `https://localhost:${listeners.port}`, extraUsers: settings.extraUsers,
    b2cFlowClaim: settings.b2cFlowClaim, accessTokenTtl: () => ttl.seconds,
  });
  const running: Running = {
    settings, dataDir,
    tenant: shape?.tenant ?? tenantContext(secrets, listeners.port, ttl, settings.extraUsers),
    shape,
    secrets, tls, listeners, ttl,
    adapter: memoryAdapterFactory(),
    log: new RequestLog(),
    faults: new FaultQueue(),
    tampers: new TamperQueue(),
    responseTampers: responseTamperQueue(),
    logout: { loginHintClaim: settings.loginHintClaim, requireIdTokenHint: false, frontChannelIss: true },
    abort: new AbortController(),
    clientCertificate,
    assertions: new AssertionBook(),
    multiAdapters: new Map(),
    extraClients: registerExtraClients(settings.extraClients),
  };
  try {
    await serve(running);
  } catch (err) {
    await listeners.close();
    throw err;
  }
  return publicApi(running);
}
