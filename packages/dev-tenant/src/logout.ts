/**
 * Sign-out as Entra and B2C do it. Entra: the optional ID-token claim `login_hint`, sent back as
 * `logout_hint`, signs that account out without "Pick an account"
 * (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#send-a-sign-out-request,
 * https://learn.microsoft.com/entra/identity-platform/optional-claims). B2C: with "Require ID Token
 * in logout requests", a logout without `id_token_hint` is refused with AADB2C90272
 * (https://learn.microsoft.com/azure/active-directory-b2c/session-behavior#secure-your-logout-redirect,
 * https://learn.microsoft.com/azure/active-directory-b2c/error-codes).
 */
import { createHash } from 'node:crypto';

import type { Configuration, FindAccount, KoaContextWithOIDC } from 'oidc-provider';

import type { TenantContext } from './context.ts';
import { autoSubmitPage, errorPage } from './pages.ts';
import type { Next } from './shims.ts';

/** The sign-out settings of the registration (Entra) and the user flows (B2C). */
export interface LogoutSettings {
  /** Entra: the optional claim `login_hint` is configured for ID tokens (DevTenantOptions.optionalClaims). */
  readonly loginHintClaim: boolean;
  /** B2C: "Require ID Token in logout requests" (RealTenantControls.requireIdTokenHint); changed at run time. */
  requireIdTokenHint: boolean;
  /** Front-channel logout calls carry `iss` besides `sid` (RealTenantControls.frontChannelLogoutIss); changed at run time. */
  frontChannelIss: boolean;
}

/** B2C's answer to a logout without `id_token_hint` when the user flow requires one. */
export const NO_ID_TOKEN_HINT = 'AADB2C90272: The id_token_hint parameter has not been specified in the request. Please provide token and try again.';

/**
 * The user's `login_hint`: opaque and stable per user, like Entra's ("an opaque, reliable login hint
 * claim that's base 64 encoded. Don't modify this value"); it reveals nothing about the user.
 */
export function loginHintFor(oid: string): string {
  return createHash('sha256').update(`devtenant login_hint\0${oid}`).digest('base64url');
}

/** The scope→claims map with `login_hint` released with `openid` (ID tokens only; access tokens are built elsewhere). */
export function claimsWithLoginHint(claims: NonNullable<Configuration['claims']>): NonNullable<Configuration['claims']> {
  const openid = (claims as Record<string, unknown>)['openid'];
  return { ...claims, openid: [...(Array.isArray(openid) ? (openid as string[]) : []), 'login_hint'] };
}

/** The provider's `claims` and `findAccount`, with the optional ID-token claim `login_hint` when it is configured. */
export function optionalIdTokenClaims(claims: NonNullable<Configuration['claims']>, findAccount: FindAccount, settings: LogoutSettings | undefined) {
  if (!settings?.loginHintClaim) return { claims, findAccount };
  return { claims: claimsWithLoginHint(claims), findAccount: withLoginHint(findAccount) };
}

/** findAccount whose accounts' claims also carry `login_hint` for the account's `oid`. */
export function withLoginHint(findAccount: FindAccount): FindAccount {
  return async (ctx, sub, token) => {
    const account = await findAccount(ctx, sub, token);
    if (!account) return account;
    return {
      ...account,
      claims: async (use, scope, claims, rejected) => {
        const values = await account.claims(use, scope, claims, rejected);
        return typeof values['oid'] === 'string' ? { ...values, login_hint: loginHintFor(values['oid']) } : values;
      },
    };
  };
}

/**
 * True when the logout request names the account signed in here: a `logout_hint` equal to its
 * `login_hint`, or an `id_token_hint` issued for it (oidc-provider has already verified its signature,
 * issuer and audience, ignoring expiry as RP-Initiated Logout 1.0 §4 allows).
 */
export function hintNamesSession(ctx: KoaContextWithOIDC, tenant: TenantContext): boolean {
  const sub = ctx.oidc.session?.accountId;
  if (sub === undefined) return false;
  const hint = ctx.oidc.entities.IdTokenHint as unknown as { payload?: { sub?: unknown } } | undefined;
  if (hint?.payload?.sub === sub) return true;
  const user = tenant.users.bySubject(sub);
  const logoutHint = ctx.oidc.params?.['logout_hint'];
  return user !== undefined && typeof logoutHint === 'string' && logoutHint === loginHintFor(user.oid);
}

/** The hand-off that signs out without asking: oidc-provider's own confirmation, posted by autosubmit.js. */
export function signOutHandOff(ctx: KoaContextWithOIDC, tenant: TenantContext): string {
  const secret = (ctx.oidc.session?.state as { secret?: unknown } | undefined)?.secret;
  const inputs: Array<[string, string]> = [['xsrf', typeof secret === 'string' ? secret : ''], ['logout', 'yes']];
  return autoSubmitPage(ctx.oidc.urlFor('end_session_confirm'), inputs, tenant.footer);
}

/**
 * Koa middleware in front of the tenant's others: when the user flow requires an ID token in logout
 * requests, a logout request without `id_token_hint` ends on B2C's error page instead.
 */
export function idTokenHintRequirement(settings: LogoutSettings, tenant: TenantContext) {
  return async (ctx: KoaContextWithOIDC, next: Next): Promise<void> => {
    await next();
    if (!settings.requireIdTokenHint || ctx.oidc?.route !== 'end_session') return;
    const hint = ctx.oidc.params?.['id_token_hint'];
    if (typeof hint === 'string' && hint !== '') return;
    ctx.status = 400;
    ctx.type = 'html';
    ctx.body = errorPage({ error: 'invalid_request', description: NO_ID_TOKEN_HINT, footer: tenant.footer });
  };
}
