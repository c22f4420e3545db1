import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DevTenant } from '@contoso/dev-tenant';
import { Agent, b2cSettings, signIn, startApp, startTenant } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';
import { claim } from '../../helpers/token-details.ts';
import type { Page } from '@contoso/dev-tenant/agent';

function csrfToken(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'the page has a sign-out form');
  return m[1]!;
}

/** POSTs the sign-out form of `home` (a signed-in page); returns the logout URL the app redirects to. */
async function signOut(agent: Agent, app: AppUnderTest, home: Page): Promise<URL> {
  const response = await agent.raw(`${app.origin}/auth/sign_out`, {
    method: 'POST', body: new URLSearchParams({ _csrf: csrfToken(home.body) }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.origin },
  });
  assert.equal(response.status, 303);
  return new URL(response.headers.get('location')!);
}

/** Follows the logout URL at the tenant; a hand-off page (no question asked) is submitted as a browser's script would. */
async function atTenant(agent: Agent, logout: URL): Promise<Page> {
  const page = await agent.go(logout.href);
  return /id="dt-autosubmit"/.test(page.body) ? agent.submit(page, /^Continue$/) : page;
}

describe('sign-out hints', () => {
  describe('Entra with the optional claim login_hint', () => {
    let tenant: DevTenant;
    let app: AppUnderTest;
    before(async () => {
      tenant = await startTenant({ optionalClaims: ['login_hint'] });
      app = await startApp(tenant);
    });
    after(async () => {
      await app.close();
      await tenant.close();
    });

    it('should send logout_hint = the ID token\'s login_hint and come home without the account picker when the claim is issued', async () => {
      const agent = new Agent();
      const home = await signIn(agent, app);
      const loginHint = claim((await agent.go(`${app.origin}/token_details`)).body, 'login_hint');
      assert.ok(loginHint, 'the ID token carries login_hint');
      const logout = await signOut(agent, app, home);
      assert.equal(logout.searchParams.get('logout_hint'), loginHint);
      assert.equal(logout.searchParams.get('id_token_hint'), null, 'no token in the URL where none is required');
      const back = await atTenant(agent, logout);
      assert.doesNotMatch(back.body, /Pick an account/);
      assert.equal(back.url, `${app.origin}/?notice=signed_out`);
      assert.match(back.body, /You're not signed in/);
      assert.equal((await agent.go(`${app.origin}/auth/sign_in`)).url.includes('/oauth2/v2.0/interaction/'), true, 'the tenant asks again: its session ended');
    });
  });

  describe('Entra without the optional claim', () => {
    let tenant: DevTenant;
    let app: AppUnderTest;
    before(async () => {
      tenant = await startTenant();
      app = await startApp(tenant);
    });
    after(async () => {
      await app.close();
      await tenant.close();
    });

    it('should send no logout_hint and leave the choice to the tenant\'s account picker when the ID token has no login_hint', async () => {
      const agent = new Agent();
      const logout = await signOut(agent, app, await signIn(agent, app));
      assert.equal(logout.searchParams.has('logout_hint'), false);
      const picker = await agent.go(logout.href);
      assert.match(picker.body, /<h1>Pick an account<\/h1>/);
      const back = await agent.submit(picker, /^Sign out$/);
      assert.equal(back.url, `${app.origin}/?notice=signed_out`);
    });
  });

  describe('B2C with "Require ID Token in logout requests"', () => {
    let tenant: DevTenant;
    let withHint: AppUnderTest;
    let withoutHint: AppUnderTest;
    before(async () => {
      tenant = await startTenant({ shape: 'b2c' });
      tenant.requireIdTokenHint(true);
      const b2c = b2cSettings(tenant);
      withHint = await startApp(tenant, { ...b2c, b2cLogoutIdTokenHint: 'true' });
      withoutHint = await startApp(tenant, b2c);
    });
    after(async () => {
      await withHint.close();
      await withoutHint.close();
      await tenant.close();
    });

    async function signInSusi(agent: Agent, app: AppUnderTest): Promise<Page> {
      const picker = await agent.go(`${app.origin}/auth/sign_in`);
      return agent.submit(picker, /Ana Customer/);
    }

    it('should send the ID token as id_token_hint, kept out of the session and the logs, and sign out when B2C_LOGOUT_ID_TOKEN_HINT=true', async () => {
      const agent = new Agent();
      const home = await signInSusi(agent, withHint);
      assert.match(home.body, /Hello Ana Customer!/);
      const sessions = JSON.stringify(await new Promise((resolve) => withHint.sessions.all((_e, all) => resolve(all))));
      const logout = await signOut(agent, withHint, home);
      const idToken = logout.searchParams.get('id_token_hint');
      assert.ok(idToken, 'id_token_hint is sent');
      const payload = JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
      assert.equal(payload['aud'], tenant.clientId);
      assert.equal(sessions.includes(idToken), false, 'the session never held the raw ID token');
      assert.equal(withHint.logs.join('\n').includes(idToken), false, 'no log line holds it');
      const back = await atTenant(agent, logout);
      assert.equal(back.url, `${withHint.origin}/?notice=signed_out`);
      assert.match(back.body, /You're not signed in/);
    });

    it('should end on B2C\'s AADB2C90272 page when the app does not send id_token_hint (the failure mode without the setting)', async () => {
      const agent = new Agent();
      const logout = await signOut(agent, withoutHint, await signInSusi(agent, withoutHint));
      assert.equal(logout.searchParams.has('id_token_hint'), false);
      const page = await agent.go(logout.href);
      assert.equal(page.status, 400);
      assert.match(page.body, /AADB2C90272: The id_token_hint parameter has not been specified in the request/);
      assert.equal((await agent.go(`${withoutHint.origin}/token_details`)).status, 401, 'signed out of the app all the same');
    });
  });
});
