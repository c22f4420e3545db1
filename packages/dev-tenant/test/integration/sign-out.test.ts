import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { DevTenant } from '../../src/index.ts';
import { Agent, parseForm } from '../../src/agent.ts';
import { authorizeUrl, location, pkce, signIn, useTestTenant } from './helpers.ts';

function logoutUrl(tenant: DevTenant, params: Record<string, string>): string {
  const url = new URL(`${tenant.authority}/oauth2/v2.0/logout`);
  for (const [k, v] of Object.entries({ client_id: tenant.clientId, ...params })) url.searchParams.set(k, v);
  return url.href;
}

describe('sign-out', () => {
  const ctx = useTestTenant();

  it('should show the account picker, end the session and redirect to post_logout_redirect_uri when client_id is given', async () => {
    const { agent } = await signIn(ctx.tenant);
    const target = 'http://localhost:45678/auth/post_sign_out';
    const url = logoutUrl(ctx.tenant, { post_logout_redirect_uri: target });
    const page = await agent.raw(url);
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.match(html, /<h1>Pick an account<\/h1>/);
    assert.match(html, /Which account do you want to sign out of\?/);
    assert.match(html, /Development tenant — this is not Microsoft Entra ID\. Demo accounts only\./);
    assert.match(html, /Megan Bowen/);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)/);
    const form = parseForm(html, /^Sign out$/, url);
    assert.equal(form.fields.get('logout'), 'yes');
    const done = await agent.post(form.action, form.fields);
    assert.equal(done.status, 303);
    assert.equal(location(done, url), target);
    assert.equal(ctx.tenant.counts().endSession, 1);

    const silent = await agent.raw(authorizeUrl(ctx.tenant, { prompt: 'none', code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    assert.equal(new URL(location(silent, ctx.tenant.authority)).searchParams.get('error'), 'login_required', 'the provider session has ended');
  });

  it('should pass state back to the app when the logout request has one', async () => {
    const { agent } = await signIn(ctx.tenant);
    const url = logoutUrl(ctx.tenant, { post_logout_redirect_uri: 'http://localhost:8000/auth/post_sign_out', state: 'bye' });
    const form = parseForm(await (await agent.raw(url)).text(), /^Sign out$/, url);
    const done = await agent.post(form.action, form.fields);
    assert.equal(new URL(location(done, url)).searchParams.get('state'), 'bye');
  });

  it('should show the signed-out page when there is no post_logout_redirect_uri', async () => {
    const { agent } = await signIn(ctx.tenant);
    const url = logoutUrl(ctx.tenant, {});
    const form = parseForm(await (await agent.raw(url)).text(), /^Sign out$/, url);
    const done = await agent.post(form.action, form.fields);
    const page = await agent.raw(location(done, url));
    assert.equal(page.status, 200);
    assert.match(await page.text(), /You signed out of your account/);
  });

  it('should hand off with an external-script form when nobody is signed in', async () => {
    const agent = new Agent();
    const url = logoutUrl(ctx.tenant, { post_logout_redirect_uri: 'http://localhost:8000/auth/post_sign_out' });
    const page = await agent.raw(url);
    const html = await page.text();
    assert.match(html, /id="dt-autosubmit"/);
    assert.match(html, /<script src="\/devtenant-assets\/autosubmit\.js" defer><\/script>/);
    assert.doesNotMatch(html, /<script>/);
    const form = parseForm(html, /Continue/, url);
    const done = await agent.post(form.action, form.fields);
    assert.equal(location(done, url), 'http://localhost:8000/auth/post_sign_out');
  });

  it('should refuse a post_logout_redirect_uri on another host', async () => {
    const { agent } = await signIn(ctx.tenant);
    const page = await agent.raw(logoutUrl(ctx.tenant, { post_logout_redirect_uri: 'http://evil.example/auth/post_sign_out' }));
    assert.equal(page.status, 400);
    assert.match(await page.text(), /post_logout_redirect_uri not registered/);
  });
});
