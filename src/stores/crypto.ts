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
 * The first id that appears twice. A Map built from a list with a repeated id keeps the last entry, so
 * `k1:new,k1:old` would silently encrypt and decrypt with the old key under the id meant for the new one.
 */
function duplicateId(ids: readonly string[]): string | undefined {
  return ids.find((id, i) => ids.indexOf(id) !== i);
}

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
  const duplicate = duplicateId(entries.map(([id]) => id));
  if (duplicate !== undefined) throw new Error(`key id "${duplicate}" appears more than once: give each key its own id`);
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

/** The sealed-blob format this code writes and the only one it opens (v1 bound the cache key alone). */
const VERSION = 'v2';
/** NIST SP 800-38D §5.2.1.1: 96-bit IVs are the length to support; any other length goes through GHASH. */
const IV_BYTES = 12;
/** NIST SP 800-38D §5.2.1.2: the full 128-bit tag; shorter tags make forgeries more likely. */
const TAG_BYTES = 16;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** What a sealed token cache is bound to: the same blob opened under any other value fails. */
export interface SealContext {
  /** The app's client id: apps that share a store and keys cannot open each other's caches. */
  readonly clientId: string;
  /** The store key the blob lives under: a blob copied under another key does not open. */
  readonly cacheKey: string;
}

/**
 * The additional authenticated data (NIST SP 800-38D §5.2.1, "A"): version, key id, client id and cache key
 * as a JSON array of strings. JSON escapes every quote and backslash inside a string, so no two different
 * tuples encode to the same bytes (unlike a plain join, where `a.b` + `c` and `a` + `b.c` would collide).
 */
export function associatedData(version: string, keyId: string, context: SealContext): Buffer {
  return Buffer.from(JSON.stringify([version, keyId, context.clientId, context.cacheKey]), 'utf8');
}

/**
 * AES-256-GCM with a random 96-bit IV and a 128-bit tag (NIST SP 800-38D,
 * https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf), bound to
 * `associatedData`. Format: `v2.<keyId>.<iv>.<ciphertext>.<tag>`, the last three in base64url.
 */
export function seal(ring: KeyRing, plaintext: string, context: SealContext): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ring.keyObjects.get(ring.currentId)!, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(VERSION, ring.currentId, context));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, ring.currentId, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

interface Sealed {
  readonly id: string;
  readonly key: KeyObject;
  readonly iv: Buffer;
  readonly body: Buffer;
  readonly tag: Buffer;
}

function unreadable(why: string): Error {
  return new Error(`token cache blob is not readable with the configured keys (${why})`);
}

/**
 * Splits a v2 blob and checks every part before any deciphering: a known key id, a 12-byte IV and a
 * 16-byte tag exactly. Node's decipher otherwise takes any IV length and (with a deprecation warning
 * only, DEP0182) tags down to 4 bytes: https://nodejs.org/api/deprecations.html#DEP0182
 */
function parseSealed(ring: KeyRing, sealed: string): Sealed {
  const parts = sealed.split('.');
  const [version, id, iv, body, tag] = parts;
  if (parts.length !== 5 || version !== VERSION) throw unreadable(`not a ${VERSION} blob`);
  if (![iv, body, tag].every((part) => part !== undefined && BASE64URL.test(part))) throw unreadable('malformed');
  const key = ring.keyObjects.get(id!);
  if (!key) throw unreadable('unknown key id');
  const parsed = { id: id!, key, iv: Buffer.from(iv!, 'base64url'), body: Buffer.from(body!, 'base64url'), tag: Buffer.from(tag!, 'base64url') };
  if (parsed.iv.length !== IV_BYTES) throw unreadable(`the IV must be ${IV_BYTES} bytes`);
  if (parsed.tag.length !== TAG_BYTES) throw unreadable(`the tag must be ${TAG_BYTES} bytes`);
  return parsed;
}

/**
 * Opens a sealed value; throws on another format or version, an unknown key id, a wrong IV or tag length,
 * another context (client id, cache key) or any tampering. `authTagLength` makes Node itself refuse any
 * other tag length too (https://nodejs.org/api/crypto.html#cryptocreatedecipherivalgorithm-key-iv-options).
 */
export function unseal(ring: KeyRing, sealed: string, context: SealContext): string {
  const { id, key, iv, body, tag } = parseSealed(ring, sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(VERSION, id, context));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    throw unreadable('authentication failed');
  }
}
