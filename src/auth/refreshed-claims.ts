import type { SignedInUser } from './signed-in-user.ts';

/** What Identity.acquireToken hands back: the access token, and the claims of a verified refreshed ID token. */
export interface AcquiredToken {
  readonly accessToken: string;
  /** Present only when the refresh brought a newly issued ID token that passed verification (id-token.ts). */
  readonly claims?: Readonly<Record<string, unknown>> | undefined;
}

/** Claims about the sign-in itself, not the user: a refreshed ID token may leave them out, and sign-out needs them. */
const SIGN_IN_CLAIMS = ['sid', 'login_hint', 'auth_time'] as const;

/**
 * The session's user after a refresh brought a verified ID token (OIDC Core §12.2, same `sub` and
 * `iss` already enforced): its claims replace the old ones, so app roles and groups removed or added
 * by an administrator take effect now, not at the next sign-in. Claims about the sign-in itself
 * (`sid`, `login_hint`, `auth_time`) are kept when the new token has none.
 */
export function withRefreshedClaims(user: SignedInUser, fresh: Readonly<Record<string, unknown>>): SignedInUser {
  const claims: Record<string, unknown> = { ...fresh };
  for (const name of SIGN_IN_CLAIMS) if (claims[name] === undefined && user.claims[name] !== undefined) claims[name] = user.claims[name];
  return { ...user, claims };
}
