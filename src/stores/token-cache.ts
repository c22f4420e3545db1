/**
 * Where each user's serialized MSAL token cache lives, keyed by the account's `homeAccountId`
 * (one small cache per user, as Microsoft recommends for web apps).
 */
export interface TokenCacheStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * In-process store for development: entries expire after `ttlMs` of not being written
 * and die with the process.
 */
export class MemoryTokenCacheStore implements TokenCacheStore {
  readonly #entries = new Map<string, { value: string; expires: number }>();
  readonly #ttlMs: number;

  constructor(ttlMs = 24 * 60 * 60 * 1000) {
    this.#ttlMs = ttlMs;
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async set(key: string, value: string): Promise<void> {
    this.#prune();
    this.#entries.set(key, { value, expires: Date.now() + this.#ttlMs });
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
