import { createHash, randomBytes } from 'node:crypto';
import type { Session, SessionData } from 'express-session';
import type { UserFlow } from '../config/index.ts';

/** What the server remembers between sending the user to the authority and the callback. */
export interface LoginTransaction {
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

type SessionLike = Session & Partial<SessionData>;

function random(): string {
  return randomBytes(32).toString('base64url');
}

/** PKCE S256 challenge of a verifier. RFC 7636 §4.2. */
export function codeChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** The unexpired transactions of a session. */
export function pendingTransactions(session: SessionLike, now = Date.now()): Record<string, LoginTransaction> {
  const live: Record<string, LoginTransaction> = {};
  for (const [state, tx] of Object.entries(session.loginTransactions ?? {})) {
    if (now - tx.createdAt < TRANSACTION_TTL_MS) live[state] = tx;
  }
  return live;
}

/**
 * Starts a sign-in: makes state, nonce and a PKCE verifier on the server (RFC 9700 §2.1.1,
 * OIDC Core §3.1.2.1) and keeps them in the server-side session keyed by state, so that
 * several tabs can sign in at once.
 */
export function beginTransaction(session: SessionLike, request: TransactionRequest, now = Date.now()) {
  const state = random();
  const { returnTo, scopes, flow } = request;
  const tx: LoginTransaction = {
    nonce: random(), codeVerifier: random(), returnTo, scopes: [...scopes], createdAt: now, ...(flow && flow !== 'signIn' ? { flow } : {}),
  };
  const entries = Object.entries(pendingTransactions(session, now)).sort(([, a], [, b]) => a.createdAt - b.createdAt);
  session.loginTransactions = Object.fromEntries([...entries.slice(-(MAX_PENDING - 1)), [state, tx]]);
  return { state, nonce: tx.nonce, codeChallenge: codeChallengeOf(tx.codeVerifier) };
}

/**
 * Takes the transaction for `state` out of the session: it can be used once only.
 * Returns undefined for an unknown, used or expired state (RFC 6749 §10.12).
 */
export function takeTransaction(session: SessionLike, state: string, now = Date.now()): LoginTransaction | undefined {
  const all = session.loginTransactions;
  if (!all || !Object.hasOwn(all, state)) return undefined;
  const tx = all[state];
  delete all[state];
  if (!tx || now - tx.createdAt >= TRANSACTION_TTL_MS) return undefined;
  return tx;
}
