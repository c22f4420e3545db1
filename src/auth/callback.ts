import type { Request, Response } from 'express';
import type { Config } from '../config/index.ts';
import { AppError, ErrorCode } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { SignInIndex } from '../stores/sign-in-index.ts';
import { regenerate, save } from '../http/session-async.ts';
import { noticeUrl } from '../http/notices.ts';
import { adminConsentRequired } from './admin-consent.ts';
import { answerOfCallback, configurationError, configurationFix } from './authority-refusal.ts';
import { b2cOutcome } from './b2c-errors.ts';
import { newCsrfToken } from './csrf.ts';
import { recordSignIn } from './front-channel-logout.ts';
import type { Identity } from './identity.ts';
import { single } from './query.ts';
import { hasCacheKey } from './signed-in-user.ts';
import type { SignedInUser } from './signed-in-user.ts';
import type { StartSignIn } from './start-sign-in.ts';
import type { LoginTransactions } from './transaction-cookie.ts';
import type { LoginTransaction } from './transactions.ts';

/** Parameters that would carry tokens in the front channel; a code flow never sends them. */
const FRONT_CHANNEL_TOKENS = ['id_token', 'access_token', 'token', 'refresh_token'];

function bad(code: ErrorCode, message: string, detail: string): AppError {
  return new AppError(code, 400, message, { detail });
}

/**
 * Checks `state` before anything else (RFC 6749 §10.12, RFC 9700 §4.7): it must appear exactly
 * once and match a live transaction in this browser's transaction cookie, which is consumed here,
 * before any token request (the cookie is re-sealed without it, and this process remembers it).
 */
function consumeState(req: Request, res: Response, transactions: LoginTransactions): LoginTransaction {
  const state = single(req.query.state);
  if (state === undefined) {
    throw bad(ErrorCode.STATE_MISSING, 'callback without a single state',
      'This sign-in response is incomplete. Please sign in again.');
  }
  const tx = transactions.take(req, res, state);
  if (!tx) {
    throw bad(ErrorCode.STATE_UNKNOWN, 'callback state unknown, expired or already used',
      'This sign-in link has expired or was already used. Please sign in again.');
  }
  return tx;
}

/**
 * The user pressed Cancel on the authority's page: `access_denied` with AADSTS65004 "User declined to
 * consent to access the app" (https://learn.microsoft.com/entra/identity-platform/reference-error-codes),
 * which Entra sends with `error_subcode=cancel` (observed, not documented). Admin-only sign-ins are
 * decided before this (admin-consent.ts).
 */
function isCancel(query: Request['query']): boolean {
  return single(query.error) === 'access_denied'
    && (single(query.error_subcode) === 'cancel' || /^AADSTS65004\b/.test(single(query.error_description) ?? ''));
}

/**
 * The authority's `error` answer (OIDC Core §3.1.2.6), shown escaped; a denial is a 403, not a 500;
 * an answer that names a configuration mistake (AADSTS50011 redirect URI, AADSTS700016 client id) is
 * IDP_CONFIGURATION naming the setting (authority-refusal.ts).
 */
function identityProviderError(query: Request['query']): AppError {
  const error = single(query.error) ?? 'unknown_error';
  const description = single(query.error_description) ?? '';
  const answer = answerOfCallback(error, description || undefined);
  const fix = configurationFix(answer);
  if (fix !== undefined && error !== 'invalid_client') return configurationError(answer, fix, undefined);
  const status = error === 'access_denied' ? 403 : 400;
  return new AppError(ErrorCode.IDP_ERROR, status, `authority answered ${error}`, {
    detail: status === 403 ? 'Sign-in was cancelled or access was denied.' : 'The identity provider could not sign you in.',
    facts: { Error: error, ...(description ? { Description: description.slice(0, 1000) } : {}) },
  });
}

function authorizationCode(query: Request['query']): string {
  if (FRONT_CHANNEL_TOKENS.some((name) => name in query)) {
    throw bad(ErrorCode.BAD_CALLBACK, 'tokens in the front channel', 'This sign-in response is not valid. Please sign in again.');
  }
  const code = single(query.code);
  if (!code) throw bad(ErrorCode.BAD_CALLBACK, 'callback without a single code', 'This sign-in response is incomplete. Please sign in again.');
  return code;
}

export interface CallbackDeps {
  readonly config: Config;
  readonly identity: Identity;
  readonly logger: Logger;
  readonly startSignIn: StartSignIn;
  /** The browser's sealed login transactions (transaction-cookie.ts). */
  readonly transactions: LoginTransactions;
  readonly sessionMaxAgeMs: number;
  /** Where the new session is filed under the authority's `sid`, for front-channel logout. */
  readonly signIns: SignInIndex;
}

/**
 * B2C answers some user actions with an error: "Forgot your password?" (AADB2C90118) continues in
 * the password-reset user flow, back to the same page afterwards; "Cancel" (AADB2C90091) goes home.
 * Returns true when the response was handled here.
 */
async function handledB2cError(req: Request, res: Response, tx: LoginTransaction, deps: CallbackDeps): Promise<boolean> {
  if (deps.config.authorityType !== 'B2C') return false;
  const outcome = b2cOutcome(req.query.error_description);
  if (outcome === 'cancelled') {
    deps.logger.info('signin.cancelled', { flow: tx.flow ?? 'signIn' });
    res.redirect(303, '/');
    return true;
  }
  if (outcome === 'password_reset' && deps.config.userFlows.passwordReset !== undefined) {
    await deps.startSignIn(req, res, { returnTo: tx.returnTo, flow: 'passwordReset' });
    return true;
  }
  return false;
}

/**
 * Admin consent missing (admin-consent.ts): a 403 naming the permissions, never "Sign-in was
 * cancelled". The session, and whoever is signed in, stays; the forced-sign-in count restarts, as
 * only an administrator can change the outcome, not another round of sign-ins.
 */
async function refuseForAdminConsent(req: Request, tx: LoginTransaction, config: Config): Promise<void> {
  const refusal = adminConsentRequired(req.query, tx.scopes, config.clientId);
  if (!refusal) return;
  if (req.session.interactionRedirects) {
    delete req.session.interactionRedirects;
    await save(req.session);
  }
  throw refusal;
}

/** GET {prefix}/{redirect}: finishes the sign-in started by the sign-in route. */
export function callbackHandler(deps: CallbackDeps) {
  const { identity, logger } = deps;
  return async (req: Request, res: Response): Promise<void> => {
    // Every rejection below is logged once, by the error handler, with its stable code.
    const tx = consumeState(req, res, deps.transactions);
    if (req.query.error !== undefined) {
      if (await handledB2cError(req, res, tx, deps)) return;
      await refuseForAdminConsent(req, tx, deps.config);
      if (isCancel(req.query)) {
        // Home with a fixed notice (notices.ts), not an error page: nothing went wrong; whoever was signed in stays so.
        deps.logger.info('signin.cancelled', { flow: tx.flow ?? 'signIn' });
        res.redirect(303, noticeUrl('signin_cancelled'));
        return;
      }
      throw identityProviderError(req.query);
    }
    const code = authorizationCode(req.query);
    await identity.checkResponseIssuer(req.query.iss, tx.flow);
    const user = await identity.redeemCode(code, tx);
    await startSession(req, user, deps);
    logger.info('signin.success', { account: user.homeAccountId, flow: tx.flow ?? 'signIn' });
    res.redirect(303, tx.returnTo);
  };
}

/**
 * Puts the signed-in `user` in a new session (new id, CSRF token, absolute lifetime), files it for
 * front-channel logout, and deletes the token cache of the sign-in it replaces.
 */
async function startSession(req: Request, user: SignedInUser, deps: CallbackDeps): Promise<void> {
  const { identity, logger, sessionMaxAgeMs } = deps;
  const previous = req.session.user;
  const guard = req.session.interactionRedirects;
  // New session id at the moment of sign-in: defeats session fixation (CVE-2021-41246). A browser
  // that arrives without a session (the usual first sign-in) has nothing stored to destroy.
  await regenerate(req.session);
  req.session.user = user;
  req.session.signedInAt = Date.now();
  req.session.cookie.maxAge = sessionMaxAgeMs;
  req.session.csrfToken = newCsrfToken();
  if (guard) req.session.interactionRedirects = guard;
  await save(req.session);
  await recordSignIn(deps.signIns, req.sessionID, user, sessionMaxAgeMs, logger);
  // The new sign-in has its own token cache: the one it replaces (this session's previous account,
  // or B2C's previous user flow) goes. Best effort: the sign-in has succeeded, and an orphaned cache
  // expires with its TTL anyway. A session stored before per-session caches has none to delete.
  if (previous && hasCacheKey(previous)) {
    await identity.forget(previous).catch((error: unknown) => {
      logger.warn('tokencache.delete_failed', { account: previous.homeAccountId, reason: (error as Error).message });
    });
  }
}
