import { RedisStore } from 'connect-redis';
import type { SessionData } from 'express-session';
import type { RedisClientType } from 'redis';
import { sessionExpires } from './session-expiry.ts';

type Callback = (err?: unknown, value?: unknown) => void;

/** Writes the session only while no tombstone names its sid: KEYS = session, tombstone; ARGV = JSON, ttl ms. */
const SET_UNLESS_DESTROYED = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

/**
 * Deletes the session and leaves a tombstone until the session would have expired (its own TTL, or
 * ARGV[1] ms when it has none), never shortening an existing tombstone. KEYS = session, tombstone.
 */
const DESTROY_WITH_TOMBSTONE = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 1 then ttl = tonumber(ARGV[1]) end
local left = redis.call('PTTL', KEYS[2])
if left > ttl then ttl = left end
redis.call('SET', KEYS[2], '1', 'PX', ttl)
redis.call('DEL', KEYS[1])
return 1`;

/**
 * connect-redis with the SQLite store's guarantee: a destroyed session stays destroyed. Each write
 * and each destroy is one Lua script (atomic in Redis, one round trip), so a request that loaded the
 * session before sign-out, on this instance or another, cannot recreate it by saving it afterwards.
 * Tombstones live under `sess-gone:<namespace>:` so session counts (`sess:<namespace>:*`) ignore them.
 */
export class TombstoningRedisStore extends RedisStore {
  readonly #redis: RedisClientType;
  readonly #gonePrefix: string;
  readonly #tombstoneMs: number;

  constructor(client: RedisClientType, namespace: string, tombstoneMs: number) {
    super({ client, prefix: `sess:${namespace}:`, disableTouch: true });
    this.#redis = client;
    this.#gonePrefix = `sess-gone:${namespace}:`;
    this.#tombstoneMs = tombstoneMs;
  }

  override async set(sid: string, sess: SessionData, cb?: Callback): Promise<void> {
    const ttl = sessionExpires(sess) - Date.now();
    if (ttl <= 0) return this.destroy(sid, cb);
    try {
      await this.#redis.eval(SET_UNLESS_DESTROYED, {
        keys: [this.prefix + sid, this.#gonePrefix + sid], arguments: [JSON.stringify(sess), String(ttl)],
      });
      cb?.();
    } catch (error) {
      cb?.(error);
    }
  }

  override async destroy(sid: string, cb?: Callback): Promise<void> {
    try {
      await this.#redis.eval(DESTROY_WITH_TOMBSTONE, { keys: [this.prefix + sid, this.#gonePrefix + sid], arguments: [String(this.#tombstoneMs)] });
      cb?.();
    } catch (error) {
      cb?.(error);
    }
  }
}
