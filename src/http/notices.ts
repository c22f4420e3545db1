/**
 * One-shot notices on the home page: a redirect names one by key (`/?notice=signed_out`), and the
 * page shows that key's fixed text. Free text from the query is never shown (no reflected content,
 * no phishing text under the app's name: OWASP "Content spoofing").
 */
export const NOTICES = {
  signin_cancelled: 'Sign-in cancelled. You can sign in again whenever you are ready.',
  signed_out: 'You have signed out.',
} as const;
export type NoticeKey = keyof typeof NOTICES;

/** The home page URL that shows `key`'s notice. */
export function noticeUrl(key: NoticeKey): string {
  return `/?${new URLSearchParams({ notice: key })}`;
}

/** The text for a query's `notice` value, or undefined for anything that is not exactly one known key. */
export function noticeText(value: unknown): string | undefined {
  return typeof value === 'string' && Object.hasOwn(NOTICES, value) ? NOTICES[value as NoticeKey] : undefined;
}
