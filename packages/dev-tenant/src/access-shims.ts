/**
 * The token endpoint's Conditional Access and revocation answers: a refresh-token grant that a
 * step-up policy or a sign-in session revocation refuses gets Entra's error body instead of tokens.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';

import type { AccessPolicies, StepUpPolicy } from './access-policies.ts';
import { clientCapabilities, parseClaimsRequest } from './claims-request.ts';
import { ROUTES } from './context.ts';
import type { TenantContext } from './context.ts';
import { entraErrorBody } from './entra-errors.ts';
import type { EntraErrorBody } from './entra-errors.ts';
import { GRAPH_APP_ID } from './graph-errors.ts';
import type { Next } from './shims.ts';

/** Entra's refusal of a refresh: its error body, plus a suberror and the claims to ask for when there are. */
export type AccessRefusal = EntraErrorBody & { suberror?: string; claims?: string };

/**
 * A refresh refused by a Conditional Access policy that requires MFA: AADSTS50076, with `claims`
 * naming the policy (`capolids`) that the next interactive authorize must carry. Entra answers
 * `interaction_required`, or `invalid_grant` with `suberror: "basic_action"` (a real answer:
 * https://github.com/AzureAD/microsoft-authentication-library-for-js/issues/5491; codes:
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes; claims:
 * https://learn.microsoft.com/entra/identity-platform/claims-challenge).
 */
export function stepUpRefusal(policy: StepUpPolicy): AccessRefusal {
  const description = `AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '${GRAPH_APP_ID}'.`;
  const claims = JSON.stringify({ access_token: { capolids: { essential: true, values: [policy.id] } } });
  return {
    ...entraErrorBody(policy.error, description),
    ...(policy.error === 'invalid_grant' ? { suberror: 'basic_action' } : {}),
    claims,
  };
}

/**
 * A refresh token issued before the user's sessions were revoked: `invalid_grant` AADSTS50173
 * "FreshTokenNeeded" (wording of a real answer; the date format is not documented).
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes,
 * https://learn.microsoft.com/graph/api/user-revokesigninsessions
 */
export function revokedGrantRefusal(issuedAt: number, validFrom: number): AccessRefusal {
  const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
  return entraErrorBody('invalid_grant', `AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${iso(issuedAt)}' and the TokensValidFrom date (before which tokens are not valid) for this user is '${iso(validFrom)}'.`);
}

/**
 * A refresh token unused longer than its inactivity lifetime: `invalid_grant` AADSTS700082
 * ExpiredOrRevokedGrantInactiveToken, wording of the error reference and of a real answer quoted on
 * Microsoft Q&A (https://learn.microsoft.com/en-us/answers/a/710568).
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
export function inactiveGrantRefusal(issuedAt: number): AccessRefusal {
  return entraErrorBody('invalid_grant', `AADSTS700082: The refresh token has expired due to inactivity. The token was issued on ${new Date(issuedAt * 1000).toISOString()} and was inactive for 90.00:00:00.`);
}

/**
 * The client capabilities an access token carries in `xms_cc`: those the token request's `claims`
 * declare or, when a code is redeemed, those of the authorize request that issued it. Entra adds
 * the claim only for known capabilities (cp1) and only when the client asks; Graph asks for it.
 * https://learn.microsoft.com/entra/identity-platform/claims-challenge#receiving-xms_cc-claim-in-an-access-token
 */
export function accessTokenCapabilities(tenant: TenantContext, ctx: KoaContextWithOIDC, grantId: string | undefined): string[] {
  if (!tenant.access) return [];
  const asked = clientCapabilities(parseClaimsRequest(ctx.oidc?.body?.['claims']));
  if (asked.length > 0 || ctx.oidc?.body?.['grant_type'] !== 'authorization_code') return asked;
  return [...tenant.access.signIn(grantId).capabilities];
}

/** The refusal of this refresh (revocation, then inactivity, then step-up policies), or undefined when it may succeed. */
function refusalOf(access: AccessPolicies, oid: string, refreshToken: { iat?: number | undefined; grantId?: string | undefined }): AccessRefusal | undefined {
  const validFrom = access.validFrom(oid);
  if (validFrom !== undefined && access.revoked(oid, refreshToken.iat)) return revokedGrantRefusal(refreshToken.iat ?? 0, validFrom);
  if (access.inactive(oid, refreshToken.iat)) return inactiveGrantRefusal(refreshToken.iat ?? 0);
  const policy = access.refuseRefresh(oid, refreshToken.grantId);
  return policy ? stepUpRefusal(policy) : undefined;
}

/**
 * Koa middleware in front of the Entra shims: replaces a successful refresh-token answer with
 * Entra's 400 when the tenant's access policies refuse it (the tokens oidc-provider made are
 * thrown away unseen). A no-op without {@link TenantContext.access}.
 */
export function accessPolicyShim(tenant: TenantContext) {
  return async (ctx: KoaContextWithOIDC, next: Next): Promise<void> => {
    await next();
    const access = tenant.access;
    if (!access || ctx.method !== 'POST' || ctx.path !== ROUTES.token || ctx.status !== 200) return;
    if (ctx.oidc?.body?.['grant_type'] !== 'refresh_token') return;
    const refreshToken = ctx.oidc.entities.RefreshToken;
    const user = refreshToken?.accountId === undefined ? undefined : tenant.users.bySubject(refreshToken.accountId);
    if (!refreshToken || !user) return;
    const refusal = refusalOf(access, user.oid, refreshToken);
    if (!refusal) return;
    ctx.status = 400;
    ctx.body = refusal;
  };
}
