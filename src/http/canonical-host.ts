import type { RequestHandler } from 'express';
import type { Config } from '../config/index.ts';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * In local development the app is reachable as localhost, 127.0.0.1 and [::1], but its session
 * cookie and its registered redirect URI belong to one of them: a sign-in started on another name
 * comes back to a browser without the session (STATE_UNKNOWN). Page requests on another loopback
 * name are sent to the redirect URI's origin first. Non-loopback deployments are untouched.
 */
export function canonicalLoopbackHost(config: Config): RequestHandler {
  const canonical = new URL(config.redirectUri);
  if (!LOOPBACK.has(canonical.hostname)) return (_req, _res, next) => next();
  return (req, res, next) => {
    const host = req.headers.host ?? '';
    if (host === canonical.host) return next(); // the common case, decided without parsing
    const hostname = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
    const isGet = req.method === 'GET' || req.method === 'HEAD';
    if (isGet && hostname && LOOPBACK.has(hostname) && host !== canonical.host) {
      res.redirect(302, new URL(req.originalUrl, canonical.origin).href);
      return;
    }
    next();
  };
}
