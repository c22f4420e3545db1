/**
 * Single sign-out as Entra ID does it: ID tokens carry `sid`, the id of the user's session at the
 * tenant (the same GUID for every app signed in through it; https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference),
 * and when the user signs out, the sign-out page loads in hidden iframes the Front-channel logout
 * URL of every app signed in during that session, with `iss` and `sid`, then goes on to the
 * post_logout_redirect_uri (https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#single-sign-out,
 * OpenID Connect Front-Channel Logout 1.0 §3, https://openid.net/specs/openid-connect-frontchannel-1_0.html#OPLogout).
 * oidc-provider 9 has no front-channel logout (only back-channel) and a `sid` per client, so this
 * module adds both.
 */
import { randomUUID } from 'node:crypto';

import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

import type { TenantContext } from './context.ts';
import { html, layout } from './html.ts';
import { userTenant } from './organizations.ts';
import type { Next } from './shims.ts';

/** Each registered client's Front-channel logout URL, by client id (absent = none registered). */
export type FrontChannelUrls = ReadonlyMap<string, string>;

/** The shape of oidc-provider's Session this module relies on. */
interface SessionLike {
  accountId?: string | undefined;
  authorizations?: Record<string, { sid?: string | undefined }> | undefined;
  sidFor(clientId: string, value?: string): string | undefined;
}

/** The session's `sid`: the one its first signed-in client already has, if any. */
export function sessionSid(session: SessionLike): string | undefined {
  return Object.values(session.authorizations ?? {}).find((a) => typeof a.sid === 'string')?.sid;
}

/**
 * Makes oidc-provider's per-client `sid` one value per browser session (a GUID, like Entra's) and
 * puts it in every client's codes, hence in their ID tokens and refresh tokens (oidc-provider adds
 * `sid` only for clients with `backchannel_logout_session_required`). A new session, e.g. after
 * sign-out, gets a new value.
 */
export function sessionWideSid(provider: Provider): void {
  const session = provider.Session.prototype as unknown as SessionLike & { ensureClientContainer(clientId: string): void };
  session.ensureClientContainer = function ensure(this: SessionLike, clientId: string): void {
    if (!this.sidFor(clientId)) this.sidFor(clientId, sessionSid(this) ?? randomUUID());
  };
  (provider.Client.prototype as unknown as { includeSid(): boolean }).includeSid = () => true;
}

/** One front-channel logout call: the client's URL with `iss` (unless undefined) and `sid` added to its query (§3). */
export function frontChannelCall(uri: string, iss: string | undefined, sid: string): string {
  const url = new URL(uri);
  if (iss !== undefined) url.searchParams.set('iss', iss);
  url.searchParams.set('sid', sid);
  return url.href;
}

/** The calls for the clients signed in during the session that have a Front-channel logout URL. */
export function frontChannelCalls(session: SessionLike, urls: FrontChannelUrls, iss: string | undefined): string[] {
  const calls: string[] = [];
  for (const [clientId, authorization] of Object.entries(session.authorizations ?? {})) {
    const uri = urls.get(clientId);
    if (uri !== undefined && typeof authorization.sid === 'string') calls.push(frontChannelCall(uri, iss, authorization.sid));
  }
  return calls;
}

/** The issuer of the signed-out user's ID tokens (at /organizations and /common: the user's own tenant's). */
function issuerOf(tenant: TenantContext, accountId: string | undefined): string {
  return userTenant(tenant, accountId === undefined ? undefined : tenant.users.bySubject(accountId)).issuer;
}

/** The page between the tenant's sign-out and the app: hidden iframes, then front-channel-logout.js continues. */
export function frontChannelPage(calls: readonly string[], next: string, footer: string): string {
  const frames = calls.map((src) => html`<iframe class="dt-front-channel" src="${src}" title="Front-channel logout" hidden></iframe>`);
  const body = html`<h1>Signing out</h1>
<p class="dt-sub">Signing you out of the apps you used with this account…</p>
${frames}
<div class="dt-actions"><a id="dt-continue" class="dt-primary" href="${next}">Continue</a></div>`;
  return layout({ title: 'Signing out', body, footer, script: 'front-channel-logout.js' });
}

/** The page's CSP: the tenant's, plus `frame-src` for the apps' origins (the pages' default is 'none'). */
function pageCsp(csp: string, calls: readonly string[]): string {
  const origins = [...new Set(calls.map((call) => new URL(call).origin))];
  return `${csp}; frame-src ${origins.join(' ')}`;
}

/**
 * Koa middleware: when a sign-out (end_session confirmed with logout=yes) has ended a session in
 * which apps with a Front-channel logout URL were signed in, answers with {@link frontChannelPage}
 * instead of the redirect; the redirect's target (post_logout_redirect_uri, or the signed-out page)
 * becomes the page's Continue link. Otherwise leaves the response alone.
 */
export function frontChannelLogout(tenant: TenantContext, urls: FrontChannelUrls, csp: string, settings?: { readonly frontChannelIss: boolean }) {
  return async (ctx: KoaContextWithOIDC, next: Next): Promise<void> => {
    await next();
    if (urls.size === 0 || ctx.oidc?.route !== 'end_session_confirm' || ctx.status < 300 || ctx.status >= 400) return;
    const session = ctx.oidc.session as unknown as SessionLike | undefined;
    const target = ctx.response.get('location');
    if (!session || !ctx.oidc.params?.['logout'] || !target) return;
    const iss = settings?.frontChannelIss === false ? undefined : issuerOf(tenant, session.accountId);
    const calls = frontChannelCalls(session, urls, iss);
    if (calls.length === 0) return;
    ctx.remove('Location');
    ctx.status = 200;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Security-Policy', pageCsp(csp, calls));
    ctx.body = frontChannelPage(calls, target, tenant.footer);
  };
}
