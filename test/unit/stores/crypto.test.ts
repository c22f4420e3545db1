import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCipheriv } from 'node:crypto';
import { associatedData, newKeyEntry, parseKeyRing, seal, unseal } from '../../../src/stores/crypto.ts';
import type { KeyRing, SealContext } from '../../../src/stores/crypto.ts';
import { EncryptedTokenCacheStore } from '../../../src/stores/encrypted.ts';
import { MemoryTokenCacheStore } from '../../../src/stores/token-cache.ts';
import { createLogger } from '../../../src/log.ts';

const CLIENT = '11111111-2222-3333-4444-555555555555';
const at = (cacheKey: string, clientId = CLIENT): SealContext => ({ clientId, cacheKey });
const NOT_READABLE = /not readable with the configured keys/;

/**
 * A blob made by hand the way an attacker with store access could: any IV and tag length, any version and
 * key id in the header, and additional data of the caller's choosing.
 */
function forge(ring: KeyRing, opts: { ivBytes?: number; tagBytes?: number; header?: [string, string]; aad: Buffer }): string {
  const iv = Buffer.alloc(opts.ivBytes ?? 12, 7);
  const cipher = createCipheriv('aes-256-gcm', ring.keyObjects.get(ring.currentId)!, iv, { authTagLength: opts.tagBytes ?? 16 });
  cipher.setAAD(opts.aad);
  const body = Buffer.concat([cipher.update('forged cache', 'utf8'), cipher.final()]);
  const [version, id] = opts.header ?? ['v2', ring.currentId];
  return [version, id, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

describe('token cache encryption', () => {
  const ring = parseKeyRing(newKeyEntry('k1'));

  it('should round-trip and never store the plaintext', () => {
    const sealed = seal(ring, '{"RefreshToken":{"secret":"abc"}}', at('user-1'));
    assert.doesNotMatch(sealed, /RefreshToken|abc/);
    assert.match(sealed, /^v2\.k1\./);
    assert.equal(unseal(ring, sealed, at('user-1')), '{"RefreshToken":{"secret":"abc"}}');
  });

  it('should refuse a blob when it is moved under another cache key', () => {
    const sealed = seal(ring, 'cache of user 1', at('user-1'));
    assert.throws(() => unseal(ring, sealed, at('user-2')), NOT_READABLE);
  });

  it('should refuse a blob when it was sealed for another client id (another app sharing the store and keys)', () => {
    const sealed = seal(ring, 'cache of app A', at('user-1', CLIENT));
    assert.throws(() => unseal(ring, sealed, at('user-1', '99999999-2222-3333-4444-555555555555')), NOT_READABLE);
  });

  it('should refuse a tampered blob', () => {
    const parts = seal(ring, 'cache', at('user-1')).split('.');
    parts[3] = Buffer.from('x'.repeat(5)).toString('base64url');
    assert.throws(() => unseal(ring, parts.join('.'), at('user-1')), NOT_READABLE);
  });

  it('should refuse a blob when its GCM tag is 4 bytes (NIST SP 800-38D §5.2.1.2)', () => {
    const short = forge(ring, { tagBytes: 4, aad: associatedData('v2', 'k1', at('u')) });
    assert.equal(Buffer.from(short.split('.')[4]!, 'base64url').length, 4, 'precondition: a 4-byte tag');
    assert.throws(() => unseal(ring, short, at('u')), /the tag must be 16 bytes/);
  });

  it('should refuse a blob when its IV is 1 byte (NIST SP 800-38D §5.2.1.1)', () => {
    const tiny = forge(ring, { ivBytes: 1, aad: associatedData('v2', 'k1', at('u')) });
    assert.throws(() => unseal(ring, tiny, at('u')), /the IV must be 12 bytes/);
  });

  it('should refuse a blob when its key id is changed, even where both ids name the same key', () => {
    const same = Buffer.alloc(32, 9).toString('base64');
    const twice = parseKeyRing(`k1:${same},k2:${same}`);
    const relabelled = seal(twice, 'cache', at('u')).replace(/^v2\.k1\./, 'v2.k2.');
    assert.throws(() => unseal(twice, relabelled, at('u')), NOT_READABLE);
  });

  it('should refuse a blob when its version is changed: the version is bound, not only parsed', () => {
    const relabelled = forge(ring, { header: ['v2', 'k1'], aad: associatedData('v3', 'k1', at('u')) });
    assert.throws(() => unseal(ring, relabelled, at('u')), NOT_READABLE);
  });

  it('should read a v1 blob (bound to the cache key only) as unreadable, so the user signs in again', () => {
    const v1 = forge(ring, { header: ['v1', 'k1'], aad: Buffer.from('u') });
    assert.throws(() => unseal(ring, v1, at('u')), /not a v2 blob/);
  });

  it('should encode the associated data so that no two contexts collide', () => {
    assert.notDeepEqual(associatedData('v2', 'k1', at('b"c', 'a')), associatedData('v2', 'k1', at('c', 'a","b')));
    assert.notDeepEqual(associatedData('v2', 'k1', at('b.c', 'a')), associatedData('v2', 'k1', at('c', 'a.b')));
  });

  it('should read blobs sealed with a retired key and seal new ones with the first key (rotation)', () => {
    const old = parseKeyRing(newKeyEntry('k1'));
    const sealedOld = seal(old, 'cache', at('u'));
    const rotated = parseKeyRing(`${newKeyEntry('k2')},k1:${old.keys.get('k1')!.toString('base64')}`);
    assert.equal(unseal(rotated, sealedOld, at('u')), 'cache');
    assert.match(seal(rotated, 'cache', at('u')), /^v2\.k2\./);
  });

  it('should refuse a key ring when a key id appears twice, naming the id and never the key', () => {
    const newer = Buffer.alloc(32, 1).toString('base64');
    const older = Buffer.alloc(32, 2).toString('base64');
    assert.throws(() => parseKeyRing(`k1:${newer},k1:${older}`), (error: unknown) => {
      assert.match((error as Error).message, /key id "k1" appears more than once/);
      assert.ok(!(error as Error).message.includes(newer) && !(error as Error).message.includes(older), 'no key in the message');
      return true;
    });
  });

  it('should name the problem without the key when a key is malformed', () => {
    assert.throws(() => parseKeyRing('k1:c2hvcnQ='), /key "k1" must be 32 bytes/);
    assert.throws(() => parseKeyRing(''), /no key/);
    assert.throws(() => parseKeyRing('bad id!:xx'), /key id/);
  });

  it('should read an unreadable blob as no cache (the user signs in again) rather than fail', async () => {
    const inner = new MemoryTokenCacheStore();
    const store = new EncryptedTokenCacheStore(inner, ring, CLIENT, createLogger('silent'));
    await store.set('u', 'cache', 0);
    assert.match((await inner.get('u'))!.value, /^v2\.k1\./);
    assert.equal((await store.get('u'))?.value, 'cache');
    const other = new EncryptedTokenCacheStore(inner, parseKeyRing(newKeyEntry('k9')), CLIENT, createLogger('silent'));
    assert.equal(await other.get('u'), undefined);
  });

  it('should read another app\'s cache as no cache when two apps share the store and the keys', async () => {
    const inner = new MemoryTokenCacheStore();
    await new EncryptedTokenCacheStore(inner, ring, CLIENT, createLogger('silent')).set('u', 'cache of app A', 0);
    const appB = new EncryptedTokenCacheStore(inner, ring, '99999999-2222-3333-4444-555555555555', createLogger('silent'));
    assert.equal(await appB.get('u'), undefined);
  });
});
