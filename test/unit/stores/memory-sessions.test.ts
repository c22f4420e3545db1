import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import type { SessionData } from 'express-session';
import { MemorySessionStore } from '../../../src/stores/memory-sessions.ts';
import { MemoryTokenCacheStore } from '../../../src/stores/token-cache.ts';

const data = (csrfToken: string) => ({ cookie: { expires: new Date(Date.now() + 60_000), originalMaxAge: 60_000 }, csrfToken }) as unknown as SessionData;

describe('in-process stores (tests, development)', () => {
  it('should not write a destroyed session back, but write a new sid, when set() comes after destroy()', async () => {
    const store = new MemorySessionStore(60_000);
    const [get, set, destroy] = [promisify(store.get.bind(store)), promisify(store.set.bind(store)), promisify(store.destroy.bind(store))];
    await set('old', data('a'));
    await destroy('old');
    await set('old', data('late write'));
    assert.equal(await get('old'), undefined);
    await set('new', data('b'));
    assert.equal((await get('new') as SessionData | undefined)?.csrfToken, 'b');
  });

  it('should refuse a stale or recreating token-cache write when the version read is not the stored one', async () => {
    const caches = new MemoryTokenCacheStore();
    assert.equal(await caches.set('k', 'one', 0), 1);
    assert.equal(await caches.set('k', 'two', 1), 2);
    assert.equal(await caches.set('k', 'stale', 1), undefined);
    await caches.delete('k');
    assert.equal(await caches.set('k', 'late', 2), undefined);
    assert.equal(await caches.get('k'), undefined);
  });
});
