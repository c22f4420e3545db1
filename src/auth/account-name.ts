/**
 * The sign-in name to show: `preferred_username` (Entra ID, External ID), else the first of B2C's
 * `emails`, else `email`; MSAL only knows the first.
 */
export function usernameOf(claims: Readonly<Record<string, unknown>>, fromMsal: string): string {
  if (fromMsal) return fromMsal;
  const emails = claims['emails'];
  const first = Array.isArray(emails) ? emails.find((e) => typeof e === 'string') : undefined;
  return typeof first === 'string' ? first : typeof claims['email'] === 'string' ? claims['email'] : '';
}
