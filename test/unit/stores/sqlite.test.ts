import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DatabaseSync } from 'node:sqlite';
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
    assert.equal(await caches.set('user', 'blob', 0), 1);
    assert.deepEqual(await caches.get('user'), { value: 'blob', version: 1 });
    assert.equal(await caches.set('user', 'blob 2', 1), 2);
    assert.deepEqual(await caches.get('user'), { value: 'blob 2', version: 2 });
    await caches.delete('user');
    assert.equal(await caches.get('user'), undefined);
    const short = new SqliteTokenCacheStore(db, -1);
    await short.set('old', 'x', 0);
    assert.equal(await short.get('old'), undefined);
    db.close();
  });

  it('should refuse a token-cache write of an older version, and never recreate a deleted cache when versions are stale', async () => {
    const db = database();
    const caches = new SqliteTokenCacheStore(db, 60_000);
    await caches.set('s', 'first', 0);
    assert.equal(await caches.set('s', 'newer', 1), 2);
    assert.equal(await caches.set('s', 'stale', 1), undefined, 'a writer that read version 1 is refused');
    assert.equal(await caches.set('s', 'again', 0), undefined, 'creating never overwrites');
    assert.deepEqual(await caches.get('s'), { value: 'newer', version: 2 });
    await caches.delete('s');
    assert.equal(await caches.set('s', 'late refresh', 2), undefined, 'a deleted cache stays deleted');
    assert.equal(await caches.get('s'), undefined);
    db.close();
  });

  it('should not write a destroyed session back, but write a fresh sid, when set() comes after destroy()', async () => {
    const db = database();
    const store = new SqliteSessionStore(db, 60_000);
    const get = promisify(store.get.bind(store));
    const set = promisify(store.set.bind(store));
    await set('old', sessionData(60_000));
    await promisify(store.destroy.bind(store))('old');
    await set('old', { ...sessionData(60_000), lastSeenAt: 1 } as SessionData);
    assert.equal(await get('old'), null, 'the late write was refused');
    await set('new', sessionData(60_000));
    assert.notEqual(await get('new'), null, 'a regenerated (new) sid is written normally');
    const tombstone = db.db.prepare('SELECT expires FROM session_tombstones WHERE sid = ?').get('old') as { expires: number };
    assert.ok(tombstone.expires > Date.now() && tombstone.expires <= Date.now() + 60_000, 'the tombstone lives as long as the session would have');
    db.close();
  });

  it('should add the version column to a token_caches table made before it existed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-test-'));
    const old = new DatabaseSync(join(dir, 'app.db'));
    old.exec('CREATE TABLE token_caches (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER NOT NULL)');
    old.prepare('INSERT INTO token_caches VALUES (?, ?, ?)').run('legacy', 'blob', Date.now() + 60_000);
    old.close();
    const db = new SqliteDatabase(join(dir, 'app.db'));
    assert.deepEqual(await new SqliteTokenCacheStore(db, 60_000).get('legacy'), { value: 'blob', version: 1 });
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
    await assert.rejects(caches.set('u', 'v', 0), (e: unknown) => e instanceof AppError && e.status === 503);
  });
});
