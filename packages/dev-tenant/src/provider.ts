import Provider, { errors } from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';

import type { MemoryAdapter } from './adapter.ts';
import { accessTokenCustomizer, CLAIMS_BY_SCOPE, findAccountFor } from './claims.ts';
import { assertionChecks, delegateAssertionReplay } from './client-auth.ts';
import type { ClientAuthSetup } from './client-auth.ts';
import { adminConsentReachesTokens } from './admin-consent.ts';
import { refreshTokensCarryGrant } from './consent.ts';
import { ROUTES } from './context.ts';
import type { TenantContext } from './context.ts';
import { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';
import { frontChannelLogout, sessionWideSid } from './front-channel.ts';
import type { TenantSecrets } from './keys.ts';
import { idTokenHintRequirement, optionalIdTokenClaims } from './logout.ts';
import type { LogoutSettings } from './logout.ts';
import { providerPages } from './provider-pages.ts';
import { frontChannelUrls, providerClientIds, providerClients } from './provider-clients.ts';
import type { ExtraClient } from './registrations.ts';
import { loopbackRedirectAllowed } from './redirect-uris.ts';
import { GRAPH_RESOURCE, GRAPH_RESOURCE_SCOPES, OIDC_SCOPES } from './scopes.ts';
import { tokenResponseTamperer } from './response-tamper.ts';
import type { ResponseTampers } from './response-tamper.ts';
import { entraShims } from './shims.ts';
import { accessPolicyShim } from './access-shims.ts';
import type { AlterIdToken } from './shims.ts';
import { rememberTokenErrors } from './token-errors.ts';
import type { ProviderShape } from './shapes/types.ts';

/** Inputs of {@link createTenantProvider}. */
export interface ProviderInput {
  tenant: TenantContext;
  secrets: TenantSecrets;
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  countGrant: (grantType: string) => void;
  /** Content-Security-Policy of the dev tenant's pages. */
  csp: string;
  /** The tenant's storage; shared by every provider the tenant builds (key rotation rebuilds it). */
  adapter: (model: string) => MemoryAdapter;
  /** Alters ID tokens in token responses (hostile mode for tests); absent = leave them alone. */
  alterIdToken?: AlterIdToken | undefined;
  /** What the tenant shape (External ID, B2C) changes; absent = Entra. */
  shape?: ProviderShape | undefined;
  /** How the client authenticates (client-auth.ts); absent = client_secret_post with the secret. */
  clientAuth?: ClientAuthSetup | undefined;
  /** oidc-provider cookie names; each mount of the tenant has its own sessions. Absent = the defaults. */
  cookieNames?: { session: string; interaction: string; resume: string } | undefined;
  /** Sign-out settings (login_hint optional claim, B2C's required id_token_hint); absent = neither. */
  logout?: LogoutSettings | undefined;
  /** Queued alterations of token responses (hostile mode for tests); absent = none. */
  tokenResponseTampers?: ResponseTampers | undefined;
  /** The main client's Front-channel logout URL; absent = none. */
  frontChannelLogoutUri?: string | undefined;
  /** More app registrations (DevTenantOptions.extraClients) with their credentials; absent = none. */
  extraClients?: readonly ExtraClient[] | undefined;
}

const DAY = 24 * 60 * 60;

function resourceIndicators(tenant: TenantContext) {
  return {
    enabled: true,
    // Entra's default resource for scopes without a prefix is Microsoft Graph.
    defaultResource: () => GRAPH_RESOURCE,
    useGrantedResource: () => true,
    getResourceServerInfo: (_ctx: KoaContextWithOIDC, resource: string) => {
      if (resource !== GRAPH_RESOURCE) throw new errors.InvalidTarget(`resource '${resource}' is not known to the development tenant`);
      return {
        scope: GRAPH_RESOURCE_SCOPES.join(' '),
        audience: GRAPH_RESOURCE,
        accessTokenFormat: 'jwt' as const,
        accessTokenTTL: tenant.accessTokenTtl(),
        jwt: { sign: { alg: 'RS256' as const } },
      };
    },
  };
}

function features(tenant: TenantContext): Configuration['features'] {
  const pages = providerPages(tenant);
  return {
    devInteractions: { enabled: false },
    resourceIndicators: resourceIndicators(tenant),
    rpInitiatedLogout: { enabled: true, logoutSource: pages.logoutSource, postLogoutSuccessSource: pages.postLogoutSuccessSource },
    userinfo: { enabled: false },
    pushedAuthorizationRequests: { enabled: false },
    dPoP: { enabled: false },
  };
}

function ttl(tenant: TenantContext): Configuration['ttl'] {
  return {
    AccessToken: () => tenant.accessTokenTtl(),
    AuthorizationCode: 600,
    IdToken: 3600,
    RefreshToken: 14 * DAY,
    Interaction: 3600,
    Session: 14 * DAY,
    Grant: 14 * DAY,
  };
}

function configuration(input: ProviderInput): Configuration {
  const { tenant, secrets } = input;
  return {
    adapter: input.adapter,
    clients: providerClients(input),
    ...optionalIdTokenClaims(input.shape?.claims ?? CLAIMS_BY_SCOPE, input.shape?.findAccount ?? findAccountFor(tenant), input.logout),
    // `claims` kept for claims-request.ts (oidc-provider's claimsParameter knows only id_token/userinfo: off).
    extraParams: ['claims', ...(input.shape?.extraParams ?? [])],
    scopes: [...OIDC_SCOPES],
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    routes: { authorization: ROUTES.authorization, token: ROUTES.token, end_session: ROUTES.end_session, jwks: ROUTES.jwks },
    // oidc-provider signs with the first key that fits the alg: the newest (keys.ts keeps that order).
    jwks: { keys: secrets.signingKeys.map((key) => ({ ...key })) } as Configuration['jwks'],
    cookies: { keys: secrets.cookieKeys, ...(input.cookieNames ? { names: input.cookieNames } : {}) },
    ...(input.clientAuth ? { assertJwtClientAuthClaimsAndHeader: assertionChecks(input.clientAuth.certificate, input.clientAuth.book) } : {}),
    formats: { customizers: { jwt: accessTokenCustomizer(tenant) } },
    interactions: { url: input.shape?.interactionUrl ?? ((_ctx, interaction) => `${tenant.mountPath}${ROUTES.interaction}/${interaction.uid}`) },
    features: features(tenant),
    renderError: providerPages(tenant).renderError,
    clientBasedCORS: () => false,
    // Entra keeps old refresh tokens valid after handing out a new one; rotation with reuse
    // detection would revoke the whole grant when an app retries with an old token.
    rotateRefreshToken: false,
    ttl: ttl(tenant),
    // Entra's discovery (learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#sample-response; docs/dev-tenant-fidelity.md):
    // its client authentication methods; a region (null for multi-tenant.ts); front-channel logout
    // (front-channel.ts) without `frontchannel_logout_session_supported`, which Entra does not publish.
    clientAuthMethods: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    discovery: {
      cloud_instance_name: 'devtenant.example',
      msgraph_host: new URL(tenant.graphEndpoint).host,
      tenant_region_scope: 'WW',
      http_logout_supported: true,
      frontchannel_logout_supported: true,
    },
  };
}

/**
 * Entra ignores the port of `http://localhost` redirect URIs (tests run apps on ephemeral ports).
 * oidc-provider does the same only for `application_type: native` clients (RFC 8252 §7.3), so
 * this tenant's Client class — each Provider instance has its own — gets `redirectUriAllowed` and
 * `postLogoutRedirectUriAllowed` that fall back to {@link loopbackRedirectAllowed}. Every check
 * (authorize, the error handler's redirect decision, end_session) goes through these two methods.
 */
function ignoreLoopbackPorts(provider: Provider): void {
  const proto = provider.Client.prototype;
  const redirectUriAllowed = proto.redirectUriAllowed;
  const postLogoutRedirectUriAllowed = proto.postLogoutRedirectUriAllowed;
  proto.redirectUriAllowed = function allowed(uri: string): boolean {
    return redirectUriAllowed.call(this, uri) || loopbackRedirectAllowed(uri, this.redirectUris ?? []);
  };
  proto.postLogoutRedirectUriAllowed = function allowed(uri: string): boolean {
    return postLogoutRedirectUriAllowed.call(this, uri) || loopbackRedirectAllowed(uri, this.postLogoutRedirectUris ?? []);
  };
}

/**
 * Builds the tenant's oidc-provider: Entra's routes under `/{tenantId}`, issuer
 * `…/{tenantId}/v2.0`, one confidential client, PKCE S256 required, JWT access tokens for Graph,
 * Entra-shaped claims and token responses. Validates the client registration before returning.
 */
export async function createTenantProvider(input: ProviderInput): Promise<Provider> {
  const provider = new Provider(input.tenant.issuer, configuration(input));
  ignoreLoopbackPorts(provider);
  refreshTokensCarryGrant(provider);
  if (input.tenant.consents) adminConsentReachesTokens(provider, input.tenant.consents);
  rememberTokenErrors(provider);
  delegateAssertionReplay(provider, providerClientIds(input));
  sessionWideSid(provider);
  input.shape?.customize?.(provider);
  // In front of everything else: they see (and change) the responses as they leave the tenant.
  if (input.tokenResponseTampers) provider.use(tokenResponseTamperer(input.tokenResponseTampers) as Parameters<Provider['use']>[0]);
  provider.use(frontChannelLogout(input.tenant, frontChannelUrls(input), input.csp, input.logout) as Parameters<Provider['use']>[0]);
  if (input.logout) provider.use(idTokenHintRequirement(input.logout, input.tenant) as Parameters<Provider['use']>[0]);
  if (input.shape?.middleware) provider.use(input.shape.middleware as Parameters<Provider['use']>[0]);
  provider.use(accessPolicyShim(input.tenant) as Parameters<Provider['use']>[0]);
  const shims = entraShims({ tenant: input.tenant, countGrant: input.countGrant, csp: input.csp, alterIdToken: input.alterIdToken });
  provider.use(shims as Parameters<Provider['use']>[0]);
  try {
    for (const clientId of providerClientIds(input)) await provider.Client.find(clientId);
  } catch (cause) {
    const detail = (cause as { error_description?: string }).error_description ?? (cause as Error).message;
    throw new DevTenantError(DEV_TENANT_ERROR_CODES.invalidOption, `the client registration is invalid: ${detail}`, { cause });
  }
  return provider;
}
