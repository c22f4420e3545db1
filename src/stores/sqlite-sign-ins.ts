import { parseRecord, recordJson, sidKey } from './sign-in-index.ts';
import type { SignInIndex, SignInRecord } from './sign-in-index.ts';
import { nextTurn } from './sqlite.ts';
import type { SqliteDatabase } from './sqlite.ts';

/**
 * The sign-in index in the `sign_ins` table: one row per (hashed sid, session id), pruned with the
 * other expired rows (SqliteDatabase.prune). Every instance opening the same file sees every row.
 */
export class SqliteSignInIndex implements SignInIndex {
  readonly #db: SqliteDatabase;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  async add(sid: string, record: SignInRecord): Promise<void> {
    this.#db.sql(`INSERT INTO sign_ins (sid_key, session_id, value, expires) VALUES (?, ?, ?, ?)
      ON CONFLICT(sid_key, session_id) DO UPDATE SET value = excluded.value, expires = excluded.expires`)
      .run(sidKey(sid), record.sessionId, recordJson(record), record.expires);
    await nextTurn();
  }

  async find(sid: string): Promise<SignInRecord[]> {
    const rows = this.#db.sql('SELECT session_id, value FROM sign_ins WHERE sid_key = ? AND expires > ?')
      .all(sidKey(sid), Date.now()) as { session_id: string; value: string }[];
    await nextTurn();
    return rows.map((row) => parseRecord(row.session_id, row.value)).filter((r): r is SignInRecord => r !== undefined);
  }

  async remove(sid: string, sessionIds: readonly string[]): Promise<void> {
    const key = sidKey(sid);
    for (const id of sessionIds) this.#db.sql('DELETE FROM sign_ins WHERE sid_key = ? AND session_id = ?').run(key, id);
    await nextTurn();
  }
}
