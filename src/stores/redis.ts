import type { RedisStore } from 'connect-redis';
import { createClient } from 'redis';
import type { RedisClientType } from 'redis';
import type { Logger } from '../log.ts';
import { TombstoningRedisStore } from './redis-sessions.ts';
import type { TokenCacheStore, VersionedCache } from './token-cache.ts';

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
 * Sessions in Redis (connect-redis) under `sess:<namespace>:`, shared by every instance of one app,
 * with tombstones for destroyed sessions (redis-sessions.ts; `tombstoneMs` when a session's TTL is unknown).
 * No touch: lifetimes are enforced from the session's own timestamps (auth/session-lifetime.ts), so
 * unchanged requests write nothing.
 */
export function redisSessionStore(client: RedisClient, namespace: string, tombstoneMs = 86_400_000): RedisStore {
  return new TombstoningRedisStore(client, namespace, tombstoneMs);
}

/**
 * Compare-and-set of a token cache hash (`d` data, `v` version): KEYS = cache; ARGV = expected
 * version (0: must not exist), data, ttl ms. Returns the new version, or 0 when refused.
 */
const SET_IF_VERSION = `
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if v ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'd', ARGV[2], 'v', v + 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return v + 1`;

/**
 * Token caches in Redis under `tc:<namespace>:<cacheKey>`, as hashes of data and version, expiring
 * `ttlMs` after their last write. Writes are one Lua script (atomic, one round trip). The namespace
 * (the app's client id) keeps two apps on one Redis database apart.
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

  async get(key: string): Promise<VersionedCache | undefined> {
    const [value, version] = await this.#client.hmGet(this.#prefix + key, ['d', 'v']);
    return typeof value === 'string' && version ? { value, version: Number(version) } : undefined;
  }

  async set(key: string, value: string, version: number): Promise<number | undefined> {
    const written = await this.#client.eval(SET_IF_VERSION, { keys: [this.#prefix + key], arguments: [String(version), value, String(this.#ttlMs)] });
    return written ? Number(written) : undefined;
  }

  async delete(key: string): Promise<void> {
    await this.#client.del(this.#prefix + key);
  }
}
