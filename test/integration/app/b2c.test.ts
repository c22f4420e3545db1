import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DevTenant } from '@contoso/dev-tenant';
import { Agent, b2cSettings, startApp, startTenant } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';
import { claim } from '../../helpers/token-details.ts';

describe('Azure AD B2C user flows (development tenant shaped like B2C)', () => {
  let tenant: DevTenant;
  let app: AppUnderTest;
  before(async () => {
    tenant = await startTenant({ shape: 'b2c' });
    app = await startApp(tenant, b2cSettings(tenant));
  });
  after(async () => {
    await app.close();
    await tenant.close();
  });
  beforeEach(() => {
    tenant.clearFaults();
    tenant.resetCounts();
  });

  /** Signs `name` in through the sign-up/sign-in user flow. */
  async function signInSusi(agent: Agent, name: string, next?: string) {
    const picker = await agent.go(`${app.origin}/auth/sign_in${next ? `?next=${encodeURIComponent(next)}` : ''}`);
    assert.match(picker.url, /\/B2C_1_susi\//);
    return agent.submit(picker, new RegExp(name));
  }

  it('should fetch each user flow\'s metadata once and be ready only when all are loaded', async () => {
    assert.deepEqual({ ...app.config.userFlows }, {
      signIn: tenant.b2c!.authorities.susi, passwordReset: tenant.b2c!.authorities.password, editProfile: tenant.b2c!.authorities.profile,
    });
    // Not ready until every flow's metadata is loaded; /readyz starts the loading.
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      const ready = await new Agent().raw(`${app.origin}/readyz`);
      status = ready.status;
      await ready.body?.cancel();
      if (status !== 200) await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(status, 200);
    assert.equal(tenant.counts().discovery, 3, 'one fetch per user flow');
    tenant.resetCounts();
    await new Agent().go(`${app.origin}/readyz`);
    assert.equal(tenant.counts().discovery, 0, 'never fetched again');
  });

  it('should sign a customer in with the sign-up/sign-in flow, offer Edit Profile and no Graph', async () => {
    const agent = new Agent();
    const home = await signInSusi(agent, 'Ana Customer');
    assert.match(home.body, /Hello Ana Customer!/);
    assert.match(home.body, /Signed in as ana\.customer@devtenantb2c\.example\./, 'the sign-in name comes from B2C\'s emails claim');
    assert.match(home.body, /href="\/auth\/edit_profile">Edit Profile</);
    assert.doesNotMatch(home.body, /Call MS Graph API/);
    const details = await agent.go(`${app.origin}/token_details`);
    assert.equal(claim(details.body, 'tfp'), 'B2C_1_susi');
    assert.match(claim(details.body, 'iss') ?? '', /\/v2\.0\/$/);
    const graph = await agent.go(`${app.origin}/call_ms_graph`);
    assert.equal(graph.status, 404);
    assert.match(graph.body, /cannot be called with tokens of Azure AD B2C/);
  });

  it('should run the profile-editing flow and come back with the new name, dropping the old flow\'s tokens', async () => {
    const agent = new Agent();
    const cachesBefore = new Set(app.tokenCaches.keys());
    await signInSusi(agent, 'Bruno Shopper');
    const [susiCache] = app.tokenCaches.keys().filter((k) => !cachesBefore.has(k));
    const before = [...tenant.users].find((u) => u.displayName === 'Bruno Shopper')!;
    const edit = await agent.go(`${app.origin}/auth/edit_profile`);
    assert.match(edit.url, /\/B2C_1_edit_profile\//);
    const home = await agent.submit(edit, /^Save$/, { displayName: 'Bruno Renamed' });
    assert.equal(home.url, `${app.origin}/`);
    assert.match(home.body, /Hello Bruno Renamed!/);
    const details = await agent.go(`${app.origin}/token_details`);
    assert.equal(claim(details.body, 'tfp'), 'B2C_1_edit_profile');
    assert.equal(claim(details.body, 'oid'), before.oid);
    const tid = tenant.tenantId; // client_info's utid: B2C ID tokens carry no tid
    // Each session has a cache of its own (random key); MSAL finds the account in it by client_info's id.
    assert.ok(susiCache && !app.tokenCaches.keys().includes(susiCache), 'the sign-in flow\'s cache is gone');
    const [profileCache] = app.tokenCaches.keys().filter((k) => !cachesBefore.has(k));
    assert.ok((await app.tokenCaches.get(profileCache!))?.value.includes(`${before.oid}-b2c_1_edit_profile.${tid}`), 'the profile flow\'s cache is kept');
  });

  it('should send "Forgot your password?" (AADB2C90118) to the reset flow and back to the page asked for', async () => {
    const agent = new Agent();
    const picker = await agent.go(`${app.origin}/auth/sign_in?next=%2Ftoken_details`);
    const reset = await agent.follow(picker, /Forgot your password\?/);
    assert.match(reset.url, /\/B2C_1_reset\//, 'the app started the password-reset flow');
    const chloe = [...tenant.users].find((u) => u.displayName === 'Chloe Buyer')!;
    const page = await agent.submit(reset, /^Continue$/, { oid: chloe.oid, newPassword: 'a new passphrase' });
    assert.equal(page.url, `${app.origin}/token_details`);
    assert.equal(claim(page.body, 'tfp'), 'B2C_1_reset');
    assert.match(page.body, /Hello Chloe Buyer!/);
    assert.doesNotMatch(app.logs.join('\n'), /"code":"IDP_ERROR"/);
  });

  it('should show the forgotten-password answer as a sign-in error when no reset flow is configured', async () => {
    const { susi, profile } = tenant.b2c!.policies;
    const noReset = await startApp(tenant, b2cSettings(tenant, { susi, profile }));
    try {
      const agent = new Agent();
      const picker = await agent.go(`${noReset.origin}/auth/sign_in`);
      const page = await agent.follow(picker, /Forgot your password\?/);
      assert.equal(page.status, 403);
      assert.match(page.body, /AADB2C90118/);
      assert.equal(tenant.counts().token, 0);
    } finally {
      await noReset.close();
    }
  });

  it('should go home without an error page when the user cancels (AADB2C90091)', async () => {
    const agent = new Agent();
    const picker = await agent.go(`${app.origin}/auth/sign_in`);
    const home = await agent.submit(picker, /^Cancel$/);
    assert.equal(home.url, `${app.origin}/`);
    assert.equal(home.status, 200);
    assert.match(home.body, /You're not signed in/);
    assert.equal(home.hops.find((h) => h.url.includes('/auth/redirect'))?.status, 303);
  });

  it('should keep the user signed in when they cancel profile editing', async () => {
    const agent = new Agent();
    await signInSusi(agent, 'Diego Visitor');
    const edit = await agent.go(`${app.origin}/auth/edit_profile`);
    const home = await agent.submit(edit, /^Cancel$/);
    assert.equal(home.url, `${app.origin}/`);
    assert.match(home.body, /Hello Diego Visitor!/);
  });

  it('should refuse an ID token of another user flow (tfp) with 401 and no session', async () => {
    tenant.tamperIdToken({ claims: { tfp: 'B2C_1_other', acr: 'b2c_1_other' } });
    const agent = new Agent();
    const page = await signInSusi(agent, 'Ana Customer');
    assert.equal(page.status, 401);
    assert.match(app.logs.join('\n'), /"reason_code":"user_flow"/);
    assert.equal((await agent.go(`${app.origin}/token_details`)).status, 401);
  });

  it('should sign out at the user flow\'s own logout endpoint', async () => {
    const agent = new Agent();
    const home = await signInSusi(agent, 'Ana Customer');
    const token = /name="_csrf" value="([^"]+)"/.exec(home.body)![1]!;
    const response = await agent.post(`${app.origin}/auth/sign_out`, { _csrf: token });
    assert.equal(response.status, 303);
    assert.ok(response.headers.get('location')!.startsWith(`${tenant.b2c!.authorities.susi}/oauth2/v2.0/logout?`));
    assert.equal((await agent.go(`${app.origin}/token_details`)).status, 401);
  });
});
