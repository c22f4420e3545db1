import type { Logger } from '../log.ts';
import { seal, unseal } from './crypto.ts';
import type { KeyRing } from './crypto.ts';
import type { TokenCacheStore } from './token-cache.ts';

/**
 * Encrypts token caches at rest. A blob that no configured key opens (a retired key, tampering)
 * reads as "no cache": the user signs in again instead of seeing an error.
 */
export class EncryptedTokenCacheStore implements TokenCacheStore {
  readonly #inner: TokenCacheStore;
  readonly #ring: KeyRing;
  readonly #logger: Logger;

  constructor(inner: TokenCacheStore, ring: KeyRing, logger: Logger) {
    this.#inner = inner;
    this.#ring = ring;
    this.#logger = logger;
  }

  async get(key: string): Promise<string | undefined> {
    const sealed = await this.#inner.get(key);
    if (sealed === undefined) return undefined;
    try {
      return unseal(this.#ring, sealed, key);
    } catch {
      this.#logger.warn('token_cache.unreadable', { account: key });
      return undefined;
    }
  }

  set(key: string, value: string): Promise<void> {
    return this.#inner.set(key, seal(this.#ring, value, key));
  }

  delete(key: string): Promise<void> {
    return this.#inner.delete(key);
  }
}
