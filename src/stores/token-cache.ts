/** A stored token cache and its version: 1 when created, one more at each write. */
export interface VersionedCache {
  readonly value: string;
  readonly version: number;
}

/**
 * Where each signed-in session's serialized MSAL token cache lives, under the session's own random
 * cache key (one small cache per session: see SignedInUser.cacheKey). Writes are compare-and-set on
 * the version, so a request that read an older version cannot overwrite a newer cache, and a deleted
 * cache stays deleted: only version 0 ("must not exist") creates, and only sign-in asks for that.
 */
export interface TokenCacheStore {
  get(key: string): Promise<VersionedCache | undefined>;
  /**
   * Writes `value` if the stored version is `version` (0: if there is none), and returns the new
   * version; returns undefined, writing nothing, when the cache is newer or gone.
   */
  set(key: string, value: string, version: number): Promise<number | undefined>;
  delete(key: string): Promise<void>;
}

/**
 * In-process store for development: entries expire after `ttlMs` of not being written
 * and die with the process.
 */
export class MemoryTokenCacheStore implements TokenCacheStore {
  readonly #entries = new Map<string, { value: string; version: number; expires: number }>();
  readonly #ttlMs: number;

  constructor(ttlMs = 24 * 60 * 60 * 1000) {
    this.#ttlMs = ttlMs;
  }

  async get(key: string): Promise<VersionedCache | undefined> {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return { value: entry.value, version: entry.version };
  }

  /** The same compare-and-set as the SQLite and Redis stores (atomic here: one synchronous step). */
  async set(key: string, value: string, version: number): Promise<number | undefined> {
    this.#prune();
    const current = this.#entries.get(key)?.version ?? 0;
    if (current !== version) return undefined;
    this.#entries.set(key, { value, version: version + 1, expires: Date.now() + this.#ttlMs });
    return version + 1;
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  /** Number of caches held (for tests and diagnostics). */
  get size(): number {
    return this.#entries.size;
  }

  /** The keys held (for tests and diagnostics). */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  #prune(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) if (entry.expires <= now) this.#entries.delete(key);
  }
}
