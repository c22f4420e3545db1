/**
 * A started tenant's state, and how its provider and app are (re)built from it: at start and
 * after each signing-key rotation.
 */
import type { memoryAdapterFactory } from './adapter.ts';
import { createTenantApp, PAGE_CSP } from './app.ts';
import type { TlsMaterial } from './certs.ts';
import type { AssertionBook } from './client-auth.ts';
import type { ClientCertificate } from './client-cert.ts';
import type { TenantContext } from './context.ts';
import { graphTokenVerifier } from './graph-auth.ts';
import { newSigningKey, publicJwk, saveSigningKeys } from './keys.ts';
import type { TenantSecrets } from './keys.ts';
import type { Listeners } from './listen.ts';
import { multiTenantMounts } from './multi-tenant.ts';
import type { ResolvedOptions } from './options.ts';
import { createTenantProvider } from './provider.ts';
import type { TenantShape } from './shapes/index.ts';
import { tamperJwt } from './tamper.ts';
import type { TamperQueue } from './tamper.ts';
import type { LogoutSettings } from './logout.ts';
import type { ExtraClient } from './registrations.ts';
import type { ResponseTampers } from './response-tamper.ts';
import { withoutResponseIss } from './response-iss.ts';
import type { FaultQueue, RequestLog } from './traffic.ts';

/** Everything a running tenant holds. */
export interface Running {
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
  /** Queued token-response alterations (RealTenantControls.tamperTokenResponse). */
  responseTampers: ResponseTampers;
  /** Sign-out settings; `requireIdTokenHint` is switched at run time. */
  logout: LogoutSettings;
  abort: AbortController;
  ttl: { seconds: number };
  clientCertificate: ClientCertificate;
  /** Client-assertion jtis seen, shared by every provider (build) of the tenant. */
  assertions: AssertionBook;
  /** One store per multi-tenant authority (its own sessions and grants), kept across rebuilds. */
  multiAdapters: Map<string, ReturnType<typeof memoryAdapterFactory>>;
  /** External ID or B2C (their tenant context is `tenant`); undefined for Entra. */
  shape: TenantShape | undefined;
  /** DevTenantOptions.extraClients with the credentials generated at start (kept across rebuilds). */
  extraClients: readonly ExtraClient[];
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
export async function serve(running: Running): Promise<void> {
  const { settings, tenant, secrets, log, faults, abort, listeners } = running;
  const common = {
    secrets,
    redirectUris: settings.redirectUris,
    postLogoutRedirectUris: settings.postLogoutRedirectUris,
    countGrant: (grant: string) => log.countGrant(grant),
    csp: PAGE_CSP,
    alterIdToken: alterIdToken(running),
    clientAuth: { method: settings.clientAuth, certificate: running.clientCertificate, book: running.assertions },
    logout: running.logout,
    tokenResponseTampers: running.responseTampers,
    frontChannelLogoutUri: settings.frontChannelLogoutUri,
    extraClients: running.extraClients,
  };
  const provider = await createTenantProvider({ ...common, tenant, adapter: running.adapter, shape: running.shape?.provider });
  if (!settings.authorizationResponseIss) withoutResponseIss(provider);
  const extraMounts = await multiTenantMounts({ tenant, adapters: running.multiAdapters, common });
  const issuers = tenant.organizations?.all.map((org) => org.issuer) ?? [tenant.issuer];
  const verify = graphTokenVerifier(secrets.signingKeys.map(publicJwk), issuers);
  listeners.setHandler(createTenantApp({ tenant, provider, verify, log, faults, signal: abort.signal, extraMounts, shape: running.shape?.app }));
}

/** Signs with a new key from now on, keeping the older keys in the key set or not; persisted. */
export async function rotate(running: Running, keepOld: boolean): Promise<void> {
  const fresh = await newSigningKey();
  const signingKeys = keepOld ? [fresh, ...running.secrets.signingKeys] : [fresh];
  await saveSigningKeys(running.dataDir, signingKeys);
  running.secrets = { ...running.secrets, signingKeys };
  await serve(running);
}
