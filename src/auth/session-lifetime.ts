import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log.ts';
import { regenerate } from '../http/session-async.ts';
import type { Identity } from './identity.ts';
import { hasCacheKey } from './signed-in-user.ts';

/** `lastSeenAt` is rewritten at most this often, so a busy user does not cause a store write per request. */
const SEEN_RESOLUTION_MS = 60_000;

/**
 * Why a signed-in session has ended, or undefined while it is live: idle longer than the idle
 * timeout, or older than the absolute lifetime (OWASP ASVS 5.0 V7.3.1, V7.3.2).
 */
export function sessionExpiry(config: Config, signedInAt: number, lastSeenAt: number, now = Date.now()): 'idle' | 'absolute' | undefined {
  if (now - signedInAt >= config.sessionMaxAgeSeconds * 1000) return 'absolute';
  if (now - lastSeenAt >= config.sessionIdleTimeoutSeconds * 1000) return 'idle';
  return undefined;
}

/** Ends the user's session here: deletes its token cache and gives the request a fresh, empty session. */
export async function endSession(req: Request, identity: Identity): Promise<void> {
  const user = req.session.user;
  if (user && hasCacheKey(user)) await identity.forget(user);
  await regenerate(req.session);
}

/**
 * Ends signed-in sessions past their idle or absolute lifetime: the token cache is deleted and the
 * request goes on with a fresh, empty session, so the user meets the sign-in page, not an error.
 */
export function sessionLifetime(config: Config, identity: Identity, logger: Logger): RequestHandler {
  return async (req: Request, _res: Response, next) => {
    const { user, signedInAt } = req.session;
    if (!user || signedInAt === undefined) return next();
    if (!hasCacheKey(user)) {
      // Stored before each session had its own token cache: its tokens were shared with the user's
      // other sessions, so it is signed out (the shared cache expires with its TTL).
      await endSession(req, identity);
      logger.info('session.expired', { reason: 'no_cache_key', account: user.homeAccountId });
      return next();
    }
    const now = Date.now();
    const lastSeenAt = req.session.lastSeenAt ?? signedInAt;
    const ended = sessionExpiry(config, signedInAt, lastSeenAt, now);
    if (ended) {
      await endSession(req, identity);
      logger.info('session.expired', { reason: ended, account: user.homeAccountId });
    } else if (now - lastSeenAt >= SEEN_RESOLUTION_MS) {
      req.session.lastSeenAt = now;
    }
    next();
  };
}
