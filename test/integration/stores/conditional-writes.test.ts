import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { SessionData } from 'express-session';
import { openTestStores, STORE_KINDS } from './store-kinds.ts';
import type { OpenedStores } from './store-kinds.ts';

function sessionData(expiresInMs: number, more: Partial<SessionData> = {}): SessionData {
  return { cookie: { expires: new Date(Date.now() + expiresInMs), originalMaxAge: expiresInMs }, ...more } as unknown as SessionData;
}

const freshKey = () => randomBytes(16).toString('base64url');

for (const { kind, skip } of STORE_KINDS) {
  describe(`conditional writes of the ${kind} store`, { skip }, () => {
    let stores: OpenedStores;
    before(async () => {
      stores = await openTestStores(kind);
    });
    after(() => stores?.dispose());

    it('should refuse a stale token-cache write when a newer version was stored meanwhile', async () => {
      const key = freshKey();
      const caches = stores.tokenCaches;
      assert.equal(await caches.set(key, 'at sign-in', 0), 1);
      // Two requests read version 1; the first to write wins, the other is refused.
      assert.equal(await caches.set(key, 'refresh A', 1), 2);
      assert.equal(await caches.set(key, 'refresh B (stale)', 1), undefined);
      assert.deepEqual(await caches.get(key), { value: 'refresh A', version: 2 });
      assert.equal(await caches.set(key, 'recreate', 0), undefined, 'creating never overwrites');
      await caches.delete(key);
    });

    it('should not recreate a deleted token cache when a refresh writes it back afterwards', async () => {
      const key = freshKey();
      await stores.tokenCaches.set(key, 'at sign-in', 0);
      await stores.tokenCaches.delete(key);
      assert.equal(await stores.tokenCaches.set(key, 'late refresh', 1), undefined);
      assert.equal(await stores.tokenCaches.get(key), undefined);
    });

    it('should not write a destroyed session back, but write a new sid normally, when set() comes after destroy()', async () => {
      const store = stores.sessionStore;
      const set = promisify(store.set.bind(store));
      const sid = freshKey();
      await set(sid, sessionData(60_000, { csrfToken: 'before' }));
      await promisify(store.destroy.bind(store))(sid);
      await set(sid, sessionData(60_000, { csrfToken: 'late write', lastSeenAt: Date.now() }));
      assert.equal(await stores.session(sid), null, 'the destroyed session stays destroyed');
      const fresh = freshKey();
      await set(fresh, sessionData(60_000, { csrfToken: 'regenerated' }));
      assert.equal((await stores.session(fresh))?.csrfToken, 'regenerated');
      await promisify(store.destroy.bind(store))(fresh);
    });
  });
}
