/** Runtime settings: session secret, stores and their keys, logging, proxies. */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseKeyRing } from '../stores/crypto.ts';
import { ConfigError } from './errors.ts';
import { isPlaceholder } from './parse.ts';
import type { RawSettings } from './types.ts';

/**
 * SESSION_SECRET: required in production (`production` says why the production rules apply, see
 * productionReasonOf in validate.ts); otherwise generated for this process when unset.
 */
export function sessionSecretOf(raw: RawSettings, production: string | undefined): { secret: string; generated: boolean } {
  const hint = 'generate one with: node -e "console.log(crypto.randomBytes(32).toString(\'base64url\'))"';
  if (raw.sessionSecret === undefined) {
    if (production) throw new ConfigError('SESSION_SECRET', `SESSION_SECRET is required when ${production}: ${hint}`);
    return { secret: randomBytes(32).toString('base64url'), generated: true };
  }
  if (raw.sessionSecret.length < 32 || isPlaceholder(raw.sessionSecret)) {
    throw new ConfigError('SESSION_SECRET', `SESSION_SECRET is too short (at least 32 characters): ${hint}`);
  }
  return { secret: raw.sessionSecret, generated: false };
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** REDIS_URL, DATA_DIR, TOKEN_CACHE_KEYS and LOG_LEVEL: where state lives and how it is protected. */
export function storageOf(raw: RawSettings, production: string | undefined) {
  if (raw.redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(raw.redisUrl)) {
    throw new ConfigError('REDIS_URL', 'REDIS_URL must look like redis://host:6379 (or rediss:// for TLS)');
  }
  const hint = 'generate one with: node -e "console.log(\'k1:\' + crypto.randomBytes(32).toString(\'base64\'))"';
  if (raw.tokenCacheKeys === undefined && production) {
    // No generated key file in production: a copy of DATA_DIR would carry the key and the data together.
    throw new ConfigError('TOKEN_CACHE_KEYS', `TOKEN_CACHE_KEYS is required when ${production} (it encrypts token caches at rest; a key generated next to the data would be copied with it): ${hint}`);
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

const TRUST_PROXY_FIX = 'set the number of proxies in front of the app (1 behind one proxy, as on Azure App Service), '
  + 'or their addresses/CIDRs, or Express\'s names loopback, linklocal, uniquelocal (e.g. TRUST_PROXY=loopback,10.0.0.0/8)';

/**
 * TRUST_PROXY: unset or "false" (no proxy), a hop count, or Express's list of addresses/names.
 * `true` is refused: Express then takes the left-most X-Forwarded-For entry, which the client
 * writes itself, so every per-address limit could be escaped by sending a new address each time
 * (https://expressjs.com/en/guide/behind-proxies.html; OWASP ASVS 5.0 V2.4 anti-automation).
 */
export function trustProxyOf(raw: RawSettings): boolean | number | string {
  const value = raw.trustProxy;
  if (value === undefined || value === 'false') return false;
  if (value.trim().toLowerCase() === 'true') {
    throw new ConfigError('TRUST_PROXY', `TRUST_PROXY=true lets any client choose its address through X-Forwarded-For and escape the per-address sign-in limit: ${TRUST_PROXY_FIX}`);
  }
  if (/^\d+$/.test(value)) return Number(value);
  if (/^[\w.:/,\s-]+$/.test(value)) return value;
  throw new ConfigError('TRUST_PROXY', `TRUST_PROXY "${value}" must be false, a hop count or a list of proxy addresses: ${TRUST_PROXY_FIX}`);
}
