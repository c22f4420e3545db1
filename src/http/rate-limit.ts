import { rateLimit } from 'express-rate-limit';
import type { Request, RequestHandler, Response } from 'express';
import type { Config } from '../config/index.ts';
import { AppError, ErrorCode } from '../errors.ts';

function limiter(limit: number, identifier: string, detail: string, skip?: (req: Request, res: Response) => boolean): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit,
    identifier,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(skip ? { skip } : {}),
    handler: (_req, _res, next, options) => {
      next(new AppError(ErrorCode.RATE_LIMITED, options.statusCode, `${identifier} rate limit reached`, { detail }));
    },
  });
}

/**
 * Sign-in starts per client address (Express's `req.ip`, so `TRUST_PROXY` decides which address
 * that is). A start writes nothing to the store (the transaction travels in a sealed cookie), so
 * this is only a backstop against CPU floods, set high enough for an office behind one NAT
 * (AUTH_RATE_LIMIT_PER_MINUTE, default 1200; OWASP ASVS 5.0 V2.4 anti-automation).
 */
export function signInStartLimit(config: Config): RequestHandler {
  return limiter(config.authRateLimitPerMinute, 'sign-in',
    'Too many sign-in attempts from your network. Please wait a minute and try again.');
}

/**
 * Callbacks that will cost a token request, per client address: only those carrying a live
 * transaction of this browser (`worthARequest`) count. Junk callbacks (no cookie, forged or used
 * state) are refused with 400 by the callback itself, without a token request, and are not
 * counted, so they cannot use up an office's budget (AUTH_CALLBACK_RATE_LIMIT_PER_MINUTE, default 600).
 */
export function tokenRequestLimit(config: Config, worthARequest: (req: Request, res: Response) => boolean): RequestHandler {
  return limiter(config.authCallbackRateLimitPerMinute, 'callback',
    'Too many sign-ins from your network are finishing at once. Please wait a minute and sign in again.',
    (req, res) => !worthARequest(req, res));
}
