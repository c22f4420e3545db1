import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Agent, parseForm } from '../../src/agent.ts';
import {
  authorizeUrl, claimsOf, location, pkce, redeemCode, signIn, submitOnTenant, tokenRequest, useTestTenant,
} from './helpers.ts';

describe('authorize requests', () => {
  const ctx = useTestTenant();

  async function authorize(params: Record<string, string>, agent = new Agent()): Promise<Response> {
    return agent.raw(authorizeUrl(ctx.tenant, { code_challenge: pkce().challenge, code_challenge_method: 'S256', ...params }));
  }

  it('should show the account picker with every demo user and the banner when authorize is called', async () => {
    const agent = new Agent();
    const start = await authorize({}, agent);
    assert.equal(start.status, 303);
    const pickerUrl = location(start, ctx.tenant.authority);
    const picker = await agent.raw(pickerUrl);
    const html = await picker.text();
    assert.equal(picker.status, 200);
    assert.match(html, /Development tenant — this is not Microsoft Entra ID\. Demo accounts only\./);
    assert.match(html, /<h1>Pick an account<\/h1>/);
    for (const user of ctx.tenant.users) assert.ok(html.includes(user.userPrincipalName), user.displayName);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)/, 'no inline script');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    assert.match(picker.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  });

  it('should return access_denied with AADSTS65004 to the app when the user cancels', async () => {
    const agent = new Agent();
    const start = await authorize({ state: 'cancel-state' }, agent);
    const pickerUrl = location(start, ctx.tenant.authority);
    const back = await submitOnTenant(agent, ctx.tenant, await (await agent.raw(pickerUrl)).text(), /^\s*Cancel\s*$/, pickerUrl);
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('error_description'), 'AADSTS65004: User declined to consent to access the app.');
    assert.equal(back.searchParams.get('state'), 'cancel-state');
    assert.equal(back.searchParams.get('code'), null);
  });

  it('should accept a localhost redirect_uri on another port when only the port differs', async () => {
    const result = await signIn(ctx.tenant, 'Adele Vance', { redirect_uri: 'http://localhost:41234/auth/redirect' });
    assert.equal(result.redirect.origin, 'http://localhost:41234');
    assert.equal((await redeemCode(ctx.tenant, result)).status, 200);
  });

  for (const uri of ['http://evil.example:8000/auth/redirect', 'http://localhost:8000/other/path', 'https://localhost:8000/auth/redirect']) {
    it(`should refuse ${uri} with AADSTS50011 and no redirect when it is not registered`, async () => {
      const response = await authorize({ redirect_uri: uri });
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('location'), null);
      const html = await response.text();
      assert.match(html, /AADSTS50011: The redirect URI/);
      assert.match(html, /Development tenant — this is not Microsoft Entra ID/);
    });
  }

  it('should refuse the request when PKCE is missing', async () => {
    const response = await new Agent().raw(authorizeUrl(ctx.tenant, {}));
    const back = new URL(location(response, ctx.tenant.authority));
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(back.searchParams.get('error_description') ?? '', /^AADSTS\d+: .*PKCE/);
  });

  it('should refuse the plain PKCE method', async () => {
    const response = await authorize({ code_challenge_method: 'plain' });
    const back = new URL(location(response, ctx.tenant.authority));
    assert.equal(back.searchParams.get('error'), 'invalid_request');
  });

  it('should answer login_required when prompt=none and there is no session', async () => {
    const response = await authorize({ prompt: 'none', state: 'silent' });
    const back = new URL(location(response, ctx.tenant.authority));
    assert.equal(back.searchParams.get('error'), 'login_required');
    assert.match(back.searchParams.get('error_description') ?? '', /^AADSTS50058: /);
    assert.equal(back.searchParams.get('state'), 'silent');
  });

  it('should return a code without the picker when prompt=none and the user has a session', async () => {
    const { agent } = await signIn(ctx.tenant);
    const response = await authorize({ prompt: 'none', state: 'silent' }, agent);
    const back = new URL(location(response, ctx.tenant.authority));
    assert.equal(back.origin, 'http://localhost:8000');
    assert.ok(back.searchParams.get('code'));
  });

  it('should show the picker again when a signed-in user authorizes without prompt', async () => {
    const { agent } = await signIn(ctx.tenant);
    const url = new URL(authorizeUrl(ctx.tenant, { code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    url.searchParams.delete('prompt');
    const response = await agent.raw(url.href);
    assert.match(location(response, ctx.tenant.authority), /\/oauth2\/v2\.0\/interaction\//);
  });

  it('should finish two interleaved sign-ins in one browser with their own state when cookies respect Path', async () => {
    const agent = new Agent();
    const pickers: string[] = [];
    for (const state of ['tab-a', 'tab-b']) {
      const start = authorizeUrl(ctx.tenant, { state, code_challenge: pkce().challenge, code_challenge_method: 'S256' });
      pickers.push(location(await agent.raw(start), start));
    }
    const finish = async (pickerUrl: string): Promise<URL> =>
      submitOnTenant(agent, ctx.tenant, await (await agent.raw(pickerUrl)).text(), /Megan Bowen/, pickerUrl);
    const a = await finish(pickers[0]!);
    const b = await finish(pickers[1]!);
    assert.equal(a.searchParams.get('state'), 'tab-a');
    assert.equal(b.searchParams.get('state'), 'tab-b');
    assert.ok(a.searchParams.get('code') && b.searchParams.get('code'));
  });

  it('should still sign in and grant the known scopes when unknown scopes are asked for', async () => {
    const scope = 'User.Read Mail.Read api://other/thing openid profile offline_access';
    const result = await signIn(ctx.tenant, 'Megan Bowen', { scope });
    const { status, body } = await redeemCode(ctx.tenant, result, { scope });
    assert.equal(status, 200);
    assert.equal(claimsOf(body['access_token'])['scp'], 'User.Read');
    const refreshed = await tokenRequest(ctx.tenant, { grant_type: 'refresh_token', refresh_token: String(body['refresh_token']), scope });
    assert.equal(refreshed.status, 200);
  });

  it('should accept resource-qualified Graph scopes and .default', async () => {
    const scope = 'https://graph.microsoft.com/.default openid profile offline_access';
    const { body } = await redeemCode(ctx.tenant, await signIn(ctx.tenant, 'Megan Bowen', { scope }));
    assert.equal(claimsOf(body['access_token'])['scp'], 'User.Read User.ReadBasic.All');
    assert.match(String(body['scope']), /https:\/\/graph\.microsoft\.com\/\.default/);
    const refreshed = await tokenRequest(ctx.tenant, { grant_type: 'refresh_token', refresh_token: String(body['refresh_token']), scope });
    assert.equal(refreshed.status, 200);
  });

  it('should post the code with an external script when response_mode=form_post', async () => {
    const agent = new Agent();
    const { challenge } = pkce();
    const start = authorizeUrl(ctx.tenant, { response_mode: 'form_post', code_challenge: challenge, code_challenge_method: 'S256', state: 'fp' });
    const pickerUrl = location(await agent.raw(start), start);
    const form = parseForm(await (await agent.raw(pickerUrl)).text(), /Megan Bowen/, pickerUrl);
    let response = await agent.post(form.action, form.fields);
    let url = form.action;
    while (response.status === 303) {
      url = location(response, url);
      response = await agent.raw(url);
    }
    const html = await response.text();
    assert.equal(response.status, 200);
    assert.match(html, /<form method="post" action="http:\/\/localhost:8000\/auth\/redirect" id="dt-autosubmit">/);
    assert.match(html, /name="code" value="[^"]+"/);
    assert.match(html, /name="state" value="fp"/);
    assert.match(html, /<script src="\/devtenant-assets\/autosubmit\.js" defer><\/script>/);
    assert.doesNotMatch(html, /<script>/);
    assert.doesNotMatch(response.headers.get('content-security-policy') ?? '', /sha256-/);
  });
});
