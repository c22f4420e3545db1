import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError, ErrorCode } from '../errors.ts';

/** A fresh synchronizer token for the session's state-changing forms. */
export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

function sameToken(a: unknown, b: string | undefined): boolean {
  if (typeof a !== 'string' || b === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Guards a POST against cross-site requests (OWASP CSRF Prevention Cheat Sheet): the browser's
 * Fetch Metadata and Origin must say same-origin when present, and the form must carry the
 * session's synchronizer token.
 */
export function requireSameOrigin(appOrigin: string): RequestHandler {
  return (req, _res, next) => {
    const site = req.get('sec-fetch-site');
    const origin = req.get('origin');
    const token = (req.body as Record<string, unknown> | undefined)?._csrf;
    if ((site && site !== 'same-origin' && site !== 'none') || (origin && origin !== appOrigin)
      || !sameToken(token, req.session.csrfToken)) {
      next(new AppError(ErrorCode.CSRF_REJECTED, 403, 'cross-site or token-less POST refused', {
        detail: 'This request did not come from this site’s own page, so it was refused. Use the button on the page.',
      }));
      return;
    }
    next();
  };
}
