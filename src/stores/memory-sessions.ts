import session from 'express-session';
import type { SessionData } from 'express-session';

type Callback = (err?: unknown) => void;

/**
 * express-session's in-process MemoryStore (tests, development without a data folder) with the same
 * guarantee as the SQLite and Redis stores: a destroyed session stays destroyed until it would have
 * expired. Check and write happen in one synchronous step, so no other request can come in between.
 */
export class MemorySessionStore extends session.MemoryStore {
  readonly #tombstones = new Map<string, number>();
  readonly #tombstoneMs: number;

  constructor(tombstoneMs = 86_400_000) {
    super();
    this.#tombstoneMs = tombstoneMs;
  }

  override set(sid: string, sess: SessionData, cb?: Callback): void {
    const until = this.#tombstones.get(sid);
    if (until !== undefined && until > Date.now()) {
      setImmediate(() => cb?.());
      return;
    }
    super.set(sid, sess, cb);
  }

  override destroy(sid: string, cb?: Callback): void {
    const now = Date.now();
    for (const [gone, until] of this.#tombstones) if (until <= now) this.#tombstones.delete(gone);
    this.#tombstones.set(sid, now + this.#tombstoneMs);
    super.destroy(sid, cb);
  }
}
