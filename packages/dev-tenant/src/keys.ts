import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { calculateJwkThumbprint } from 'jose';
import type { JWK } from 'jose';

import { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';
import { readJsonIfExists, writeSecret } from './files.ts';

/** The tenant's persisted identity: tenant id and its one registered confidential client. */
export interface TenantIdentity {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** Everything secret the tenant persists in its data directory. */
export interface TenantSecrets extends TenantIdentity {
  /** RS256 private signing keys (JWKs with kid, alg, use), newest first: the first one signs. */
  signingKeys: JWK[];
  /** Keys for oidc-provider's signed cookies. */
  cookieKeys: string[];
}

const SIGNING_KEY_FILE = 'signing-key.json';
/** Keys replaced by rotateSigningKey({ keepOld: true }), newest first; still published, never used to sign. */
const RETIRED_KEYS_FILE = 'retired-signing-keys.json';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function isIdentity(value: unknown): value is TenantIdentity {
  const v = value as Partial<TenantIdentity> | undefined;
  return typeof v?.tenantId === 'string' && GUID.test(v.tenantId)
    && typeof v.clientId === 'string' && GUID.test(v.clientId)
    && typeof v.clientSecret === 'string' && v.clientSecret.length >= 32;
}

function corrupt(file: string): DevTenantError {
  return new DevTenantError(DEV_TENANT_ERROR_CODES.badDataDir, `${file} is not usable: delete it to have it regenerated`);
}

async function loadIdentity(dataDir: string): Promise<TenantIdentity> {
  const file = join(dataDir, 'tenant.json');
  const stored = await readJsonIfExists(file);
  if (stored !== undefined) {
    if (!isIdentity(stored)) throw corrupt(file);
    return stored;
  }
  // Entra client secrets are ~40 printable characters; ours are random base64url of the same length.
  const identity = { tenantId: randomUUID(), clientId: randomUUID(), clientSecret: randomBytes(30).toString('base64url') };
  await writeSecret(file, `${JSON.stringify(identity, null, 2)}\n`);
  return identity;
}

/** A fresh RS256 signing key whose kid is its JWK thumbprint (RFC 7638). */
export async function newSigningKey(): Promise<JWK> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  return { ...jwk, kid, alg: 'RS256', use: 'sig' };
}

function isPrivateRsaKey(value: unknown): value is JWK {
  const jwk = value as JWK | undefined;
  return jwk?.kty === 'RSA' && typeof jwk.d === 'string' && typeof jwk.kid === 'string';
}

async function loadSigningKey(dataDir: string): Promise<JWK> {
  const file = join(dataDir, SIGNING_KEY_FILE);
  const stored = await readJsonIfExists(file);
  if (stored !== undefined) {
    if (!isPrivateRsaKey(stored)) throw corrupt(file);
    return stored;
  }
  const jwk = await newSigningKey();
  await writeSecret(file, `${JSON.stringify(jwk)}\n`);
  return jwk;
}

async function loadSigningKeys(dataDir: string): Promise<JWK[]> {
  const current = await loadSigningKey(dataDir);
  const file = join(dataDir, RETIRED_KEYS_FILE);
  const stored = await readJsonIfExists(file) ?? [];
  if (!Array.isArray(stored) || !stored.every(isPrivateRsaKey)) throw corrupt(file);
  // A rotation interrupted between its two writes leaves the current key among the retired ones.
  const keys = [current];
  for (const jwk of stored) {
    if (!keys.some((k) => k.kid === jwk.kid)) keys.push(jwk);
  }
  return keys;
}

/**
 * Persists the signing keys (newest first): the newest in signing-key.json, the others in
 * retired-signing-keys.json, so a restart on the same dataDir signs and publishes the same keys.
 */
export async function saveSigningKeys(dataDir: string, keys: readonly JWK[]): Promise<void> {
  const [current, ...retired] = keys;
  if (!current) throw new DevTenantError(DEV_TENANT_ERROR_CODES.invalidOption, 'at least one signing key is needed');
  await writeSecret(join(dataDir, RETIRED_KEYS_FILE), `${JSON.stringify(retired)}\n`);
  await writeSecret(join(dataDir, SIGNING_KEY_FILE), `${JSON.stringify(current)}\n`);
}

async function loadCookieKeys(dataDir: string): Promise<string[]> {
  const file = join(dataDir, 'cookie-keys.json');
  const stored = await readJsonIfExists(file);
  if (stored !== undefined) {
    if (!Array.isArray(stored) || !stored.every((k) => typeof k === 'string' && k.length >= 32)) throw corrupt(file);
    return stored as string[];
  }
  const keys = [randomBytes(32).toString('base64url')];
  await writeSecret(file, `${JSON.stringify(keys)}\n`);
  return keys;
}

/** The public members of an RSA JWK (what the jwks endpoint publishes). */
export function publicJwk(jwk: JWK): JWK {
  const { kty, n, e, kid, alg, use } = jwk;
  return { kty, n, e, kid, alg, use } as JWK;
}

/**
 * Loads the tenant's identity, signing keys and cookie keys from `dataDir`, creating
 * whatever is missing. Persisting the signing key keeps issued tokens valid across restarts.
 */
export async function loadTenantSecrets(dataDir: string): Promise<TenantSecrets> {
  const identity = await loadIdentity(dataDir);
  const signingKeys = await loadSigningKeys(dataDir);
  const cookieKeys = await loadCookieKeys(dataDir);
  return { ...identity, signingKeys, cookieKeys };
}
