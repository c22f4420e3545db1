/**
 * The development tenant: an offline look-alike of Microsoft Entra ID (v2.0 endpoints) and a
 * Microsoft Graph emulator on one HTTPS port, for local development and tests. It is NOT
 * Microsoft Entra ID: demo accounts only, refused under NODE_ENV=production.
 * Imported only by the launcher and the tests, never by app code.
 */
import { resolve } from 'node:path';

import { memoryAdapterFactory } from './adapter.ts';
import { createTenantApp, PAGE_CSP } from './app.ts';
import { loadTlsMaterial } from './certs.ts';
import type { TlsMaterial } from './certs.ts';
import { AssertionBook } from './client-auth.ts';
import { loadClientCertificate } from './client-cert.ts';
import type { ClientCertificate } from './client-cert.ts';
import { ConsentBook } from './consent.ts';
import type { TenantContext } from './context.ts';
import { ensureDir } from './files.ts';
import { graphTokenVerifier } from './graph-auth.ts';
import { loadTenantSecrets, newSigningKey, publicJwk, saveSigningKeys } from './keys.ts';
import type { TenantSecrets } from './keys.ts';
import { listenTls } from './listen.ts';
import type { Listeners } from './listen.ts';
import { checkTtl, refuseProduction, resolveOptions } from './options.ts';
import type { ResolvedOptions } from './options.ts';
import { multiTenantMounts } from './multi-tenant.ts';
import { createOrganizations, GUEST_TENANT_ID } from './organizations.ts';
import { createTenantProvider } from './provider.ts';
import { TamperQueue, tamperJwt } from './tamper.ts';
import { FaultQueue, RequestLog } from './traffic.ts';
import type { DevTenant, DevTenantOptions } from './types.ts';
import { createShape } from './shapes/index.ts';
import type { TenantShape } from './shapes/index.ts';
import { createUserDirectory } from './users.ts';

export { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';
export type { DemoUser, DevTenant, DevTenantClientCertificate, DevTenantCounts, DevTenantOptions, Fault, FaultTarget, GraphCall, IdTokenTamper, RequestTiming } from './types.ts';

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
  };
}

interface Running {
  settings: ResolvedOptions;
  dataDir: string;
  tenant: TenantContext;
  /** Replaced (with new signing keys) by each rotation. */
  secrets: TenantSecrets;
  tls: TlsMaterial;
  listeners: Listeners;
  adapter: ReturnType<typeof memoryAdapterFactory>;
  log: RequestLog;
  faults: FaultQueue;
  tampers: TamperQueue;
  abort: AbortController;
  ttl: { seconds: number };
  clientCertificate: ClientCertificate;
  /** Client-assertion jtis seen, shared by every provider (build) of the tenant. */
  assertions: AssertionBook;
  /** One store per multi-tenant authority (its own sessions and grants), kept across rebuilds. */
  multiAdapters: Map<string, ReturnType<typeof memoryAdapterFactory>>;
  /** External ID or B2C (their tenant context is `tenant`); undefined for Entra. */
  shape: TenantShape | undefined;
}

function alterIdToken(running: Running) {
  return async (idToken: string, grantType: string): Promise<string> => {
    const tamper = running.tampers.take(grantType);
    if (!tamper) return idToken;
    const { signingKeys: [signingKey], clientSecret } = running.secrets;
    return signingKey ? tamperJwt(idToken, tamper, { signingKey, clientSecret }) : idToken;
  };
}

/**
 * Builds the provider and the app from the current signing keys and installs them. Called at
 * start and again after each key rotation (oidc-provider's key store is fixed at construction);
 * sessions, grants and codes survive because every provider shares the tenant's one store.
 */
async function serve(running: Running): Promise<void> {
  const { settings, tenant, secrets, log, faults, abort, listeners } = running;
  const common = {
    secrets,
    redirectUris: settings.redirectUris,
    postLogoutRedirectUris: settings.postLogoutRedirectUris,
    countGrant: (grant: string) => log.countGrant(grant),
    csp: PAGE_CSP,
    alterIdToken: alterIdToken(running),
    clientAuth: { method: settings.clientAuth, certificate: running.clientCertificate, book: running.assertions },
  };
  const provider = await createTenantProvider({ ...common, tenant, adapter: running.adapter, shape: running.shape?.provider });
  const extraMounts = await multiTenantMounts({ tenant, adapters: running.multiAdapters, common });
  const issuers = tenant.organizations?.all.map((org) => org.issuer) ?? [tenant.issuer];
  const verify = graphTokenVerifier(secrets.signingKeys.map(publicJwk), issuers);
  listeners.setHandler(createTenantApp({ tenant, provider, verify, log, faults, signal: abort.signal, extraMounts, shape: running.shape?.app }));
}

/** Signs with a new key from now on, keeping the older keys in the key set or not; persisted. */
async function rotate(running: Running, keepOld: boolean): Promise<void> {
  const fresh = await newSigningKey();
  const signingKeys = keepOld ? [fresh, ...running.secrets.signingKeys] : [fresh];
  await saveSigningKeys(running.dataDir, signingKeys);
  running.secrets = { ...running.secrets, signingKeys };
  await serve(running);
}

type Controls = Pick<DevTenant, 'setAccessTokenTtl' | 'injectFault' | 'tamperIdToken' | 'clearFaults' | 'rotateSigningKey'>;

/** What tests switch at run time: token lifetime, faults, hostile ID tokens, key rotation. */
function controls(running: Running): Controls {
  const { faults, tampers, ttl } = running;
  let rotation: Promise<void> = Promise.resolve();
  return {
    setAccessTokenTtl: (seconds) => {
      ttl.seconds = checkTtl(seconds);
    },
    injectFault: (target, fault) => faults.inject(target, fault),
    tamperIdToken: (tamper) => tampers.inject(tamper),
    clearFaults: () => {
      faults.clear();
      tampers.clear();
    },
    rotateSigningKey: (options) => {
      // One rotation at a time: each builds on the keys the previous one left.
      rotation = rotation.catch(() => undefined).then(() => rotate(running, options?.keepOld ?? true));
      return rotation;
    },
  };
}

function publicApi(running: Running): DevTenant {
  const { tenant, secrets, tls, listeners, log, abort } = running;
  let closed: Promise<void> | undefined;
  const guest = tenant.organizations?.byTenantId(GUEST_TENANT_ID);
  return {
    tenantId: tenant.tenantId,
    authority: `${tenant.origin}${tenant.mountPath}`,
    authorities: {
      tenant: `${tenant.origin}${tenant.mountPath}`,
      organizations: `${tenant.origin}/organizations`,
      common: `${tenant.origin}/common`,
    },
    guestTenant: { tenantId: GUEST_TENANT_ID, issuer: guest?.issuer ?? '', users: guest?.users ?? [] },
    clientCertificate: Object.freeze({ ...running.clientCertificate }),
    issuer: tenant.issuer,
    graphEndpoint: tenant.graphEndpoint,
    clientId: secrets.clientId,
    clientSecret: secrets.clientSecret,
    caPem: tls.caPem,
    caFile: tls.caFile,
    get users() {
      return tenant.users.users;
    },
    findUser: (upn) => tenant.users.users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase()),
    shape: running.settings.shape,
    ...running.shape?.api(),
    counts: () => log.counts(),
    timings: () => log.timings(),
    resetCounts: () => log.reset(),
    get graphCalls() {
      return log.graphCalls();
    },
    ...controls(running),
    close: () => {
      abort.abort();
      closed ??= listeners.close();
      return closed;
    },
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
  const shape = createShape(settings.shape, { secrets, origin: `https://localhost:${listeners.port}`, extraUsers: settings.extraUsers, accessTokenTtl: () => ttl.seconds });
  const running: Running = {
    settings, dataDir,
    tenant: shape?.tenant ?? tenantContext(secrets, listeners.port, ttl, settings.extraUsers),
    shape,
    secrets, tls, listeners, ttl,
    adapter: memoryAdapterFactory(),
    log: new RequestLog(),
    faults: new FaultQueue(),
    tampers: new TamperQueue(),
    abort: new AbortController(),
    clientCertificate,
    assertions: new AssertionBook(),
    multiAdapters: new Map(),
  };
  try {
    await serve(running);
  } catch (err) {
    await listeners.close();
    throw err;
  }
  return publicApi(running);
}
