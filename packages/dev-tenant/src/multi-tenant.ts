import { compactVerify, createLocalJWKSet, decodeJwt } from 'jose';
import type { JWK } from 'jose';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

import { memoryAdapterFactory } from './adapter.ts';
import { ROUTES } from './context.ts';
import type { TenantContext } from './context.ts';
import { publicJwk } from './keys.ts';
import { MULTI_TENANT_MOUNTS, multiTenantContext, userTenant } from './organizations.ts';
import { createTenantProvider } from './provider.ts';
import type { ProviderInput } from './provider.ts';
import { dropResponseIss } from './response-iss.ts';
import type { Next } from './shims.ts';
import { tamperJwt } from './tamper.ts';

/** The issuer template Entra publishes for `/organizations` and `/common`. */
export function templateIssuer(origin: string): string {
  return `${origin}/{tenantid}/v2.0`;
}

/**
 * Discovery of a multi-tenant authority, as Entra publishes it: `issuer` with the literal
 * `{tenantid}` placeholder (the real one depends on the user) and `tenant_region_scope: null` (no
 * single tenant), panva/wellknown's captured `entra-organizations` document. response-iss.ts takes
 * the RFC 9207 promise out (here always, whatever DevTenantOptions.authorizationResponseIss says).
 */
function publishTemplateIssuer(ctx: KoaContextWithOIDC, tenant: TenantContext): void {
  if (ctx.oidc?.route !== 'discovery' || ctx.status !== 200) return;
  const body = ctx.body as Record<string, unknown>;
  body['issuer'] = templateIssuer(tenant.origin);
  body['tenant_region_scope'] = null;
}

/**
 * oidc-provider signs ID tokens with its own (internal) issuer; Entra's multi-tenant authorities
 * issue them with the user's tenant's issuer (OIDC Core §2 `iss`; the `tid` claim already comes
 * from the account). Re-signs the ID token with that `iss`, the current signing key and its kid.
 */
async function reissueIdToken(ctx: KoaContextWithOIDC, tenant: TenantContext, keys: { signingKey: JWK; clientSecret: string }): Promise<void> {
  if (ctx.method !== 'POST' || ctx.path !== ROUTES.token || ctx.status !== 200) return;
  const body = ctx.body as Record<string, unknown> | undefined;
  const sub = ctx.oidc?.entities.Account?.accountId;
  if (typeof body?.['id_token'] !== 'string' || sub === undefined) return;
  const { issuer } = userTenant(tenant, tenant.users.bySubject(sub));
  body['id_token'] = await tamperJwt(body['id_token'], { claims: { iss: issuer } }, keys);
}

/**
 * oidc-provider checks an `id_token_hint` (RP-Initiated Logout §2) against its own issuer; ID
 * tokens of a multi-tenant authority carry the user's tenant's issuer. Accepts those too: signed
 * by one of the tenant's keys, `aud` = the client (expiry ignored, as for any id_token_hint).
 */
function acceptUserTenantHints(provider: Provider, tenant: TenantContext, publicKeys: readonly JWK[]): void {
  const IdToken = provider.IdToken as unknown as { validate(jwt: string, client: { clientId: string }): Promise<unknown> };
  const validate = IdToken.validate.bind(IdToken);
  const keySet = createLocalJWKSet({ keys: [...publicKeys] });
  IdToken.validate = async (jwt, client) => {
    const claims = decodeJwt(jwt);
    if (!tenant.organizations?.all.some((org) => org.issuer === claims.iss)) return validate(jwt, client);
    const { protectedHeader } = await compactVerify(jwt, keySet, { algorithms: ['RS256'] });
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(client.clientId)) throw new Error('jwt audience missing the client');
    return { header: protectedHeader, payload: claims };
  };
}

/**
 * The Koa middleware a multi-tenant authority's provider gets after the Entra shims (so it runs
 * first on the way out): template issuer in discovery, no `iss` on authorization responses, ID
 * tokens re-issued under the user's tenant, and their `id_token_hint`s accepted at logout.
 * Access tokens get their `iss` in claims.ts.
 */
function installMultiTenantShims(provider: Provider, tenant: TenantContext, keys: { signingKey: JWK; clientSecret: string }, publicKeys: readonly JWK[]): void {
  acceptUserTenantHints(provider, tenant, publicKeys);
  const shim = async (ctx: KoaContextWithOIDC, next: Next): Promise<void> => {
    await next();
    publishTemplateIssuer(ctx, tenant);
    // No single issuer to name (RFC 9207 §2): never an `iss`, even for an RFC 9207 tenant.
    dropResponseIss(ctx);
    await reissueIdToken(ctx, tenant, keys);
  };
  provider.use(shim as Parameters<Provider['use']>[0]);
}

/** Inputs of {@link multiTenantMounts}. */
export interface MultiTenantInput {
  /** The home tenant's context (its `organizations` lists the directories). */
  tenant: TenantContext;
  /** One store per authority, kept by the caller so sessions and grants survive key rotation. */
  adapters: Map<string, ReturnType<typeof memoryAdapterFactory>>;
  /** What every provider of the tenant shares: client, keys, shims' inputs. */
  common: Omit<ProviderInput, 'tenant' | 'adapter'>;
}

/**
 * Builds `/organizations` and `/common`, Entra's multi-tenant authorities: one provider each (own
 * internal issuer, store and cookie names), with the tenant's client and signing keys. None when
 * the tenant hosts no organisations (non-Entra shapes).
 */
export async function multiTenantMounts({ tenant, adapters, common }: MultiTenantInput): Promise<Array<{ tenant: TenantContext; provider: Provider }>> {
  const orgs = tenant.organizations;
  const { secrets } = common;
  const signingKey = secrets.signingKeys[0];
  if (!orgs || !signingKey) return [];
  return Promise.all(MULTI_TENANT_MOUNTS.map(async (name) => {
    const mounted = multiTenantContext(tenant, name, orgs);
    const adapter = adapters.get(name) ?? memoryAdapterFactory();
    adapters.set(name, adapter);
    const cookieNames = { session: `_session.${name}`, interaction: `_interaction.${name}`, resume: `_interaction_resume.${name}` };
    const provider = await createTenantProvider({ ...common, tenant: mounted, adapter, cookieNames });
    installMultiTenantShims(provider, mounted, { signingKey, clientSecret: secrets.clientSecret }, secrets.signingKeys.map(publicJwk));
    return { tenant: mounted, provider };
  }));
}
