import type { RedisClientType } from 'redis';
import { parseRecord, recordJson, sidKey } from './sign-in-index.ts';
import type { SignInIndex, SignInRecord } from './sign-in-index.ts';

/**
 * Adds one session to a sid's hash and keeps the hash until its longest-lived session ends, never
 * shortening it. KEYS = hash; ARGV = session id, record JSON, ms the record lives.
 */
const ADD = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local ttl = tonumber(ARGV[3])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`;

/**
 * The sign-in index in Redis: one hash per sid under `fcl:<namespace>:<sha256(sid)>`, field = session
 * id, value = the record; the hash expires with the last of its sessions (one Lua script per write:
 * atomic, one round trip). The namespace (the app's client id) keeps apps on one database apart.
 */
export class RedisSignInIndex implements SignInIndex {
  readonly #client: RedisClientType;
  readonly #prefix: string;

  constructor(client: RedisClientType, namespace: string) {
    this.#client = client;
    this.#prefix = `fcl:${namespace}:`;
  }

  async add(sid: string, record: SignInRecord): Promise<void> {
    const ttl = Math.max(1, record.expires - Date.now());
    await this.#client.eval(ADD, { keys: [this.#prefix + sidKey(sid)], arguments: [record.sessionId, recordJson(record), String(ttl)] });
  }

  async find(sid: string): Promise<SignInRecord[]> {
    const fields = await this.#client.hGetAll(this.#prefix + sidKey(sid));
    const now = Date.now();
    return Object.entries(fields)
      .map(([sessionId, json]) => parseRecord(sessionId, json))
      .filter((r): r is SignInRecord => r !== undefined && r.expires > now);
  }

  async remove(sid: string, sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length > 0) await this.#client.hDel(this.#prefix + sidKey(sid), [...sessionIds]);
  }
}
