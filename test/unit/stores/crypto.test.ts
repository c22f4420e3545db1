import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newKeyEntry, parseKeyRing, seal, unseal } from '../../../src/stores/crypto.ts';
import { EncryptedTokenCacheStore } from '../../../src/stores/encrypted.ts';
import { MemoryTokenCacheStore } from '../../../src/stores/token-cache.ts';
import { createLogger } from '../../../src/log.ts';

describe('token cache encryption', () => {
  const ring = parseKeyRing(newKeyEntry('k1'));

  it('should round-trip and never store the plaintext', () => {
    const sealed = seal(ring, '{"RefreshToken":{"secret":"abc"}}', 'user-1');
    assert.doesNotMatch(sealed, /RefreshToken|abc/);
    assert.match(sealed, /^v1\.k1\./);
    assert.equal(unseal(ring, sealed, 'user-1'), '{"RefreshToken":{"secret":"abc"}}');
  });

  it('should refuse a blob moved under another user\'s key', () => {
    const sealed = seal(ring, 'cache of user 1', 'user-1');
    assert.throws(() => unseal(ring, sealed, 'user-2'));
  });

  it('should refuse a tampered blob', () => {
    const parts = seal(ring, 'cache', 'user-1').split('.');
    parts[3] = Buffer.from('x'.repeat(5)).toString('base64url');
    assert.throws(() => unseal(ring, parts.join('.'), 'user-1'));
  });

  it('should read blobs sealed with a retired key and seal new ones with the first key (rotation)', () => {
    const old = parseKeyRing(newKeyEntry('k1'));
    const sealedOld = seal(old, 'cache', 'u');
    const rotated = parseKeyRing(`${newKeyEntry('k2')},k1:${old.keys.get('k1')!.toString('base64')}`);
    assert.equal(unseal(rotated, sealedOld, 'u'), 'cache');
    assert.match(seal(rotated, 'cache', 'u'), /^v1\.k2\./);
  });

  it('should name the problem without the key when a key is malformed', () => {
    assert.throws(() => parseKeyRing('k1:c2hvcnQ='), /key "k1" must be 32 bytes/);
    assert.throws(() => parseKeyRing(''), /no key/);
    assert.throws(() => parseKeyRing('bad id!:xx'), /key id/);
  });

  it('should read an unreadable blob as no cache (the user signs in again) rather than fail', async () => {
    const inner = new MemoryTokenCacheStore();
    const store = new EncryptedTokenCacheStore(inner, ring, createLogger('silent'));
    await store.set('u', 'cache');
    assert.notEqual(await inner.get('u'), 'cache');
    assert.equal(await store.get('u'), 'cache');
    const other = new EncryptedTokenCacheStore(inner, parseKeyRing(newKeyEntry('k9')), createLogger('silent'));
    assert.equal(await other.get('u'), undefined);
  });
});
