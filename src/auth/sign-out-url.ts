import type { Config } from '../config/index.ts';

/**
 * The logout URL (OpenID Connect RP-Initiated Logout 1.0 §2): `post_logout_redirect_uri`, `client_id`,
 * and the hints that name the user, from the session's ID-token `claims`.
 * - `logout_hint`: the value of the ID token's optional claim `login_hint`, when the app registration
 *   issues it; Entra then signs that account out without asking "Pick an account"
 *   (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#send-a-sign-out-request). It is
 *   an opaque identifier, never a UPN or e-mail address (the same page says not to use those).
 * - `id_token_hint`: only when the caller passes one, i.e. when B2C's "Require ID Token in logout
 *   requests" is on (B2C then refuses a logout without it, AADB2C90272:
 *   https://learn.microsoft.com/azure/active-directory-b2c/openid-connect#send-a-sign-out-request).
 *   RP-Initiated Logout 1.0 §2 allows it, but a token in a URL ends up in the authority's logs and the
 *   browser's history, so it is not sent where it is not required.
 * Without `end_session_endpoint` the browser goes straight to the post-sign-out route.
 */
export function logoutUrl(
  endSessionEndpoint: string | undefined, config: Pick<Config, 'postSignOutRedirectUri' | 'clientId'>,
  claims: Readonly<Record<string, unknown>>, idTokenHint?: string,
): string {
  if (!endSessionEndpoint) return config.postSignOutRedirectUri;
  const url = new URL(endSessionEndpoint);
  url.searchParams.set('post_logout_redirect_uri', config.postSignOutRedirectUri);
  url.searchParams.set('client_id', config.clientId);
  const loginHint = claims['login_hint'];
  if (typeof loginHint === 'string' && loginHint !== '') url.searchParams.set('logout_hint', loginHint);
  if (idTokenHint) url.searchParams.set('id_token_hint', idTokenHint);
  return url.href;
}
