import { rateLimit } from 'express-rate-limit';
import type { RequestHandler } from 'express';
import type { Config } from '../config/index.ts';
import { AppError, ErrorCode } from '../errors.ts';

/**
 * Limits sign-in starts and callbacks per client address (Express's `req.ip`, so `TRUST_PROXY`
 * decides which address that is), bounding the sessions and token requests one client can cause.
 */
export function authRateLimit(config: Config): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: config.authRateLimitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next, options) => {
      next(new AppError(ErrorCode.RATE_LIMITED, options.statusCode, 'sign-in rate limit reached', {
        detail: 'Too many sign-in attempts from your network. Please wait a minute and try again.',
      }));
    },
  });
}
