import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import type { SessionData } from 'express-session';
import { AppError } from '../../../src/errors.ts';
import { createLogger } from '../../../src/log.ts';
import { GuardedSessionStore, GuardedTokenCacheStore } from '../../../src/stores/guard.ts';
import { SqliteDatabase, SqliteSessionStore, SqliteTokenCacheStore } from '../../../src/stores/sqlite.ts';

function database(): SqliteDatabase {
  return new SqliteDatabase(join(mkdtempSync(join(tmpdir(), 'sqlite-test-')), 'nested', 'app.db'));
}

function sessionData(expiresInMs: number): SessionData {
  return { cookie: { expires: new Date(Date.now() + expiresInMs), originalMaxAge: expiresInMs } } as unknown as SessionData;
}

describe('SQLite stores', () => {
  it('should keep a session until it expires, then forget it', async () => {
    const db = database();
    const store = new SqliteSessionStore(db);
    const get = promisify(store.get.bind(store));
    const set = promisify(store.set.bind(store));
    await set('live', { ...sessionData(60_000), csrfToken: 't' } as SessionData);
    await set('dead', sessionData(-1));
    assert.equal(((await get('live')) as SessionData & { csrfToken: string }).csrfToken, 't');
    assert.equal(await get('dead'), null);
    assert.equal(db.prune(), 1, 'the expired row is pruned');
    await promisify(store.destroy.bind(store))('live');
    assert.equal(await get('live'), null);
    db.close();
  });

  it('should keep token caches for their time to live and delete them on request', async () => {
    const db = database();
    const caches = new SqliteTokenCacheStore(db, 60_000);
    await caches.set('user', 'blob');
    assert.equal(await caches.get('user'), 'blob');
    await caches.set('user', 'blob 2');
    assert.equal(await caches.get('user'), 'blob 2');
    await caches.delete('user');
    assert.equal(await caches.get('user'), undefined);
    const short = new SqliteTokenCacheStore(db, -1);
    await short.set('old', 'x');
    assert.equal(await short.get('old'), undefined);
    db.close();
  });

  it('should answer touch exactly once and write nothing', async () => {
    const db = database();
    const store = new GuardedSessionStore(new SqliteSessionStore(db), createLogger('silent'));
    let calls = 0;
    await new Promise<void>((resolve) => {
      store.touch('sid', sessionData(60_000), () => { calls++; resolve(); });
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(calls, 1);
    assert.equal(await promisify(store.length.bind(store))(), 0);
    db.close();
  });

  it('should turn a failing database into STORE_UNAVAILABLE (503), not a crash', async () => {
    const db = database();
    const sessions = new GuardedSessionStore(new SqliteSessionStore(db), createLogger('silent'));
    const caches = new GuardedTokenCacheStore(new SqliteTokenCacheStore(db, 60_000), createLogger('silent'));
    db.close();
    const failed = await promisify(sessions.get.bind(sessions))('x').catch((e: unknown) => e);
    assert.ok(failed instanceof AppError && failed.code === 'STORE_UNAVAILABLE' && failed.status === 503);
    await assert.rejects(caches.set('u', 'v'), (e: unknown) => e instanceof AppError && e.status === 503);
  });
});
