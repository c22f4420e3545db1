import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import type { TokenCacheStore } from '../stores/token-cache.ts';

/**
 * Connects one short-lived MSAL client to one user's cache in a TokenCacheStore.
 * The blob is read once per client and written back only when MSAL changed it.
 * With no key yet (code redemption), the new cache is kept in `serialized` for the caller to store.
 */
export class UserCachePlugin implements ICachePlugin {
  readonly #store: TokenCacheStore;
  readonly #key: string | undefined;
  #loaded = false;
  serialized: string | undefined;

  constructor(store: TokenCacheStore, key?: string) {
    this.#store = store;
    this.#key = key;
  }

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    if (this.#loaded || this.#key === undefined) return;
    const blob = await this.#store.get(this.#key);
    if (blob !== undefined) context.tokenCache.deserialize(blob);
    this.#loaded = true;
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    this.serialized = context.tokenCache.serialize();
    if (this.#key !== undefined) await this.#store.set(this.#key, this.serialized);
  }
}
