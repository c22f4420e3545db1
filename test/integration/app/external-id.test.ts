import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DevTenant } from '@contoso/dev-tenant';
import { Agent, startApp, startTenant } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';

describe('Microsoft Entra External ID (development tenant shaped like it)', () => {
  let tenant: DevTenant;
  let app: AppUnderTest;
  before(async () => {
    tenant = await startTenant({ shape: 'external_id' });
    // A custom-domain-like host: the type comes from AUTHORITY_TYPE, the issuer from the metadata.
    app = await startApp(tenant, { authorityTypeOverride: 'EXTERNAL_ID' });
  });
  after(async () => {
    await app.close();
    await tenant.close();
  });

  it('should offer Sign Up next to Sign In and speak of customer accounts', async () => {
    const home = await new Agent().go(`${app.origin}/`);
    assert.match(home.body, /Sign in with your customer account/);
    assert.match(home.body, /href="\/auth\/sign_up">Sign Up</);
  });

  it('should sign an existing customer in although the issuer differs from the authority path', async () => {
    assert.notEqual(new URL((await app.metadata.get()).issuer).pathname.split('/')[1], new URL(tenant.authority).pathname.split('/')[1]);
    const agent = new Agent();
    const picker = await agent.go(`${app.origin}/auth/sign_in`);
    const home = await agent.submit(picker, /Ana Customer/);
    assert.equal(home.url, `${app.origin}/`);
    assert.match(home.body, /Hello Ana Customer!/);
  });

  it('should show the customer\'s own profile from GET /me, and never call /users, when Call Graph is opened', async () => {
    const agent = new Agent();
    const home = await agent.submit(await agent.go(`${app.origin}/auth/sign_in`), /Bruno Shopper/);
    assert.match(home.body, /href="\/call_ms_graph">Your profile \(Microsoft Graph \/me\)</);
    tenant.resetCounts();
    const page = await agent.go(`${app.origin}/call_ms_graph`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1 class="h3">Your profile \(Microsoft Graph \/me\)<\/h1>/);
    assert.match(page.body, /<dt>Display name<\/dt><dd>Bruno Shopper<\/dd>/);
    assert.match(page.body, /<dt>E-mail<\/dt><dd>bruno\.shopper@devtenantcustomers\.example<\/dd>/);
    assert.doesNotMatch(page.body, /Ana Customer/, 'no other customer is shown');
    const calls = tenant.graphCalls.map((c) => [c.path.split('?')[0], c.status]);
    assert.deepEqual(calls, [['/v1.0/me', 200]]);
    assert.match(tenant.graphCalls[0]!.scp ?? '', /(^| )User\.Read( |$)/, 'User.Read is the External ID default');
  });

  it('should go straight to the sign-up page with prompt=create and sign the new customer in', async () => {
    const agent = new Agent();
    const start = await agent.raw(`${app.origin}/auth/sign_up`);
    assert.equal(start.status, 303);
    assert.equal(new URL(start.headers.get('location')!).searchParams.get('prompt'), 'create');
    const signUp = await agent.go(start.headers.get('location')!);
    assert.match(signUp.body, /Create account/);
    const home = await agent.submit(signUp, /^Create account$/, { email: 'zoe.new@example.org', displayName: 'Zoe New' });
    assert.equal(home.url, `${app.origin}/`);
    assert.match(home.body, /Hello Zoe New!/);
    const created = tenant.findUser('zoe.new@example.org');
    assert.ok(created, 'the tenant created the account');
    const details = await agent.go(`${app.origin}/token_details`);
    assert.match(details.body, new RegExp(`<code>oid</code></th><td class="value">${created.oid}<`));
  });

  it('should let a visitor create an account from the sign-in page link "No account? Create one"', async () => {
    const agent = new Agent();
    const picker = await agent.go(`${app.origin}/auth/sign_in`);
    const signUp = await agent.follow(picker, /No account\? Create one/);
    const home = await agent.submit(signUp, /^Create account$/, { email: 'yan.visitor@example.org', displayName: 'Yan Visitor' });
    assert.match(home.body, /Hello Yan Visitor!/);
  });

  it('should sign in through the tenant-id form of the authority too', async () => {
    const byId = await startApp(tenant, { authorityTypeOverride: 'EXTERNAL_ID', authority: tenant.externalId!.authorities.tenantId });
    try {
      const agent = new Agent();
      const home = await agent.submit(await agent.go(`${byId.origin}/auth/sign_in`), /Chloe Buyer/);
      assert.match(home.body, /Hello Chloe Buyer!/);
      assert.equal((await byId.metadata.get()).issuer, (await app.metadata.get()).issuer);
    } finally {
      await byId.close();
    }
  });
});
