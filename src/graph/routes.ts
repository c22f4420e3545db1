import express from 'express';
import type { Request, Response } from 'express';
import type { Config } from '../config/index.ts';
import { AppError, ErrorCode } from '../errors.ts';
import type { Identity } from '../auth/identity.ts';
import { loginRequired } from '../auth/login-required.ts';
import type { GraphClient } from './client.ts';

/** Sign-ins forced by interaction-required errors allowed within LOOP_WINDOW_MS before giving up. */
const MAX_INTERACTION_REDIRECTS = 2;
const LOOP_WINDOW_MS = 5 * 60 * 1000;

/** Counts a forced sign-in; throws INTERACTION_LOOP when signing in again keeps not helping. */
function noteInteractionRedirect(req: Request, now = Date.now()): void {
  const prev = req.session.interactionRedirects;
  const current = prev && now - prev.since < LOOP_WINDOW_MS ? prev : { count: 0, since: now };
  if (current.count >= MAX_INTERACTION_REDIRECTS) {
    delete req.session.interactionRedirects;
    throw new AppError(ErrorCode.INTERACTION_LOOP, 502, 'signing in again did not yield a token', {
      detail: 'Signing in again did not give the app access to Microsoft Graph. Check the app registration’s API permissions and consent.',
    });
  }
  req.session.interactionRedirects = { count: current.count + 1, since: current.since };
}

/** GET /call_ms_graph: lists five users of the tenant with a token from the user's cache. */
export function graphRouter(config: Config, identity: Identity, graph: GraphClient): express.Router {
  const router = express.Router();
  router.get('/call_ms_graph', loginRequired, async (req: Request, res: Response) => {
    let token: string;
    try {
      token = await identity.acquireToken(req.session.user!.homeAccountId, config.scopes);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== ErrorCode.INTERACTION_REQUIRED) throw error;
      noteInteractionRedirect(req);
      const signIn = new URL(`/${config.authEndpoints.prefix}/${config.authEndpoints.signIn}`, 'http://x');
      signIn.searchParams.set('next', '/call_ms_graph');
      res.redirect(303, `${signIn.pathname}${signIn.search}`);
      return;
    }
    const users = await graph.listUsers(token);
    delete req.session.interactionRedirects;
    res.render('call_ms_graph', { title: 'Call MS Graph API', users });
  });
  return router;
}
