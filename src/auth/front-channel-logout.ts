import { promisify } from 'node:util';
import type { Request, RequestHandler, Response } from 'express';
import type session from 'express-session';
import type { Config } from '../config/index.ts';
import type { Logger } from '../log.ts';
import { sidKey } from '../stores/sign-in-index.ts';
import type { SignInIndex, SignInRecord } from '../stores/sign-in-index.ts';
import type { TokenCacheStore } from '../stores/token-cache.ts';
import { single } from './query.ts';
import type { SignedInUser } from './signed-in-user.ts';

/** Longer `sid` or `iss` values are not looked up (Entra's `sid` is a GUID; issuers are short URLs). */
const MAX_PARAMETER_LENGTH = 512;

/** What the authority's logout page asked for: the authority session, and its issuer when sent. */
export interface LogoutNotice {
  readonly sid: string;
  readonly iss: string | undefined;
}

function one(value: unknown): string | undefined {
  const text = single(value);
  return text !== undefined && text.length <= MAX_PARAMETER_LENGTH ? text : undefined;
}

/**
 * The `sid` and `iss` of a front-channel logout request (OpenID Connect Front-Channel Logout 1.0 §2),
 * or why it is ignored. `sid` is required: the app ends sessions by authority session only, never
 * "everyone". `iss` may be absent: Microsoft Entra ID sends `sid` alone, a known deviation from the
 * specification (https://github.com/nginxinc/nginx-openid-connect/issues/117,
 * https://github.com/OpenIDC/mod_auth_openidc/pull/855, https://github.com/MicrosoftDocs/entra-docs/issues/333).
 * That is safe here: every record in the index comes from an ID token this app verified against its
 * one configured authority, so a `sid` cannot name another provider's session. A repeated or
 * oversized parameter, though, is refused.
 */
export function logoutNoticeOf(query: Request['query']): LogoutNotice | 'missing_sid' | 'bad_iss' {
  const sid = one(query.sid);
  if (sid === undefined) return 'missing_sid';
  if (query.iss === undefined) return { sid, iss: undefined };
  const iss = one(query.iss);
  return iss === undefined ? 'bad_iss' : { sid, iss };
}

/**
 * The sessions a notice ends: those signed in with an ID token whose `iss` is the notice's `iss`
 * exactly (§2: "the RP MAY verify that any iss and sid parameters match the iss and sid Claims in an
 * ID Token issued for the current session"); all of the `sid`'s sessions when no `iss` was sent.
 */
export function sessionsToEnd(records: readonly SignInRecord[], iss: string | undefined): SignInRecord[] {
  return iss === undefined ? [...records] : records.filter((record) => record.iss === iss);
}

/**
 * The origins whose pages may frame this route: the authorities' (every user flow's), where the
 * authority's logout page runs. Only they, never `*`: a page that can be framed by anyone invites clickjacking
 * (OWASP Clickjacking Defense Cheat Sheet, "Content-Security-Policy: frame-ancestors").
 */
export function authorityOrigins(config: Config): string[] {
  return [...new Set([config.authority, ...Object.values(config.userFlows)].map((url) => new URL(url).origin))];
}

/** This route's own CSP (it replaces the app-wide one of http/security.ts): no content at all, framed by the authority only. */
export function frontChannelCsp(origins: readonly string[]): string {
  return `default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors ${origins.join(' ')}`;
}

export interface FrontChannelDeps {
  readonly config: Config;
  readonly sessionStore: session.Store;
  readonly tokenCaches: TokenCacheStore;
  readonly signIns: SignInIndex;
  readonly logger: Logger;
}

/** Ends the notice's sessions: each session destroyed (a tombstone keeps it so), its token cache deleted, its record dropped. */
async function endSessions(notice: LogoutNotice, deps: FrontChannelDeps): Promise<number | 'unknown_sid' | 'iss_mismatch'> {
  const records = await deps.signIns.find(notice.sid);
  if (records.length === 0) return 'unknown_sid';
  const ending = sessionsToEnd(records, notice.iss);
  if (ending.length === 0) return 'iss_mismatch';
  const destroySession = promisify(deps.sessionStore.destroy.bind(deps.sessionStore));
  await Promise.all(ending.map(async (record) => {
    await destroySession(record.sessionId);
    await deps.tokenCaches.delete(record.cacheKey);
  }));
  await deps.signIns.remove(notice.sid, ending.map((record) => record.sessionId));
  return ending.length;
}

/**
 * GET {prefix}/{front_channel_logout}?iss=…&sid=…: the authority's logout page loads this in an iframe
 * when the user signs out of any app of the tenant (OpenID Connect Front-Channel Logout 1.0 §2, §3;
 * https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#single-sign-out: "Applications
 * must respond to this request by clearing any session that identifies the user and returning a 200 response").
 *
 * The browser's session cookie does not come with this request: the iframe is a cross-site
 * subresource of the authority's page, and a SameSite=Lax cookie is sent on cross-site requests only
 * with top-level navigations (RFC 6265bis §5.6.7.1; Front-Channel Logout 1.0 §4 warns that user agents
 * block third-party cookies in this iframe). So the route never reads the session: it looks the
 * authority's `sid` up in the sign-in index (stores/sign-in-index.ts, written by recordSignIn) and ends
 * every session found there, on every instance sharing the store. It is mounted before the session
 * middleware for the same reason.
 *
 * Always 200 with the same tiny page, whether or not anything ended (the authority ignores the answer,
 * and nobody learns whether a `sid` exists); what happened is logged. No CSRF token: a forged request
 * can only end sessions, which the user's own sign-out anywhere in the tenant does anyway. Not rate-limited:
 * each request costs one index read (an ordinary page costs one session read and is not limited
 * either), it never reaches the authority, and turning away a logout would leave sessions signed in.
 */
export function frontChannelLogout(deps: FrontChannelDeps): RequestHandler {
  const csp = frontChannelCsp(authorityOrigins(deps.config));
  return async (req: Request, res: Response) => {
    res.set({ 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' });
    res.removeHeader('X-Frame-Options'); // helmet's SAMEORIGIN: frame-ancestors alone decides here
    const notice = logoutNoticeOf(req.query);
    const outcome = typeof notice === 'string' ? notice : await endSessions(notice, deps);
    if (typeof outcome === 'number') {
      deps.logger.info('frontchannel_logout', { sessions: outcome, sid_hash: sidKey((notice as LogoutNotice).sid).slice(0, 12) });
    } else {
      deps.logger.warn('frontchannel_logout.ignored', { reason: outcome, iss_sent: typeof notice !== 'string' && notice.iss !== undefined });
    }
    res.render('front_channel_logout');
  };
}

/**
 * At sign-in (auth/callback.ts, once the regenerated session is saved): files the new session under
 * its ID token's `sid` and `iss` until the session's absolute lifetime ends. An ID token without `sid`
 * (an authority that has no front-channel logout) files nothing. Best effort: the sign-in has
 * succeeded, and a failure only means the authority's logout cannot reach this session (logged).
 */
export async function recordSignIn(signIns: SignInIndex, sessionId: string, user: SignedInUser, maxAgeMs: number, logger: Logger): Promise<void> {
  const { sid, iss } = user.claims;
  if (typeof sid !== 'string' || sid === '' || typeof iss !== 'string') return;
  await signIns.add(sid, { sessionId, cacheKey: user.cacheKey, iss, expires: Date.now() + maxAgeMs }).catch((error: unknown) => {
    logger.error('frontchannel_logout.index_failed', { account: user.homeAccountId, reason: (error as Error).message });
  });
}
