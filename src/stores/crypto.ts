import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** Encryption keys for token caches: the first encrypts, all decrypt (so keys can be rotated). */
export interface KeyRing {
  readonly currentId: string;
  /** Raw key bytes, for re-export (rotation tooling, tests). */
  readonly keys: ReadonlyMap<string, Buffer>;
  /** The same keys as KeyObjects, built once: creating one per call costs more than the cipher itself. */
  readonly keyObjects: ReadonlyMap<string, KeyObject>;
}

const ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `id1:base64key,id2:base64key` (or one bare base64 key, id `k1`). Each key must be 32 bytes
 * (AES-256). Throws a message naming what is wrong, never the key.
 */
export function parseKeyRing(value: string): KeyRing {
  const entries = value.split(',').map((part) => part.trim()).filter(Boolean).map((part, i) => {
    const at = part.indexOf(':');
    const [id, encoded] = at < 0 ? [`k${i + 1}`, part] : [part.slice(0, at), part.slice(at + 1)];
    const key = Buffer.from(encoded, 'base64');
    if (!ID.test(id)) throw new Error(`key id "${id}" must be 1-32 letters, digits, _ or -`);
    if (key.length !== 32) throw new Error(`key "${id}" must be 32 bytes, base64-encoded`);
    return [id, key] as const;
  });
  if (entries.length === 0) throw new Error('no key given');
  return {
    currentId: entries[0]![0],
    keys: new Map(entries),
    keyObjects: new Map(entries.map(([id, key]) => [id, createSecretKey(key)])),
  };
}

/** A fresh key ring entry (`id:base64`), for development data folders and for documentation. */
export function newKeyEntry(id = 'k1'): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/**
 * AES-256-GCM with a random 96-bit IV (NIST SP 800-38D). `context` (the cache key) is bound as
 * additional data, so a blob copied under another user's key does not decrypt.
 * Format: `v1.<keyId>.<iv>.<ciphertext>.<tag>` in base64url.
 */
export function seal(ring: KeyRing, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.keyObjects.get(ring.currentId)!, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', ring.currentId, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** Opens a sealed value; throws on an unknown key id, a wrong context or any tampering. */
export function unseal(ring: KeyRing, sealed: string, context: string): string {
  const [version, id, iv, body, tag] = sealed.split('.');
  const key = id === undefined ? undefined : ring.keyObjects.get(id);
  if (version !== 'v1' || !key || !iv || body === undefined || !tag) throw new Error('token cache blob is not readable with the configured keys');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}
