import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type session from 'express-session';
import { ConfigError } from '../config/index.ts';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log.ts';
import { newKeyEntry, parseKeyRing } from './crypto.ts';
import type { KeyRing } from './crypto.ts';
import { EncryptedTokenCacheStore } from './encrypted.ts';
import { dataFiles, ensurePrivateDir, tightenPermissions } from './files.ts';
import { GuardedSessionStore, GuardedSignInIndex, GuardedTokenCacheStore } from './guard.ts';
import type { SignInIndex } from './sign-in-index.ts';
import { SqliteSignInIndex } from './sqlite-sign-ins.ts';
import { SqliteDatabase, SqliteSessionStore, SqliteTokenCacheStore } from './sqlite.ts';
import type { TokenCacheStore } from './token-cache.ts';

/** Sessions and token caches, with a health probe and a way to close them. */
export interface Stores {
  readonly kind: 'sqlite' | 'redis';
  readonly sessionStore: session.Store;
  readonly tokenCaches: TokenCacheStore;
  /** The authority-session (`sid`) → sessions index front-channel logout reads (sign-in-index.ts). */
  readonly signIns: SignInIndex;
  /** Resolves when the store answers; rejects when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

const PRUNE_EVERY_MS = 10 * 60 * 1000;

/**
 * The token-cache key ring: TOKEN_CACHE_KEYS, or (outside production) a key generated once into
 * `<dataDir>/token-cache.key` (mode 0600, folder 0700) so that restarts keep everyone's caches readable.
 * Never in production: a copy of the data folder would carry the key and the data together.
 */
export function keyRingFor(config: Config): KeyRing {
  if (config.tokenCacheKeys) return parseKeyRing(config.tokenCacheKeys);
  if (config.production) throw new ConfigError('TOKEN_CACHE_KEYS', 'TOKEN_CACHE_KEYS is required in production: no key is generated next to the data');
  const file = join(config.dataDir, 'token-cache.key');
  if (!existsSync(file)) {
    ensurePrivateDir(config.dataDir);
    writeFileSync(file, `${newKeyEntry()}\n`, { mode: 0o600, flag: 'wx' });
  }
  return parseKeyRing(readFileSync(file, 'utf8').trim());
}

/** Every store behind the failure guard (503s), token caches sealed with the key ring. */
function protect(sessionStore: session.Store, tokenCaches: TokenCacheStore, signIns: SignInIndex, ring: KeyRing, config: Config, logger: Logger) {
  return {
    sessionStore: new GuardedSessionStore(sessionStore, logger),
    tokenCaches: new GuardedTokenCacheStore(new EncryptedTokenCacheStore(tokenCaches, ring, config.clientId, logger), logger),
    signIns: new GuardedSignInIndex(signIns, logger),
  };
}

function sqliteStores(config: Config, logger: Logger, ring: KeyRing): Stores {
  const db = new SqliteDatabase(join(config.dataDir, 'app.db'));
  const ttl = config.sessionMaxAgeSeconds * 1000;
  const timer = setInterval(() => {
    try {
      db.prune();
    } catch (error) {
      logger.error('store.prune_failed', { reason: (error as Error).message });
    }
  }, PRUNE_EVERY_MS);
  timer.unref();
  db.prune();
  return {
    kind: 'sqlite',
    ...protect(new SqliteSessionStore(db, ttl), new SqliteTokenCacheStore(db, ttl), new SqliteSignInIndex(db), ring, config, logger),
    ping: async () => db.ping(),
    close: async () => {
      clearInterval(timer);
      db.close();
    },
  };
}

async function redisStores(config: Config, logger: Logger, ring: KeyRing, url: string): Promise<Stores> {
  // Loaded only when Redis is configured: the client library alone adds ~140 ms to start-up.
  const { createRedisClient, redisSessionStore, RedisTokenCacheStore } = await import('./redis.ts');
  const { RedisSignInIndex } = await import('./redis-sign-ins.ts');
  const client = createRedisClient(url, logger);
  // Connecting goes on in the background (with retries); until it succeeds requests get 503s.
  client.connect().catch((error: unknown) => logger.error('redis.connect_failed', { reason: (error as Error).message }));
  const ttl = config.sessionMaxAgeSeconds * 1000;
  return {
    kind: 'redis',
    // Keys are namespaced by client id: several apps may share one Redis database.
    ...protect(redisSessionStore(client, config.clientId, ttl), new RedisTokenCacheStore(client, ttl, config.clientId),
      new RedisSignInIndex(client, config.clientId), ring, config, logger),
    ping: async () => { await client.ping(); },
    close: async () => { await client.close().catch(() => client.destroy()); },
  };
}

/**
 * Files an earlier version (or a copy with a permissive umask) left readable by other local users are set
 * to 0600, with one warning each; a file the app cannot chmod is only reported.
 */
function protectDataFiles(config: Config, logger: Logger): void {
  for (const change of tightenPermissions(dataFiles(config.dataDir))) {
    logger.warn('store.file_permissions', {
      file: change.file, mode: change.from, fixed: change.fixed,
      hint: change.fixed ? 'set to 0600: only the owner may read it' : `make it private: chmod 600 ${change.file}`,
    });
  }
}

/** Opens the configured stores: Redis when REDIS_URL is set, else SQLite under DATA_DIR. */
export async function openStores(config: Config, logger: Logger): Promise<Stores> {
  protectDataFiles(config, logger);
  const ring = keyRingFor(config);
  return config.redisUrl ? redisStores(config, logger, ring, config.redisUrl) : sqliteStores(config, logger, ring);
}
