import { createHash } from 'node:crypto';

/** One session of this app signed in during one session of the authority (an ID token's `sid`). */
export interface SignInRecord {
  /** The app's session id (express-session's `req.sessionID`). */
  readonly sessionId: string;
  /** The session's own token cache (SignedInUser.cacheKey). */
  readonly cacheKey: string;
  /** The ID token's `iss`: a multi-tenant app's is the user's tenant issuer. */
  readonly iss: string;
  /** When the session ends at the latest (sign-in + SESSION_MAX_AGE_SECONDS), ms since epoch. */
  readonly expires: number;
}

/**
 * The `sid` → sessions index that front-channel logout needs (auth/front-channel-logout.ts): the
 * authority's logout page names the authority's session (`sid`), never the app's, and the app's
 * cookie does not come with that request. Shared by every instance through the store, so a logout
 * reaching one instance ends the sessions every instance serves. Records are written at sign-in and
 * expire with the session's absolute lifetime; a record of a session that has already ended is
 * harmless (ending it again finds nothing), so sign-out does not remove it.
 */
export interface SignInIndex {
  add(sid: string, record: SignInRecord): Promise<void>;
  /** The unexpired records of `sid`. */
  find(sid: string): Promise<SignInRecord[]>;
  /** Removes the records of these sessions from `sid`'s entry. */
  remove(sid: string, sessionIds: readonly string[]): Promise<void>;
}

/**
 * The store key of an authority `sid`: SHA-256, base64url. Keys have a fixed length whatever the
 * request sent, and the store never holds the authority's session id itself.
 */
export function sidKey(sid: string): string {
  return createHash('sha256').update(sid).digest('base64url');
}

/** A record read back from a store, or undefined when it is not one (a foreign or damaged value). */
export function parseRecord(sessionId: string, json: string): SignInRecord | undefined {
  try {
    const value = JSON.parse(json) as Partial<SignInRecord>;
    if (typeof value.cacheKey !== 'string' || typeof value.iss !== 'string' || typeof value.expires !== 'number') return undefined;
    return { sessionId, cacheKey: value.cacheKey, iss: value.iss, expires: value.expires };
  } catch {
    return undefined;
  }
}

/** The stored form of a record (the session id is the field or column it lives under). */
export function recordJson(record: SignInRecord): string {
  return JSON.stringify({ cacheKey: record.cacheKey, iss: record.iss, expires: record.expires });
}

/** In-process index (tests, and the app's in-memory default): one map per sid. */
export class MemorySignInIndex implements SignInIndex {
  readonly #entries = new Map<string, Map<string, SignInRecord>>();

  async add(sid: string, record: SignInRecord): Promise<void> {
    this.#prune();
    const entry = this.#entries.get(sid) ?? new Map<string, SignInRecord>();
    entry.set(record.sessionId, record);
    this.#entries.set(sid, entry);
  }

  async find(sid: string): Promise<SignInRecord[]> {
    const now = Date.now();
    return [...(this.#entries.get(sid)?.values() ?? [])].filter((r) => r.expires > now);
  }

  async remove(sid: string, sessionIds: readonly string[]): Promise<void> {
    const entry = this.#entries.get(sid);
    if (!entry) return;
    for (const id of sessionIds) entry.delete(id);
    if (entry.size === 0) this.#entries.delete(sid);
  }

  /** Number of sids held (for tests). */
  get size(): number {
    return this.#entries.size;
  }

  #prune(): void {
    const now = Date.now();
    for (const [sid, entry] of this.#entries) {
      for (const [id, record] of entry) if (record.expires <= now) entry.delete(id);
      if (entry.size === 0) this.#entries.delete(sid);
    }
  }
}
