import { parseClaimsRequest } from './claims-request.ts';

/**
 * The OIDC claims a sign-in grants: those oidc-provider reports missing (prompt details), plus those
 * the `claims` parameter asks for in the ID token or userinfo (OpenID Connect Core §5.5). msal-node
 * asks for `login_hint`, `signin_state` and `tenant_region_sub_scope` on every request that carries
 * claims (msal-common RequestParameterBuilder); Entra has no consent per claim, and a supported claim
 * left out of the grant would make oidc-provider ask for consent again after every sign-in.
 */
export function claimsToGrant(params: Record<string, unknown>, missing: unknown): string[] {
  const asked = parseClaimsRequest(params['claims']);
  const named = ['id_token', 'userinfo'].flatMap((member) => {
    const claims = asked?.[member];
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? Object.keys(claims) : [];
  });
  return [...new Set([...(Array.isArray(missing) ? missing.map(String) : []), ...named])];
}
