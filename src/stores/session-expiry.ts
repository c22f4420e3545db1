import type { SessionData } from 'express-session';

/** When a stored session expires, ms since epoch: its cookie's expiry, or a day from now for session cookies. */
export function sessionExpires(sess: SessionData, now = Date.now()): number {
  const expires = sess.cookie?.expires;
  return expires ? new Date(expires).getTime() : now + 86_400_000;
}
