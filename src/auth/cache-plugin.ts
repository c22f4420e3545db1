import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { TokenCacheStore } from '../stores/token-cache.ts';

/**
 * Connects one short-lived MSAL client to one session's cache in a TokenCacheStore.
 * The blob is read once per client and written back only when MSAL changed it, as a compare-and-set
 * on the version read: a write is dropped when another request stored a newer cache meanwhile, or the
 * cache was deleted (sign-out), so a stale request never overwrites or recreates it. The tokens MSAL
 * got stay usable for the request under way. With no key yet (code redemption), the new cache is kept
 * in `serialized` for the caller to create.
 */
export class UserCachePlugin implements ICachePlugin {
  readonly #store: TokenCacheStore;
  readonly #key: string | undefined;
  #loaded = false;
  /** The version read, then the one written; undefined while nothing was read (no cache: never written). */
  #version: number | undefined;
  serialized: string | undefined;

  constructor(store: TokenCacheStore, key?: string) {
    this.#store = store;
    this.#key = key;
  }

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    if (this.#loaded || this.#key === undefined) return;
    const stored = await this.#store.get(this.#key);
    if (stored !== undefined) context.tokenCache.deserialize(stored.value);
    this.#version = stored?.version;
    this.#loaded = true;
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    this.serialized = context.tokenCache.serialize();
    if (this.#key === undefined || this.#version === undefined) return;
    this.#version = await this.#store.set(this.#key, this.serialized, this.#version);
  }
}
