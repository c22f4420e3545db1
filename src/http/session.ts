import session from 'express-session';
import type { RequestHandler } from 'express';
import type { Config } from '../config/index.ts';
import { sessionCookieName } from '../auth/routes.ts';

/**
 * Server-side sessions; the browser holds only a signed, opaque id in an HttpOnly, SameSite=Lax
 * cookie (Secure with the `__Host-` prefix over https). Nothing is saved for anonymous visitors.
 */
export function sessions(config: Config, store: session.Store | undefined): RequestHandler {
  return session({
    name: sessionCookieName(config),
    secret: config.sessionSecret,
    ...(store ? { store } : {}),
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/', maxAge: config.sessionMaxAgeSeconds * 1000 },
  });
}
