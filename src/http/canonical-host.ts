import type { RequestHandler } from 'express';
import type { Config } from '../config/index.ts';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The same request target at `origin`, never at another origin (CWE-601, OWASP Unvalidated
 * Redirects and Forwards): control characters are dropped (URL parsing drops tab and newline, so
 * `/\t/evil` would become `//evil`), leading slashes and backslashes collapse to one (browsers read
 * `\` as `/`, so `//evil` and `/\evil` name another host), then the path is parsed against
 * `origin` and the result's origin checked. `/` when nothing safe remains.
 */
export function sameOriginTarget(rawTarget: string, origin: string): string {
  const cleaned = rawTarget.replace(/[\u0000-\u001f\u007f]/g, '');
  const url = new URL(`/${cleaned.replace(/^[/\\]+/, '')}`, origin);
  const target = new URL(origin);
  // Dot segments can bring back a leading `//` (`/./\evil` parses to the path `//evil`).
  target.pathname = url.pathname.replace(/^\/+/, '/');
  target.search = url.search;
  return url.origin === target.origin ? target.href : new URL('/', origin).href;
}

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
    if (isGet && hostname && LOOPBACK.has(hostname)) {
      res.redirect(302, sameOriginTarget(req.originalUrl, canonical.origin));
      return;
    }
    next();
  };
}
