import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MemorySignInIndex, sidKey } from '../../../src/stores/sign-in-index.ts';
import type { SignInIndex, SignInRecord } from '../../../src/stores/sign-in-index.ts';
import { SqliteSignInIndex } from '../../../src/stores/sqlite-sign-ins.ts';
import { SqliteDatabase } from '../../../src/stores/sqlite.ts';

const ISS = 'https://login.microsoftonline.com/contoso/v2.0';

function record(sessionId: string, expiresInMs = 60_000): SignInRecord {
  return { sessionId, cacheKey: `cache-${sessionId}`, iss: ISS, expires: Date.now() + expiresInMs };
}

function sqliteIndex(): { index: SqliteSignInIndex; db: SqliteDatabase } {
  const db = new SqliteDatabase(join(mkdtempSync(join(tmpdir(), 'sign-ins-test-')), 'app.db'));
  return { index: new SqliteSignInIndex(db), db };
}

const KINDS: [string, () => SignInIndex][] = [['memory', () => new MemorySignInIndex()], ['sqlite', () => sqliteIndex().index]];

for (const [kind, open] of KINDS) {
  describe(`sign-in index (${kind})`, () => {
    it('should list every session of a sid and none of another sid when sessions are added', async () => {
      const index = open();
      await index.add('sid-1', record('a'));
      await index.add('sid-1', record('b'));
      await index.add('sid-2', record('c'));
      assert.deepEqual((await index.find('sid-1')).map((r) => r.sessionId).sort(), ['a', 'b']);
      const a = (await index.find('sid-1')).find((r) => r.sessionId === 'a');
      assert.deepEqual({ cacheKey: a?.cacheKey, iss: a?.iss }, { cacheKey: 'cache-a', iss: ISS });
      assert.deepEqual((await index.find('unknown')), []);
    });

    it('should leave out a record whose session has expired when a sid is looked up', async () => {
      const index = open();
      await index.add('sid-1', record('old', -1));
      await index.add('sid-1', record('live'));
      assert.deepEqual((await index.find('sid-1')).map((r) => r.sessionId), ['live']);
    });

    it('should remove only the named sessions when some sessions of a sid are removed', async () => {
      const index = open();
      await index.add('sid-1', record('a'));
      await index.add('sid-1', record('b'));
      await index.remove('sid-1', ['a']);
      assert.deepEqual((await index.find('sid-1')).map((r) => r.sessionId), ['b']);
    });
  });
}

describe('sign-in index (sqlite file)', () => {
  it('should store the sid only as its SHA-256 and prune expired records when the database is pruned', async () => {
    const { index, db } = sqliteIndex();
    await index.add('entra-sid-guid', record('a', -1));
    await index.add('entra-sid-guid', record('b'));
    const keys = db.db.prepare('SELECT DISTINCT sid_key FROM sign_ins').all() as { sid_key: string }[];
    assert.deepEqual(keys.map((k) => k.sid_key), [sidKey('entra-sid-guid')]);
    assert.notEqual(sidKey('entra-sid-guid'), 'entra-sid-guid');
    assert.equal(db.prune(), 1, 'the expired record is pruned');
  });
});
