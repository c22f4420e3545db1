import type { RequestHandler } from 'express';
import type { Config } from '../config/index.ts';

/** The product name shown in the nav and titles. */
export const APP_NAME = 'Contoso Identity Sample';

/**
 * Values every view needs that never change: set once on `app.locals`, so even an error
 * raised before any middleware ran renders a complete page.
 */
export function staticLocals(config: Config): Record<string, unknown> {
  const e = config.authEndpoints;
  return {
    appName: APP_NAME,
    paths: Object.freeze({ signIn: `/${e.prefix}/${e.signIn}`, signOut: `/${e.prefix}/${e.signOut}` }),
    notice: config.notice,
    redirectUri: config.redirectUri,
    user: undefined,
    csrfToken: undefined,
  };
}

/** Per request: who is signed in, and the token for the sign-out form. */
export const sessionLocals: RequestHandler = (req, res, next) => {
  res.locals.user = req.session.user;
  res.locals.csrfToken = req.session.csrfToken;
  next();
};
