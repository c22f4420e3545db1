import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import type { RedisClientType } from 'redis';
import type { Logger } from '../log.ts';
import type { TokenCacheStore } from './token-cache.ts';

export type RedisClient = RedisClientType;

/**
 * A Redis client that fails fast while the server is away (no offline queue: a request gets a
 * 503 instead of waiting) and reconnects by itself with capped back-off.
 */
export function createRedisClient(url: string, logger: Logger): RedisClient {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
  }) as RedisClientType;
  let down = false;
  client.on('error', (error: Error) => {
    if (!down) logger.error('redis.unavailable', { reason: error.message });
    down = true;
  });
  client.on('ready', () => {
    if (down) logger.info('redis.recovered');
    down = false;
  });
  return client;
}

/**
 * Sessions in Redis (connect-redis) under `sess:<namespace>:`, shared by every instance of one app.
 * No touch: lifetimes are enforced from the session's own timestamps (auth/session-lifetime.ts), so
 * unchanged requests write nothing.
 */
export function redisSessionStore(client: RedisClient, namespace: string): RedisStore {
  return new RedisStore({ client, prefix: `sess:${namespace}:`, disableTouch: true });
}

/**
 * Token caches in Redis under `tc:<namespace>:<homeAccountId>`, expiring `ttlMs` after their last
 * write. The namespace (the app's client id) keeps two apps on one Redis database from overwriting
 * each other's caches for the same user.
 */
export class RedisTokenCacheStore implements TokenCacheStore {
  readonly #client: RedisClient;
  readonly #ttlMs: number;
  readonly #prefix: string;

  constructor(client: RedisClient, ttlMs: number, namespace: string) {
    this.#client = client;
    this.#ttlMs = ttlMs;
    this.#prefix = `tc:${namespace}:`;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.#client.get(this.#prefix + key)) ?? undefined;
  }

  async set(key: string, value: string): Promise<void> {
    await this.#client.set(this.#prefix + key, value, { expiration: { type: 'PX', value: this.#ttlMs } });
  }

  async delete(key: string): Promise<void> {
    await this.#client.del(this.#prefix + key);
  }
}
