/** Runtime settings: session secret, stores and their keys, logging, proxies. */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseKeyRing } from '../stores/crypto.ts';
import { ConfigError } from './errors.ts';
import { isPlaceholder } from './parse.ts';
import type { RawSettings } from './types.ts';

/** SESSION_SECRET: required in production; otherwise generated for this process when unset. */
export function sessionSecretOf(raw: RawSettings, production: boolean): { secret: string; generated: boolean } {
  const hint = 'generate one with: node -e "console.log(crypto.randomBytes(32).toString(\'base64url\'))"';
  if (raw.sessionSecret === undefined) {
    if (production) throw new ConfigError('SESSION_SECRET', `SESSION_SECRET is required when NODE_ENV=production: ${hint}`);
    return { secret: randomBytes(32).toString('base64url'), generated: true };
  }
  if (raw.sessionSecret.length < 32 || isPlaceholder(raw.sessionSecret)) {
    throw new ConfigError('SESSION_SECRET', `SESSION_SECRET is too short (at least 32 characters): ${hint}`);
  }
  return { secret: raw.sessionSecret, generated: false };
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** REDIS_URL, DATA_DIR, TOKEN_CACHE_KEYS and LOG_LEVEL: where state lives and how it is protected. */
export function storageOf(raw: RawSettings, production: boolean) {
  if (raw.redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(raw.redisUrl)) {
    throw new ConfigError('REDIS_URL', 'REDIS_URL must look like redis://host:6379 (or rediss:// for TLS)');
  }
  const hint = 'generate one with: node -e "console.log(\'k1:\' + crypto.randomBytes(32).toString(\'base64\'))"';
  if (raw.tokenCacheKeys === undefined && production) {
    throw new ConfigError('TOKEN_CACHE_KEYS', `TOKEN_CACHE_KEYS is required when NODE_ENV=production (it encrypts token caches at rest): ${hint}`);
  }
  if (raw.tokenCacheKeys !== undefined) {
    try {
      parseKeyRing(raw.tokenCacheKeys);
    } catch (error) {
      throw new ConfigError('TOKEN_CACHE_KEYS', `TOKEN_CACHE_KEYS is not usable (${(error as Error).message}): ${hint}`);
    }
  }
  const logLevel = raw.logLevel ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `LOG_LEVEL "${logLevel}" must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    redisUrl: raw.redisUrl,
    dataDir: resolve(raw.dataDir ?? '.data'),
    tokenCacheKeys: raw.tokenCacheKeys,
    logLevel: logLevel as (typeof LOG_LEVELS)[number],
  };
}

/** TRUST_PROXY: unset or "false" (no proxy), "true", a hop count, or Express's list of addresses/names. */
export function trustProxyOf(raw: RawSettings): boolean | number | string {
  const value = raw.trustProxy;
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^[\w.:/,\s-]+$/.test(value)) return value;
  throw new ConfigError('TRUST_PROXY', `TRUST_PROXY "${value}" must be true, false, a hop count or a list of proxy addresses`);
}
