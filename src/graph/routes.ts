import express from 'express';
import type { Request, Response } from 'express';
import type { Config } from '../config/index.ts';
import { AppError, ErrorCode, featureUnavailable } from '../errors.ts';
import type { Identity } from '../auth/identity.ts';
import { loginRequired } from '../auth/login-required.ts';
import { endSession } from '../auth/session-lifetime.ts';
import type { GraphClient } from './client.ts';
import { GraphError } from './errors.ts';

/** Forced sign-ins allowed within LOOP_WINDOW_MS before giving up; a claims challenge gets one. */
const MAX_INTERACTION_REDIRECTS = 2;
const LOOP_WINDOW_MS = 5 * 60 * 1000;

/** Counts a forced sign-in; throws INTERACTION_LOOP when signing in again keeps not helping. */
function noteForcedSignIn(req: Request, max: number, now = Date.now()): void {
  const prev = req.session.interactionRedirects;
  const current = prev && now - prev.since < LOOP_WINDOW_MS ? prev : { count: 0, since: now };
  if (current.count >= max) {
    delete req.session.interactionRedirects;
    throw new AppError(ErrorCode.INTERACTION_LOOP, 502, 'signing in again did not yield a usable token', {
      detail: 'Signing in again did not give the app access to Microsoft Graph. Check the app registration’s API permissions and consent.',
    });
  }
  req.session.interactionRedirects = { count: current.count + 1, since: current.since };
}

/** GET /call_ms_graph: lists five users of the tenant with a token from the user's cache. */
export function graphRouter(config: Config, identity: Identity, graph: GraphClient): express.Router {
  const router = express.Router();
  const signIn = `/${config.authEndpoints.prefix}/${config.authEndpoints.signIn}?${new URLSearchParams({ next: '/call_ms_graph' })}`;

  router.get('/call_ms_graph', loginRequired, async (req: Request, res: Response) => {
    if (config.authorityType === 'B2C') {
      throw featureUnavailable('Microsoft Graph', 'Microsoft Graph cannot be called with tokens of Azure AD B2C user flows.');
    }
    try {
      const token = await identity.acquireToken(req.session.user!, config.graphScopes);
      const users = await graph.listUsers(token);
      delete req.session.interactionRedirects;
      res.render('call_ms_graph', { title: 'Call MS Graph API', users });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === ErrorCode.ID_TOKEN_INVALID) {
        // A refresh that names another user: nothing of this session can be trusted any more.
        await endSession(req, identity);
        throw error;
      }
      if (error.code === ErrorCode.INTERACTION_REQUIRED) {
        // Consent missing (incremental consent) or the refresh token expired: sign in asking for this page's scopes.
        noteForcedSignIn(req, MAX_INTERACTION_REDIRECTS);
        req.session.consentScopes = [...config.graphScopes];
        return res.redirect(303, signIn);
      }
      if (error instanceof GraphError && error.claimsChallenge) {
        noteForcedSignIn(req, 1);
        req.session.claimsChallenge = error.claimsChallenge;
        return res.redirect(303, signIn);
      }
      throw error;
    }
  });
  return router;
}
