import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { DevTenant } from '../../src/index.ts';
import { DEV_TENANT_ERROR_CODES, startDevTenant } from '../../src/index.ts';
import { parseForm } from '../../src/agent.ts';
import type { Agent } from '../../src/agent.ts';
import { authorizeUrl, claimsOf, location, pkce, redeemCode, signIn, useTestTenant } from './helpers.ts';

const TARGET = 'http://localhost:45678/auth/post_sign_out';

function logoutUrl(tenant: DevTenant, params: Record<string, string>): string {
  const url = new URL(`${tenant.authority}/oauth2/v2.0/logout`);
  for (const [k, v] of Object.entries({ client_id: tenant.clientId, post_logout_redirect_uri: TARGET, ...params })) url.searchParams.set(k, v);
  return url.href;
}

/** Signs `user` in and redeems the code: the agent holds the tenant session, `idToken` the ID token. */
async function signedIn(tenant: DevTenant, user = 'Megan Bowen') {
  const result = await signIn(tenant, user);
  const token = await redeemCode(tenant, result);
  return { agent: result.agent, idToken: String(token.body['id_token']), accessToken: String(token.body['access_token']) };
}

async function tenantSessionEnded(agent: Agent, tenant: DevTenant): Promise<boolean> {
  const silent = await agent.raw(authorizeUrl(tenant, { prompt: 'none', code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
  return new URL(location(silent, tenant.authority)).searchParams.get('error') === 'login_required';
}

describe('sign-out with logout_hint (optional claim login_hint configured)', () => {
  const ctx = useTestTenant({ optionalClaims: ['login_hint'] });

  it('should put an opaque per-user login_hint in ID tokens only when the optional claim is configured', async () => {
    const megan = await signedIn(ctx.tenant);
    const again = await signedIn(ctx.tenant);
    const adele = await signedIn(ctx.tenant, 'Adele Vance');
    const hint = claimsOf(megan.idToken)['login_hint'];
    assert.equal(typeof hint, 'string');
    assert.match(String(hint), /^[A-Za-z0-9_-]{43}$/, 'base64url, nothing readable');
    assert.equal(claimsOf(again.idToken)['login_hint'], hint, 'stable for the user');
    assert.notEqual(claimsOf(adele.idToken)['login_hint'], hint);
    assert.equal(claimsOf(megan.accessToken)['login_hint'], undefined, 'an ID-token claim only');
  });

  it('should sign out without the account picker when logout_hint is the signed-in account\'s login_hint', async () => {
    const { agent, idToken } = await signedIn(ctx.tenant);
    const url = logoutUrl(ctx.tenant, { logout_hint: String(claimsOf(idToken)['login_hint']), state: 'bye' });
    const page = await agent.raw(url);
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.doesNotMatch(html, /Pick an account/);
    assert.match(html, /id="dt-autosubmit"/, 'a hand-off the browser submits by itself');
    const form = parseForm(html, /Continue/, url);
    assert.equal(form.fields.get('logout'), 'yes');
    const done = await agent.post(form.action, form.fields);
    assert.equal(done.status, 303);
    assert.equal(location(done, url), `${TARGET}?state=bye`);
    assert.equal(await tenantSessionEnded(agent, ctx.tenant), true);
  });

  it('should show "Pick an account" and keep the session when logout_hint is missing or names another account', async () => {
    const { agent } = await signedIn(ctx.tenant);
    const adele = await signedIn(ctx.tenant, 'Adele Vance');
    for (const params of [{}, { logout_hint: String(claimsOf(adele.idToken)['login_hint']) }, { logout_hint: 'megan@example.com' }]) {
      const url = logoutUrl(ctx.tenant, params);
      const html = await (await agent.raw(url)).text();
      assert.match(html, /<h1>Pick an account<\/h1>/);
      assert.match(html, /Which account do you want to sign out of\?/);
      assert.match(html, /Megan Bowen/);
      assert.doesNotMatch(html, /dt-autosubmit/);
    }
    assert.equal(await tenantSessionEnded(agent, ctx.tenant), false, 'nobody clicked Sign out');
  });

  it('should sign out without the account picker when id_token_hint is an ID token of the signed-in account', async () => {
    const { agent, idToken } = await signedIn(ctx.tenant);
    const url = logoutUrl(ctx.tenant, { id_token_hint: idToken });
    const html = await (await agent.raw(url)).text();
    assert.doesNotMatch(html, /Pick an account/);
    const form = parseForm(html, /Continue/, url);
    assert.equal(location(await agent.post(form.action, form.fields), url), TARGET);
  });
});

describe('sign-out without the optional claim login_hint', () => {
  const ctx = useTestTenant();

  it('should issue no login_hint and show "Pick an account" when the optional claim is not configured', async () => {
    const { agent, idToken } = await signedIn(ctx.tenant);
    assert.equal(claimsOf(idToken)['login_hint'], undefined);
    const html = await (await agent.raw(logoutUrl(ctx.tenant, {}))).text();
    assert.match(html, /<h1>Pick an account<\/h1>/);
  });

  it('should refuse optionalClaims other than login_hint, and login_hint for B2C, when the tenant starts', async () => {
    for (const options of [{ optionalClaims: ['email'] }, { optionalClaims: ['login_hint'], shape: 'b2c' }]) {
      await assert.rejects(startDevTenant({ ...options, port: 0 } as Parameters<typeof startDevTenant>[0]), { code: DEV_TENANT_ERROR_CODES.invalidOption });
    }
  });
});
