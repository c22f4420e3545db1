import { randomBytes } from 'node:crypto';
import type { UserFlow } from '../config/index.ts';

/** The signed-in user as kept in the server-side session (never any token). */
export interface SignedInUser {
  readonly homeAccountId: string;
  /**
   * Where this session's own token cache is stored (newCacheKey). MSAL still finds the account inside
   * it by homeAccountId. Sessions stored before per-session caches have none: they are signed out.
   */
  readonly cacheKey: string;
  readonly name: string;
  readonly username: string;
  readonly claims: Readonly<Record<string, unknown>>;
  /** The user flow the user signed in with (B2C tokens are bound to their user flow's authority). */
  readonly flow?: UserFlow | undefined;
}

/**
 * A fresh token-cache key for one signed-in session: 128 random bits, base64url (OWASP Session
 * Management Cheat Sheet, "Session ID Entropy": at least 64 bits). Each session gets its own cache, so
 * signing out in one browser deletes that browser's tokens only, and a new sign-in hands tokens to
 * the new session only; the key is also bound into the cache's encryption (stores/crypto.ts).
 */
export function newCacheKey(): string {
  return randomBytes(16).toString('base64url');
}

/** Whether a stored session's user has a per-session cache key (sessions stored before it have none). */
export function hasCacheKey(user: SignedInUser): boolean {
  return typeof (user as { cacheKey?: unknown }).cacheKey === 'string' && user.cacheKey !== '';
}
