import express from 'express';
import type { Request, Response } from 'express';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log.ts';
import type { SignInIndex } from '../stores/sign-in-index.ts';
import { signInStartLimit, tokenRequestLimit } from '../http/rate-limit.ts';
import { featureUnavailable } from '../errors.ts';
import { noticeUrl } from '../http/notices.ts';
import { destroy } from '../http/session-async.ts';
import { sessionCookieName, sessionCookieOptions } from '../http/session.ts';
import { callbackHandler } from './callback.ts';
import { requireSameOrigin } from './csrf.ts';
import type { Identity } from './identity.ts';
import { loginRequired } from './login-required.ts';
import { safeReturnTo } from './return-to.ts';
import { signInStarter } from './start-sign-in.ts';
import { LoginTransactions } from './transaction-cookie.ts';

/**
 * The auth routes under `/{prefix}`: sign_in, sign_up (External ID), edit_profile (B2C), redirect,
 * sign_out (GET confirms, POST acts), post_sign_out.
 */
export function authRouter(config: Config, identity: Identity, logger: Logger, signIns: SignInIndex): express.Router {
  const router = express.Router();
  const e = config.authEndpoints;
  const appOrigin = new URL(config.redirectUri).origin;
  const limited = signInStartLimit(config);
  const transactions = new LoginTransactions(config);
  const startSignIn = signInStarter(config, identity, transactions);

  router.get(`/${e.signIn}`, limited, (req: Request, res: Response) => startSignIn(req, res, { returnTo: safeReturnTo(req.query.next) }));

  // External ID: straight to the sign-up page (prompt=create, OpenID Connect Prompt Create 1.0 §4).
  router.get(`/${e.signUp}`, limited, (req: Request, res: Response) => {
    if (config.authorityType !== 'EXTERNAL_ID') throw featureUnavailable('Sign-up');
    return startSignIn(req, res, { returnTo: safeReturnTo(req.query.next), prompt: 'create' });
  });

  // B2C: the profile-editing user flow, then back home with the refreshed claims.
  router.get(`/${e.editProfile}`, limited, loginRequired, (req: Request, res: Response) => {
    if (config.userFlows.editProfile === undefined) throw featureUnavailable('Profile editing');
    return startSignIn(req, res, { returnTo: '/', flow: 'editProfile' });
  });

  // Only a callback with a live transaction of this browser costs a token request, and counts.
  router.get(`/${e.redirect}`, tokenRequestLimit(config, (req, res) => transactions.holds(req, res, req.query.state)), callbackHandler({
    config, identity, logger, startSignIn, transactions, signIns, sessionMaxAgeMs: config.sessionMaxAgeSeconds * 1000,
  }));

  router.get(`/${e.signOut}`, (req: Request, res: Response) => {
    if (!req.session.user) return res.redirect(303, '/');
    res.render('sign_out', { title: 'Sign out' });
  });

  router.post(`/${e.signOut}`, express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5 }),
    (req, res, next) => (req.session.user ? next() : res.redirect(303, '/')),
    requireSameOrigin(appOrigin),
    async (req: Request, res: Response) => {
      const user = req.session.user!;
      // B2C's id_token_hint comes from the token cache, so it is read before the cache goes.
      const idTokenHint = config.logoutIdTokenHint ? await identity.idToken(user).catch(() => undefined) : undefined;
      // Everything local goes first, so the user is signed out here even if the authority is down.
      // This session's tokens only: the user's other browsers keep theirs (signed-in-user.ts).
      await identity.forget(user);
      await destroy(req.session);
      res.clearCookie(sessionCookieName(config), sessionCookieOptions(config));
      logger.info('signout', { account: user.homeAccountId });
      const target = await identity.signOutUrl(user, idTokenHint).catch(() => config.postSignOutRedirectUri);
      res.redirect(303, target);
    });

  // Where the authority sends the browser after its sign-out: home, saying so (a fixed notice, notices.ts).
  router.get(`/${e.postSignOut}`, (_req: Request, res: Response) => res.redirect(303, noticeUrl('signed_out')));
  return router;
}
