import express from 'express';
import type { Request, Response } from 'express';
import type { Config } from '../config/index.ts';
import { AppError, ErrorCode, featureUnavailable } from '../errors.ts';
import type { Identity } from '../auth/identity.ts';
import { loginRequired } from '../auth/login-required.ts';
import { withRefreshedClaims } from '../auth/refreshed-claims.ts';
import { endSession } from '../auth/session-lifetime.ts';
import type { GraphClient } from './client.ts';
import { groupsOf } from './groups.ts';
import { pageNumber, pageOf } from './group-pages.ts';
import type { ShownGroup } from './group-pages.ts';
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

/** A page that needs a Graph token: from the token, the view to render and its locals. */
type GraphPage = (token: string) => Promise<{ view: string; locals: Record<string, unknown> }>;

/**
 * Runs a Graph page with a token for its scopes, and turns what only a new sign-in can fix into
 * one that comes back to the page: consent missing (incremental consent) or an expired refresh
 * token (asking for the page's scopes, plus the `claims` of a Conditional Access answer), or a
 * claims challenge of Graph (carrying its `claims`). A refresh naming another user, or refused
 * because the grant was revoked or expired for good, ends the session (401). Forced sign-ins are
 * counted to stop redirect loops.
 */
function graphPage(config: Config, identity: Identity, path: string, scopes: readonly string[], page: GraphPage) {
  const signIn = `/${config.authEndpoints.prefix}/${config.authEndpoints.signIn}?${new URLSearchParams({ next: path })}`;
  return async (req: Request, res: Response): Promise<void> => {
    if (config.authorityType === 'B2C') {
      throw featureUnavailable('Microsoft Graph', 'Microsoft Graph cannot be called with tokens of Azure AD B2C user flows.');
    }
    try {
      const { accessToken, claims } = await identity.acquireToken(req.session.user!, scopes);
      // A verified refreshed ID token speaks for the user now: roles an administrator changed count at once.
      if (claims) req.session.user = withRefreshedClaims(req.session.user!, claims);
      const { view, locals } = await page(accessToken);
      delete req.session.interactionRedirects;
      res.render(view, locals);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === ErrorCode.ID_TOKEN_INVALID || error.code === ErrorCode.SESSION_REVOKED) {
        // A refresh that names another user, or a grant the authority revoked (password reset, sessions
        // revoked, account disabled): nothing of this session can be trusted any more.
        await endSession(req, identity);
        throw error;
      }
      if (error.code === ErrorCode.INTERACTION_REQUIRED) {
        noteForcedSignIn(req, MAX_INTERACTION_REDIRECTS);
        req.session.consentScopes = [...scopes];
        // Conditional Access at the token endpoint: the sign-in must carry its claims, or it never satisfies the policy.
        if (error.claimsChallenge) req.session.claimsChallenge = error.claimsChallenge;
        return res.redirect(303, signIn);
      }
      if (error instanceof GraphError && error.claimsChallenge) {
        noteForcedSignIn(req, 1);
        req.session.claimsChallenge = error.claimsChallenge;
        return res.redirect(303, signIn);
      }
      throw error;
    }
  };
}

/** The Call Graph page's title with an External ID authority (also the home page's link text). */
const PROFILE_TITLE = 'Your profile (Microsoft Graph /me)';

/**
 * GET /call_ms_graph: lists five users of the tenant with a token from the user's cache; with an
 * External ID authority, the customer's own profile from `GET /me` instead.
 * GET /groups: the user's groups, from the ID token, or from Graph when the token could not carry
 * them all (the groups overage).
 */
export function graphRouter(config: Config, identity: Identity, graph: GraphClient): express.Router {
  const router = express.Router();

  // External ID customers cannot list other users (Graph answers 403): they see their own profile.
  const listOrProfile: GraphPage = config.authorityType === 'EXTERNAL_ID'
    ? async (token) => ({ view: 'graph_profile', locals: { title: PROFILE_TITLE, profile: await graph.profile(token) } })
    : async (token) => ({ view: 'call_ms_graph', locals: { title: 'Call MS Graph API', users: await graph.listUsers(token) } });
  router.get('/call_ms_graph', loginRequired, graphPage(config, identity, '/call_ms_graph', config.graphScopes, listOrProfile));

  // The overage: every id from getMemberGroups, then names for the shown page only (GroupMember.Read.All).
  const resolveOverage = (requested: number) => graphPage(config, identity, '/groups', config.groupScopes, async (token) => {
    const shown = pageOf(await graph.memberGroups(token), requested);
    const names = await graph.groupNames(token, shown.ids);
    const groups: ShownGroup[] = shown.ids.map((id, i) => ({ id, displayName: names[i] ?? null }));
    return { view: 'groups', locals: { title: 'Your groups', groups, paging: shown, source: 'graph' } };
  });
  // Groups listed in the token: ids only. Names would need GroupMember.Read.All (admin consent), not worth a prompt.
  router.get('/groups', loginRequired, async (req: Request, res: Response) => {
    const requested = pageNumber(req.query['page']);
    const groups = groupsOf(req.session.user!.claims);
    if (groups.kind === 'overage') return resolveOverage(requested)(req, res);
    const shown = pageOf(groups.kind === 'listed' ? groups.ids : [], requested);
    const listed: ShownGroup[] = shown.ids.map((id) => ({ id, displayName: null }));
    res.render('groups', { title: 'Your groups', groups: listed, paging: shown, source: 'token' });
  });
  return router;
}
