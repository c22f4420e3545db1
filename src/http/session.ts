import session from 'express-session';
import type { RequestHandler } from 'express';
import type { Config } from '../config/index.ts';

/** The session cookie's name: `__Host-sid` over https (RFC 6265bis §4.1.3.2), else `sid`. */
export function sessionCookieName(config: Config): string {
  return config.secureCookies ? '__Host-sid' : 'sid';
}

/** The cookie's attributes, shared by express-session and by sign-out's clearCookie. */
export function sessionCookieOptions(config: Config) {
  return { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/' } as const;
}

/**
 * Server-side sessions; the browser holds only a signed, opaque id in an HttpOnly, SameSite=Lax
 * cookie (Secure with the `__Host-` prefix over https). Nothing is saved for anonymous visitors.
 */
export function sessions(config: Config, store: session.Store): RequestHandler {
  return session({
    name: sessionCookieName(config),
    secret: config.sessionSecret,
    store,
    resave: false,
    saveUninitialized: false,
    cookie: { ...sessionCookieOptions(config), maxAge: config.sessionMaxAgeSeconds * 1000 },
  });
}
