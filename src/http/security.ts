import helmet from 'helmet';
import type { RequestHandler } from 'express';
import type { Config } from '../config/index.ts';

/**
 * Security headers on every response, errors included (helmet): a strict CSP with no inline
 * script, `frame-ancestors 'none'`, nosniff, no cross-origin referrer, and HSTS only when served over https.
 * `form-action` also allows the authority, because the sign-out form's answer redirects there
 * and Chromium applies form-action to redirects.
 */
export function securityHeaders(config: Config): RequestHandler {
  const https = config.secureCookies;
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'frame-ancestors': ["'none'"],
        'form-action': ["'self'", new URL(config.authority).origin],
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // same-origin, not no-referrer: with no-referrer Chromium sends `Origin: null` on same-origin form posts.
    referrerPolicy: { policy: 'same-origin' },
  });
}

/** Pages and auth answers are per-user: never stored by the browser or a proxy. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
