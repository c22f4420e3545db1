import { AuthError } from '@azure/msal-node';
import { errorNoOf } from './authority-refusal.ts';

/**
 * AADSTS codes with which Microsoft Entra refuses a refresh because the user's grant or sign-in
 * session is over, not because a sign-in could add something (consent, MFA): the session built on
 * it must end too. From https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 * and the "Token revocation" table of https://learn.microsoft.com/entra/identity-platform/refresh-tokens:
 * 50173 FreshTokenNeeded (sessions revoked by an admin or the user, password changed or reset),
 * 700082 ExpiredOrRevokedGrantInactiveToken, 700084 (fixed-lifetime refresh token expired),
 * 70043 BadTokenDueToSignInFrequency (Conditional Access sign-in frequency), 50089 flow token expired,
 * 50057 UserDisabled, 50055 InvalidPasswordExpiredPassword, 50132 SsoArtifactInvalidOrExpired and
 * 50133 SsoArtifactRevoked (password expired or recently changed).
 * AADSTS70008 is left out: Entra also sends it for expired authorization codes and plain expiry,
 * which a sign-in that returns to the page fixes.
 */
const SESSION_ENDING_AADSTS: ReadonlySet<number> = new Set([50173, 700082, 700084, 70043, 50089, 50057, 50055, 50132, 50133]);

/**
 * Every AADSTS number an MSAL error carries: `errorNo` (errorNoOf), the `Error(s): 50173,…` list msal puts in a
 * ServerError's message, and `AADSTSnnnnn` in the error description.
 */
export function aadstsCodesOf(error: AuthError): number[] {
  const codes = new Set<number>();
  const errorNo = errorNoOf(error);
  if (errorNo !== undefined) codes.add(Number(errorNo));
  const text = `${error.errorMessage} ${error.message}`;
  for (const list of text.matchAll(/Error\(s\): ([\d,\s]+) -/g)) {
    for (const code of list[1]!.split(',')) if (/^\s*\d{4,8}\s*$/.test(code)) codes.add(Number(code));
  }
  for (const match of text.matchAll(/AADSTS(\d{4,8})\b/g)) codes.add(Number(match[1]));
  return [...codes];
}

/**
 * The AADSTS code when a refresh was refused with `invalid_grant` (RFC 6749 §5.2) because the grant
 * was revoked or expired for good (SESSION_ENDING_AADSTS), whether msal raised it as a ServerError or,
 * with a suberror such as `bad_token`, as an InteractionRequiredAuthError; undefined otherwise.
 */
export function sessionEndingCode(error: unknown): number | undefined {
  if (!(error instanceof AuthError) || error.errorCode !== 'invalid_grant') return undefined;
  return aadstsCodesOf(error).find((code) => SESSION_ENDING_AADSTS.has(code));
}
