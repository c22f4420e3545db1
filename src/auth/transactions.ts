import { createHash, randomBytes } from 'node:crypto';
import type { UserFlow } from '../config/index.ts';

/**
 * What the server remembers between sending the user to the authority and the callback. It travels
 * sealed in a cookie of the browser that started the sign-in (transaction-cookie.ts), never in the store.
 */
export interface LoginTransaction {
  /** The `state` parameter (RFC 6749 §4.1.1): names this sign-in and binds the callback to this browser. */
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly returnTo: string;
  readonly scopes: readonly string[];
  readonly createdAt: number;
  /** The user flow whose authority the sign-in went to (B2C); absent means sign-in. */
  readonly flow?: UserFlow | undefined;
}

/** What a sign-in is for: where to go afterwards, which scopes, which user flow. */
export interface TransactionRequest {
  readonly returnTo: string;
  readonly scopes: readonly string[];
  readonly flow?: UserFlow | undefined;
}

/** A sign-in must come back within 10 minutes. */
export const TRANSACTION_TTL_MS = 10 * 60 * 1000;
/** Sign-ins a browser may have under way at once (tabs); the oldest is dropped beyond this. */
const MAX_PENDING = 5;

function random(): string {
  return randomBytes(32).toString('base64url');
}

/** PKCE S256 challenge of a verifier. RFC 7636 §4.2. */
export function codeChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/**
 * The unexpired transactions of a browser, oldest first. (`createdAt` was sealed by an instance of
 * this app; one whose clock runs a little ahead makes it look recent, never expired.)
 */
export function livePending(pending: readonly LoginTransaction[], now = Date.now()): LoginTransaction[] {
  return pending.filter((tx) => now - tx.createdAt < TRANSACTION_TTL_MS)
    .sort((a, b) => a.createdAt - b.createdAt);
}

/**
 * Starts a sign-in: makes state, nonce and a PKCE verifier on the server (RFC 9700 §2.1.1,
 * OIDC Core §3.1.2.1) and adds the transaction to the browser's pending ones (keyed by state, so
 * several tabs can sign in at once), dropping the oldest beyond MAX_PENDING.
 */
export function beginTransaction(pending: readonly LoginTransaction[], request: TransactionRequest, now = Date.now()) {
  const { returnTo, scopes, flow } = request;
  const tx: LoginTransaction = {
    state: random(), nonce: random(), codeVerifier: random(), returnTo, scopes: [...scopes], createdAt: now,
    ...(flow && flow !== 'signIn' ? { flow } : {}),
  };
  return {
    pending: [...livePending(pending, now).slice(-(MAX_PENDING - 1)), tx],
    started: { state: tx.state, nonce: tx.nonce, codeChallenge: codeChallengeOf(tx.codeVerifier) },
  };
}

/**
 * Takes the transaction for `state` out of the pending ones: it can be used once only. `tx` is
 * undefined for an unknown, used or expired state (RFC 6749 §10.12); `rest` holds the live others.
 */
export function takeTransaction(pending: readonly LoginTransaction[], state: string, now = Date.now()) {
  const live = livePending(pending, now);
  return { tx: live.find((t) => t.state === state), rest: live.filter((t) => t.state !== state) };
}
