import session from 'express-session';
import type { SessionData } from 'express-session';
import { AppError, ErrorCode } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { SignInIndex, SignInRecord } from './sign-in-index.ts';
import type { TokenCacheStore, VersionedCache } from './token-cache.ts';

/** Any store failure becomes STORE_UNAVAILABLE (503 page), logged once per failure with its cause. */
function unavailable(logger: Logger, what: string, cause: unknown): AppError {
  logger.error('store.unavailable', { what, reason: cause instanceof Error ? cause.message : String(cause) });
  return new AppError(ErrorCode.STORE_UNAVAILABLE, 503, `${what} failed`, {
    cause, detail: 'The app cannot reach its session store right now. Please try again in a moment.',
  });
}

type Callback = (err?: unknown, value?: unknown) => void;

/** Runs a store call, turning its failure into STORE_UNAVAILABLE (logged once here). */
async function guarded<T>(logger: Logger, what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw unavailable(logger, what, err);
  }
}

/** Wraps an express-session store so its errors reach the error handler as 503s, never 500s. */
export class GuardedSessionStore extends session.Store {
  readonly #inner: session.Store;
  readonly #logger: Logger;

  constructor(inner: session.Store, logger: Logger) {
    super();
    this.#inner = inner;
    this.#logger = logger;
  }

  #guard(what: string, cb: Callback | undefined): Callback {
    return (err, value) => cb?.(err ? unavailable(this.#logger, what, err) : undefined, value);
  }

  #call(what: string, cb: Callback | undefined, run: (guarded: Callback) => unknown): void {
    const guarded = this.#guard(what, cb);
    try {
      const result = run(guarded);
      if (result instanceof Promise) result.catch((err: unknown) => guarded(err));
    } catch (err) {
      guarded(err);
    }
  }

  override get(sid: string, cb: (err: unknown, session?: SessionData | null) => void): void {
    this.#call('session read', cb as Callback, (g) => this.#inner.get(sid, g as never));
  }

  override set(sid: string, sess: SessionData, cb?: (err?: unknown) => void): void {
    this.#call('session write', cb, (g) => this.#inner.set(sid, sess, g));
  }

  override destroy(sid: string, cb?: (err?: unknown) => void): void {
    this.#call('session delete', cb, (g) => this.#inner.destroy(sid, g));
  }

  override touch(sid: string, sess: SessionData, cb?: () => void): void {
    this.#call('session touch', cb, (g) => (this.#inner.touch ? this.#inner.touch(sid, sess, g as () => void) : g()));
  }

  override length(cb: (err: unknown, length?: number) => void): void {
    this.#call('session count', cb as Callback, (g) => this.#inner.length?.(g as never));
  }
}

/** A promise-based store behind the guard: `run` turns a failure of `inner` into STORE_UNAVAILABLE. */
abstract class GuardedAsync<Inner> {
  protected readonly inner: Inner;
  readonly #logger: Logger;

  constructor(inner: Inner, logger: Logger) {
    this.inner = inner;
    this.#logger = logger;
  }

  protected run<T>(what: string, work: () => Promise<T>): Promise<T> {
    return guarded(this.#logger, what, work);
  }
}

/** Wraps a token-cache store so its errors are STORE_UNAVAILABLE (503). */
export class GuardedTokenCacheStore extends GuardedAsync<TokenCacheStore> implements TokenCacheStore {
  get(key: string): Promise<VersionedCache | undefined> {
    return this.run('token cache read', () => this.inner.get(key));
  }

  set(key: string, value: string, version: number): Promise<number | undefined> {
    return this.run('token cache write', () => this.inner.set(key, value, version));
  }

  delete(key: string): Promise<void> {
    return this.run('token cache delete', () => this.inner.delete(key));
  }
}

/** Wraps a sign-in index so its errors are STORE_UNAVAILABLE (503). */
export class GuardedSignInIndex extends GuardedAsync<SignInIndex> implements SignInIndex {
  add(sid: string, record: SignInRecord): Promise<void> {
    return this.run('sign-in index write', () => this.inner.add(sid, record));
  }

  find(sid: string): Promise<SignInRecord[]> {
    return this.run('sign-in index read', () => this.inner.find(sid));
  }

  remove(sid: string, sessionIds: readonly string[]): Promise<void> {
    return this.run('sign-in index delete', () => this.inner.remove(sid, sessionIds));
  }
}
