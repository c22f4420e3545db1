import type { Logger } from '../log.ts';
import { seal, unseal } from './crypto.ts';
import type { KeyRing } from './crypto.ts';
import type { TokenCacheStore, VersionedCache } from './token-cache.ts';

/**
 * Encrypts token caches at rest, each bound to this app's client id and to the key it is stored under.
 * A blob that does not open (a retired key, tampering, another app's or another cache's blob, or the old
 * v1 format) reads as "no cache": the user signs in again instead of seeing an error.
 */
export class EncryptedTokenCacheStore implements TokenCacheStore {
  readonly #inner: TokenCacheStore;
  readonly #ring: KeyRing;
  readonly #clientId: string;
  readonly #logger: Logger;

  constructor(inner: TokenCacheStore, ring: KeyRing, clientId: string, logger: Logger) {
    this.#inner = inner;
    this.#ring = ring;
    this.#clientId = clientId;
    this.#logger = logger;
  }

  async get(key: string): Promise<VersionedCache | undefined> {
    const sealed = await this.#inner.get(key);
    if (sealed === undefined) return undefined;
    try {
      return { value: unseal(this.#ring, sealed.value, { clientId: this.#clientId, cacheKey: key }), version: sealed.version };
    } catch (error) {
      this.#logger.warn('token_cache.unreadable', { cache: key, reason: (error as Error).message });
      return undefined;
    }
  }

  set(key: string, value: string, version: number): Promise<number | undefined> {
    return this.#inner.set(key, seal(this.#ring, value, { clientId: this.#clientId, cacheKey: key }), version);
  }

  delete(key: string): Promise<void> {
    return this.#inner.delete(key);
  }
}
