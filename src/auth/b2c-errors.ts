/**
 * Azure AD B2C's error codes for user actions on its pages, which reach the redirect URI as
 * `error=access_denied` with the code at the start of `error_description`
 * (https://learn.microsoft.com/azure/active-directory-b2c/error-codes).
 */
const OUTCOMES: Readonly<Record<string, 'password_reset' | 'cancelled'>> = {
  /** "The user has forgotten their password." (sign-up/sign-in user flows without self-service reset). */
  AADB2C90118: 'password_reset',
  /** "The user has cancelled entering self-asserted information." */
  AADB2C90091: 'cancelled',
};

/** What the user did on a B2C page, read from the callback's `error_description`; undefined for any other error. */
export function b2cOutcome(description: unknown): 'password_reset' | 'cancelled' | undefined {
  if (typeof description !== 'string') return undefined;
  const code = /^\s*(AADB2C\d+)\b/.exec(description)?.[1];
  return code === undefined ? undefined : OUTCOMES[code];
}
