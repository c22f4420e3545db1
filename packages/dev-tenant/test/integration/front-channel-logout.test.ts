/**
 * Front-channel single sign-out as Entra ID does it: `sid` in ID tokens (one per tenant session,
 * shared by every app), a Front-channel logout URL per app registration, and a sign-out page that
 * loads those URLs with `iss` and `sid` in hidden iframes before it continues to the app.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { DevTenant, DevTenantOptions } from '../../src/index.ts';
import { Agent, parseForm } from '../../src/agent.ts';
import { authorizeUrl, claimsOf, location, pkce, useTestTenant } from './helpers.ts';
import { leftTo, pageOf, redeemAt, startAt, submitWith } from './shape-helpers.ts';

const SCOPE = 'User.ReadBasic.All openid profile offline_access';
const MAIN_FCL = 'http://localhost:8000/auth/front_channel_logout';
const SECOND_FCL = 'https://second.example/signout-oidc?tenant=dev';
const UNUSED_FCL = 'http://localhost:8003/auth/front_channel_logout';

/** The main app, a second app with a Front-channel logout URL, one without, and one the user never signs in to. */
const OPTIONS: DevTenantOptions = {
  frontChannelLogoutUri: MAIN_FCL,
  extraClients: [
    { name: 'Second app', redirectUris: ['http://localhost:8001/auth/redirect'], postLogoutRedirectUris: ['http://localhost:8001/'], frontChannelLogoutUri: SECOND_FCL },
    { redirectUris: ['http://localhost:8002/auth/redirect'], postLogoutRedirectUris: ['http://localhost:8002/'] },
    { redirectUris: ['http://localhost:8003/auth/redirect'], postLogoutRedirectUris: ['http://localhost:8003/'], frontChannelLogoutUri: UNUSED_FCL },
  ],
};

interface App { clientId: string; clientSecret: string; redirectUri: string }

function apps(tenant: DevTenant): App[] {
  const main = { clientId: tenant.clientId, clientSecret: tenant.clientSecret, redirectUri: 'http://localhost:8000/auth/redirect' };
  return [main, ...tenant.extraClients.map((c, i) => ({ ...c, redirectUri: `http://localhost:${8001 + i}/auth/redirect` }))];
}

/** Signs `user` in to `app` at `authority` in `agent`'s browser session and redeems the code; returns the ID token's claims. */
async function signInTo(tenant: DevTenant, app: App, agent: Agent, authority = tenant.authority, user = /Megan Bowen/): Promise<Record<string, unknown>> {
  const { verifier, challenge } = pkce();
  const start = authorizeUrl(tenant, { client_id: app.clientId, redirect_uri: app.redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state: 's' })
    .replace(tenant.authority, authority);
  const pickerUrl = location(await agent.raw(start), start);
  const form = parseForm(await (await agent.raw(pickerUrl)).text(), user, pickerUrl);
  let response = await agent.post(form.action, form.fields);
  let current = form.action;
  while (new URL(location(response, current)).origin === new URL(authority).origin) {
    current = location(response, current);
    response = await agent.raw(current);
  }
  const code = new URL(location(response, current)).searchParams.get('code') ?? '';
  const token = await fetch(`${authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'authorization_code', code, redirect_uri: app.redirectUri, code_verifier: verifier, scope: SCOPE }),
  });
  assert.equal(token.status, 200, await token.clone().text());
  return claimsOf((await token.json() as Record<string, unknown>)['id_token']);
}

/** Signs out at `authority` (client_id + post_logout_redirect_uri, "Sign out" on the picker); returns the confirmation's response. */
async function signOut(agent: Agent, authority: string, app: App, postLogout: string): Promise<{ response: Response; url: string }> {
  const url = new URL(`${authority}/oauth2/v2.0/logout`);
  url.searchParams.set('client_id', app.clientId);
  url.searchParams.set('post_logout_redirect_uri', postLogout);
  const form = parseForm(await (await agent.raw(url.href)).text(), /^Sign out$/, url.href);
  return { response: await agent.post(form.action, form.fields), url: url.href };
}

/** The `src` of every iframe on a page, HTML entities decoded. */
function iframeSources(html: string): string[] {
  return [...html.matchAll(/<iframe[^>]*\bsrc="([^"]*)"/g)].map((m) => (m[1] ?? '').replaceAll('&amp;', '&'));
}

describe('front-channel logout', () => {
  const ctx = useTestTenant(OPTIONS);

  it('should publish frontchannel_logout_supported but not frontchannel_logout_session_supported when discovery is fetched', async () => {
    const doc = await (await fetch(`${ctx.tenant.authority}/v2.0/.well-known/openid-configuration`)).json() as Record<string, unknown>;
    assert.equal(doc['frontchannel_logout_supported'], true);
    assert.equal('frontchannel_logout_session_supported' in doc, false);
  });

  it('should give each extra client its own generated client id and secret when extraClients is set', () => {
    const { tenant } = ctx;
    assert.equal(tenant.extraClients.length, 3);
    const ids = new Set([tenant.clientId, ...tenant.extraClients.map((c) => c.clientId)]);
    assert.equal(ids.size, 4);
    for (const c of tenant.extraClients) {
      assert.match(c.clientId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.ok(c.clientSecret.length >= 32);
    }
  });

  it('should put the same sid in the ID tokens of two apps when they are signed in in one browser session', async () => {
    const [main, second] = apps(ctx.tenant) as [App, App];
    const agent = new Agent();
    const first = await signInTo(ctx.tenant, main, agent);
    const other = await signInTo(ctx.tenant, second, agent);
    assert.match(String(first['sid']), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(other['sid'], first['sid']);
    assert.equal(other['aud'], second.clientId);
    const again = await signInTo(ctx.tenant, main, new Agent());
    assert.notEqual(again['sid'], first['sid'], 'another browser has another session');
  });

  it('should keep the sid in ID tokens from refresh tokens when the app refreshes', async () => {
    const [main] = apps(ctx.tenant) as [App];
    const agent = new Agent();
    const { verifier, challenge } = pkce();
    const start = authorizeUrl(ctx.tenant, { code_challenge: challenge, code_challenge_method: 'S256' });
    const pickerUrl = location(await agent.raw(start), start);
    const form = parseForm(await (await agent.raw(pickerUrl)).text(), /Megan Bowen/, pickerUrl);
    let response = await agent.post(form.action, form.fields);
    let current = form.action;
    while (location(response, current).startsWith(ctx.tenant.authority)) {
      current = location(response, current);
      response = await agent.raw(current);
    }
    const code = new URL(location(response, current)).searchParams.get('code') ?? '';
    const post = (fields: Record<string, string>) => fetch(`${ctx.tenant.authority}/oauth2/v2.0/token`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: main.clientId, client_secret: main.clientSecret, scope: SCOPE, ...fields }),
    }).then(async (r) => await r.json() as Record<string, unknown>);
    const first = await post({ grant_type: 'authorization_code', code, redirect_uri: main.redirectUri, code_verifier: verifier });
    const refreshed = await post({ grant_type: 'refresh_token', refresh_token: String(first['refresh_token']) });
    assert.equal(typeof claimsOf(first['id_token'])['sid'], 'string');
    assert.equal(claimsOf(refreshed['id_token'])['sid'], claimsOf(first['id_token'])['sid']);
  });

  it('should load the Front-channel logout URL of every app signed in to, with iss and sid, before redirecting when the user signs out', async () => {
    const [main, second, noUrl] = apps(ctx.tenant) as [App, App, App];
    const agent = new Agent();
    const { sid, iss } = await signInTo(ctx.tenant, main, agent);
    await signInTo(ctx.tenant, second, agent);
    await signInTo(ctx.tenant, noUrl, agent);
    const { response, url } = await signOut(agent, ctx.tenant.authority, second, 'http://localhost:8001/');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('location'), null);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const html = await response.text();
    const expected = [MAIN_FCL, SECOND_FCL].map((uri) => {
      const call = new URL(uri);
      call.searchParams.set('iss', String(iss));
      call.searchParams.set('sid', String(sid));
      return call.href;
    });
    assert.deepEqual(iframeSources(html).sort(), expected.sort(), 'the main and second apps only: not the app without a URL, nor the one never signed in to');
    assert.equal(new URL(expected[0] ?? '').searchParams.get('iss'), ctx.tenant.issuer);
    assert.match(html, /<script src="\/devtenant-assets\/front-channel-logout\.js" defer><\/script>/);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)/);
    const continueTo = /<a id="dt-continue"[^>]*href="([^"]*)"/.exec(html)?.[1];
    assert.equal(continueTo, 'http://localhost:8001/');
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-src http:\/\/localhost:8000 https:\/\/second\.example(;|$)/);
    assert.match(csp, /script-src 'self'/);
    const script = await agent.raw(new URL('/devtenant-assets/front-channel-logout.js', url).href);
    assert.equal(script.status, 200);

    const silent = await agent.raw(authorizeUrl(ctx.tenant, { prompt: 'none', code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    assert.equal(new URL(location(silent, ctx.tenant.authority)).searchParams.get('error'), 'login_required', 'the tenant session has ended');
    const next = await signInTo(ctx.tenant, main, agent);
    assert.notEqual(next['sid'], sid, 'a new tenant session has a new sid');
  });

  it('should send sid without iss, as apps report Entra does, when frontChannelLogoutIss(false) is set', async (t) => {
    t.after(() => ctx.tenant.frontChannelLogoutIss(true));
    ctx.tenant.frontChannelLogoutIss(false);
    const [main] = apps(ctx.tenant) as [App];
    const agent = new Agent();
    const { sid } = await signInTo(ctx.tenant, main, agent);
    const { response } = await signOut(agent, ctx.tenant.authority, main, 'http://localhost:8000/auth/post_sign_out');
    const [call] = iframeSources(await response.text());
    assert.equal(call, `${MAIN_FCL}?sid=${String(sid)}`);
  });

  it('should redirect straight to post_logout_redirect_uri when no app of the session has a Front-channel logout URL', async () => {
    const noUrl = apps(ctx.tenant)[2] as App;
    const agent = new Agent();
    await signInTo(ctx.tenant, noUrl, agent);
    const { response, url } = await signOut(agent, ctx.tenant.authority, noUrl, 'http://localhost:8002/');
    assert.equal(response.status, 303);
    assert.equal(location(response, url), 'http://localhost:8002/');
  });

  it('should name the user\'s own tenant as iss when the user signed in at /organizations', async () => {
    const [main] = apps(ctx.tenant) as [App];
    const agent = new Agent();
    const { organizations } = ctx.tenant.authorities;
    const guest = ctx.tenant.guestTenant.users[0]?.displayName ?? 'no guest';
    const claims = await signInTo(ctx.tenant, main, agent, organizations, new RegExp(guest));
    assert.equal(claims['iss'], ctx.tenant.guestTenant.issuer);
    const { response } = await signOut(agent, organizations, main, 'http://localhost:8000/auth/post_sign_out');
    const [call] = iframeSources(await response.text());
    assert.equal(new URL(call ?? 'http://x').searchParams.get('iss'), claims['iss']);
    assert.equal(new URL(call ?? 'http://x').searchParams.get('sid'), claims['sid']);
  });
});

describe('front-channel logout in External ID', () => {
  const ctx = useTestTenant({ shape: 'external_id', frontChannelLogoutUri: MAIN_FCL });

  it('should put sid in ID tokens and load the Front-channel logout URL when a customer signs out', async () => {
    const [main] = apps(ctx.tenant) as [App];
    const agent = new Agent();
    const customer = ctx.tenant.users[0]?.displayName ?? '';
    const claims = await signInTo(ctx.tenant, main, agent, ctx.tenant.authority, new RegExp(customer));
    assert.equal(typeof claims['sid'], 'string');
    const { response } = await signOut(agent, ctx.tenant.authority, main, 'http://localhost:8000/auth/post_sign_out');
    const call = new URL(iframeSources(await response.text())[0] ?? 'http://x');
    assert.equal(`${call.origin}${call.pathname}`, MAIN_FCL);
    assert.equal(call.searchParams.get('iss'), ctx.tenant.issuer);
    assert.equal(call.searchParams.get('sid'), claims['sid']);
  });
});

describe('front-channel logout in B2C', () => {
  const ctx = useTestTenant({ shape: 'b2c', frontChannelLogoutUri: MAIN_FCL });

  it('should load the Front-channel logout URL with the B2C issuer and the sid when a consumer signs out of a user flow', async () => {
    const { tenant } = ctx;
    const susi = tenant.b2c?.authorities.susi ?? '';
    const agent = new Agent();
    const { outcome, verifier } = await startAt(agent, tenant, susi);
    const token = await redeemAt(tenant, susi, leftTo(await submitWith(agent, tenant, pageOf(outcome), /Ana Customer/)), verifier);
    const claims = claimsOf(token.body['id_token']);
    const { response } = await signOut(agent, susi, apps(tenant)[0] as App, 'http://localhost:8000/auth/post_sign_out');
    const call = new URL(iframeSources(await response.text())[0] ?? 'http://x');
    assert.equal(call.searchParams.get('iss'), tenant.issuer);
    assert.match(tenant.issuer, /\/v2\.0\/$/, "B2C's issuer ends with a slash");
    assert.equal(call.searchParams.get('sid'), claims['sid']);
  });
});
