import express from 'express';
import type { Request, Response } from 'express';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log.ts';
import { authRateLimit } from '../http/rate-limit.ts';
import { destroy, save } from '../http/session-async.ts';
import { sessionCookieName, sessionCookieOptions } from '../http/session.ts';
import { callbackHandler } from './callback.ts';
import { requireSameOrigin } from './csrf.ts';
import type { Identity } from './identity.ts';
import { safeReturnTo } from './return-to.ts';
import { beginTransaction, TRANSACTION_TTL_MS } from './transactions.ts';

/** The auth routes under `/{prefix}`: sign_in, redirect, sign_out (GET confirms, POST acts), post_sign_out. */
export function authRouter(config: Config, identity: Identity, logger: Logger): express.Router {
  const router = express.Router();
  const e = config.authEndpoints;
  const appOrigin = new URL(config.redirectUri).origin;
  const limited = authRateLimit(config);

  router.get(`/${e.signIn}`, limited, async (req: Request, res: Response) => {
    const returnTo = safeReturnTo(req.query.next);
    const tx = beginTransaction(req.session, returnTo, config.scopes);
    // A session made only to carry sign-ins lives no longer than they do.
    if (!req.session.user) req.session.cookie.maxAge = TRANSACTION_TTL_MS;
    const claims = req.session.claimsChallenge;
    delete req.session.claimsChallenge;
    const url = await identity.signInUrl({ ...tx, scopes: config.scopes, claims });
    await save(req.session);
    res.redirect(303, url);
  });

  router.get(`/${e.redirect}`, limited, callbackHandler(identity, logger, config.sessionMaxAgeSeconds * 1000));

  router.get(`/${e.signOut}`, (req: Request, res: Response) => {
    if (!req.session.user) return res.redirect(303, '/');
    res.render('sign_out', { title: 'Sign out' });
  });

  router.post(`/${e.signOut}`, express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5 }),
    (req, res, next) => (req.session.user ? next() : res.redirect(303, '/')),
    requireSameOrigin(appOrigin),
    async (req: Request, res: Response) => {
      const user = req.session.user!;
      // Everything local goes first, so the user is signed out here even if the authority is down.
      await identity.forget(user.homeAccountId);
      await destroy(req.session);
      res.clearCookie(sessionCookieName(config), sessionCookieOptions(config));
      logger.info('signout', { account: user.homeAccountId });
      const target = await identity.signOutUrl().catch(() => config.postSignOutRedirectUri);
      res.redirect(303, target);
    });

  router.get(`/${e.postSignOut}`, (_req: Request, res: Response) => res.redirect(303, '/'));
  return router;
}
