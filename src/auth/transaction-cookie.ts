import type { Request, Response } from 'express';
import type { Config, UserFlow } from '../config/index.ts';
import { ConsumedStates } from './consumed-states.ts';
import { seal, sealingKey, unseal } from './seal.ts';
import { beginTransaction, livePending, takeTransaction, TRANSACTION_TTL_MS } from './transactions.ts';
import type { LoginTransaction, TransactionRequest } from './transactions.ts';

/** HKDF info and associated data: a sealed value of another purpose never opens here. */
const PURPOSE = 'login-transactions/v1';
/**
 * Browsers keep cookies of at least 4096 bytes, name and attributes included (RFC 6265 §6.1);
 * the sealed value stays well below (five default transactions measure about 1.8 KB).
 */
export const MAX_SEALED_LENGTH = 3072;
const FLOWS: ReadonlySet<unknown> = new Set<UserFlow>(['passwordReset', 'editProfile']);

type Wire = [string, string, string, number, string, string[], UserFlow | null];

/** The transaction cookie's name: `__Host-` prefixed over https, like the session cookie (RFC 6265bis §4.1.3.2). */
function transactionCookieName(config: Pick<Config, 'secureCookies'>): string {
  return config.secureCookies ? '__Host-signin' : 'signin';
}

function toWire(t: LoginTransaction): Wire {
  return [t.state, t.nonce, t.codeVerifier, t.createdAt, t.returnTo, [...t.scopes], t.flow ?? null];
}

function fromWire(w: unknown): LoginTransaction | undefined {
  if (!Array.isArray(w) || w.length !== 7) return undefined;
  const [state, nonce, codeVerifier, createdAt, returnTo, scopes, flow] = w as unknown[];
  const strings = [state, nonce, codeVerifier, returnTo].every((v) => typeof v === 'string' && v !== '');
  if (!strings || typeof createdAt !== 'number' || !Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) return undefined;
  if (flow !== null && !FLOWS.has(flow)) return undefined;
  const tx = { state, nonce, codeVerifier, createdAt, returnTo, scopes } as LoginTransaction;
  return flow === null ? tx : { ...tx, flow: flow as UserFlow };
}

/**
 * Seals the live transactions for the cookie `name` (AES-256-GCM, seal.ts), dropping the oldest
 * until the value fits MAX_SEALED_LENGTH; the newest always stays. Undefined when none is left.
 */
export function sealTransactions(key: Buffer, name: string, pending: readonly LoginTransaction[], now = Date.now()) {
  let kept = livePending(pending, now);
  for (;;) {
    if (kept.length === 0) return undefined;
    const value = seal(key, `${PURPOSE}\0${name}`, JSON.stringify(kept.map(toWire)));
    if (value.length <= MAX_SEALED_LENGTH || kept.length === 1) return { value, kept };
    kept = kept.slice(1);
  }
}

/** The live transactions in a value sealed for the cookie `name`; none when it does not open. */
export function openTransactions(key: Buffer, name: string, value: string, now = Date.now()): LoginTransaction[] {
  const text = value.length <= 2 * MAX_SEALED_LENGTH ? unseal(key, `${PURPOSE}\0${name}`, value) : undefined;
  if (text === undefined) return [];
  try {
    const wire: unknown = JSON.parse(text);
    const list = Array.isArray(wire) ? wire.map(fromWire) : [];
    return livePending(list.filter((t): t is LoginTransaction => t !== undefined), now);
  } catch {
    return [];
  }
}

/** The value of cookie `name` in a Cookie header (RFC 6265 §5.4), the first one when repeated. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Login transactions kept by the browser that started them, in one short-lived sealed cookie
 * (as express-openid-connect keeps its `auth_verification` cookie), so that a sign-in costs no
 * store row until it succeeds: a client that starts sign-ins by the thousand fills nothing.
 * HttpOnly, SameSite=Lax (the callback is a top-level GET redirect, response_mode=query, so the
 * cookie comes back with it; a cross-site sub-request never carries it), Max-Age 10 minutes.
 */
export class LoginTransactions {
  readonly name: string;
  readonly #key: Buffer;
  readonly #secure: boolean;
  readonly #consumed: ConsumedStates;
  /** This response's view of the browser's transactions, once read or written. */
  readonly #current = new WeakMap<Response, LoginTransaction[]>();

  constructor(config: Pick<Config, 'secureCookies' | 'sessionSecret'>, consumed = new ConsumedStates()) {
    this.name = transactionCookieName(config);
    this.#key = sealingKey(config.sessionSecret, PURPOSE);
    this.#secure = config.secureCookies;
    this.#consumed = consumed;
  }

  /** The browser's live transactions (as this response will leave them). */
  pending(req: Request, res: Response): readonly LoginTransaction[] {
    let list = this.#current.get(res);
    if (!list) {
      const value = cookieValue(req.headers.cookie, this.name);
      list = value === undefined ? [] : openTransactions(this.#key, this.name, value);
      this.#current.set(res, list);
    }
    return list;
  }

  /** Starts a sign-in (transactions.ts) and puts it in the browser's cookie. */
  start(req: Request, res: Response, request: TransactionRequest) {
    const { pending, started } = beginTransaction(this.pending(req, res), request);
    this.#write(res, pending);
    return started;
  }

  /** True when the request carries a live, unused transaction for `state`: a callback worth a token request. */
  holds(req: Request, res: Response, state: unknown): boolean {
    return typeof state === 'string' && !this.#consumed.has(state) && this.pending(req, res).some((t) => t.state === state);
  }

  /**
   * Takes the transaction for `state` out of the browser's cookie (re-sealed without it, or
   * cleared) and records it as used in this process: a replay of the old cookie value finds nothing.
   */
  take(req: Request, res: Response, state: string): LoginTransaction | undefined {
    const { tx, rest } = takeTransaction(this.pending(req, res), state);
    if (cookieValue(req.headers.cookie, this.name) !== undefined) this.#write(res, rest);
    if (!tx || this.#consumed.has(state)) return undefined;
    this.#consumed.add(state, tx.createdAt + TRANSACTION_TTL_MS);
    return tx;
  }

  #write(res: Response, list: readonly LoginTransaction[]): void {
    const sealed = sealTransactions(this.#key, this.name, list);
    this.#current.set(res, sealed?.kept ?? []);
    // One Set-Cookie per response for this cookie: the last write wins.
    const others = ([res.getHeader('Set-Cookie') ?? []].flat() as string[]).filter((c) => !c.startsWith(`${this.name}=`));
    res.setHeader('Set-Cookie', others);
    const options = { httpOnly: true, sameSite: 'lax', secure: this.#secure, path: '/' } as const;
    if (sealed === undefined) res.clearCookie(this.name, options);
    else res.cookie(this.name, sealed.value, { ...options, maxAge: TRANSACTION_TTL_MS });
  }
}
