import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Agent, pickAccount, startApp, useStack } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';

const CONSENT_REQUIRED = {
  error: 'invalid_grant', suberror: 'consent_required', error_codes: [65001],
  error_description: 'AADSTS65001: The user or administrator has not consented to use the application.',
};

describe('incremental consent', () => {
  const stack = useStack();
  let app: AppUnderTest;
  before(async () => {
    // Sign-in asks for no Graph permission; the Graph page needs one the tenant has no admin consent for.
    app = await startApp(stack.tenant, { scopes: [], graphScopes: ['User.Read.All'] });
  });
  after(() => app.close());
  beforeEach(() => {
    stack.tenant.clearFaults();
    stack.tenant.resetCounts();
  });

  it('should sign in without asking for Graph permissions', async () => {
    const response = await new Agent().raw(`${app.origin}/auth/sign_in`);
    const scope = new URL(response.headers.get('location')!).searchParams.get('scope')!.split(' ');
    assert.ok(!scope.includes('User.Read.All'), `sign-in scope ${scope.join(' ')}`);
  });

  it('should answer 403 ADMIN_CONSENT_REQUIRED naming User.Read.All, still signed in, when a user who is not an administrator leaves Need admin approval', async () => {
    const agent = new Agent();
    await pickAccount(agent, app, await agent.go(`${app.origin}/auth/sign_in`), 'Megan Bowen');
    const picker = await agent.go(`${app.origin}/call_ms_graph`);
    const approval = await pickAccount(agent, app, picker, 'Megan Bowen');
    assert.match(approval.body, /Need admin approval/);
    const page = await agent.submit(approval, /Return to the application without granting consent/);
    assert.equal(page.status, 403);
    assert.match(page.body, /data-testid="error-code">ADMIN_CONSENT_REQUIRED</);
    assert.match(page.body, /<dt>Permission needed<\/dt><dd>User\.Read\.All<\/dd>/);
    assert.equal((await agent.go(`${app.origin}/token_details`)).status, 200, 'the session is kept');
    // Trying again shows the same page (the forced-sign-in count restarted), never INTERACTION_LOOP.
    const again = await agent.submit(await pickAccount(agent, app, await agent.go(`${app.origin}/call_ms_graph`), 'Megan Bowen'), /Return to the application/);
    assert.match(again.body, /ADMIN_CONSENT_REQUIRED/);
    const third = await agent.submit(await pickAccount(agent, app, await agent.go(`${app.origin}/call_ms_graph`), 'Megan Bowen'), /Return to the application/);
    assert.match(third.body, /ADMIN_CONSENT_REQUIRED/);
  });

  it('should ask for the page\'s scope when first needed and come back to the page when an administrator consents', async () => {
    const agent = new Agent();
    const start = await agent.go(`${app.origin}/auth/sign_in`);
    await pickAccount(agent, app, start, 'Johanna Lorenz');
    // The refresh token has no consent for User.Read.All: the tenant answers consent_required.
    const first = await agent.raw(`${app.origin}/call_ms_graph`);
    assert.equal(first.status, 303);
    assert.equal(first.headers.get('location'), '/auth/sign_in?next=%2Fcall_ms_graph');
    const signIn = await agent.raw(`${app.origin}/auth/sign_in?next=%2Fcall_ms_graph`);
    const scope = new URL(signIn.headers.get('location')!).searchParams.get('scope')!.split(' ');
    assert.ok(scope.includes('User.Read.All'), 'the consent sign-in asks for the page\'s scope');
    const picker = await agent.go(signIn.headers.get('location')!);
    assert.match(picker.body, /User\.Read\.All/, 'the consent page lists the permission');
    const page = await pickAccount(agent, app, picker, 'Johanna Lorenz');
    assert.equal(page.url, `${app.origin}/call_ms_graph`);
    assert.equal(page.status, 200);
    assert.match(stack.tenant.graphCalls.at(-1)?.scp ?? '', /User\.Read\.All/);
    // Consent is remembered: the next calls need neither sign-in nor token request.
    stack.tenant.resetCounts();
    assert.equal((await agent.go(`${app.origin}/call_ms_graph`)).status, 200);
    assert.equal(stack.tenant.counts().token, 0);
  });

  it('should treat a plain invalid_grant (no suberror, a ServerError in MSAL) as sign-in needed and come back to the page', async () => {
    const tenant = stack.tenant;
    tenant.setAccessTokenTtl(120);
    try {
      const agent = new Agent();
      await pickAccount(agent, app, await agent.go(`${app.origin}/auth/sign_in`), 'Johanna Lorenz');
      tenant.injectFault('token', { status: 400, body: { error: 'invalid_grant', error_description: 'AADSTS70008: The provided authorization code or refresh token has expired.' } });
      const first = await agent.raw(`${app.origin}/call_ms_graph`);
      assert.equal(first.status, 303);
      assert.equal(first.headers.get('location'), '/auth/sign_in?next=%2Fcall_ms_graph');
      tenant.setAccessTokenTtl(3600);
      const page = await pickAccount(agent, app, await agent.go(`${app.origin}${first.headers.get('location')}`), 'Johanna Lorenz');
      assert.equal(page.url, `${app.origin}/call_ms_graph`);
      assert.equal(page.status, 200);
    } finally {
      tenant.setAccessTokenTtl(3600);
    }
  });

  it('should stop with INTERACTION_LOOP after two forced sign-ins that bring no usable token', async () => {
    const tenant = stack.tenant;
    tenant.setAccessTokenTtl(120); // every token is due for refresh at once
    try {
      const agent = new Agent();
      // Johanna Lorenz is an administrator: her forced sign-ins for User.Read.All reach the app.
      await pickAccount(agent, app, await agent.go(`${app.origin}/auth/sign_in`), 'Johanna Lorenz');
      tenant.injectFault('token', { status: 400, body: CONSENT_REQUIRED });
      let page = await agent.go(`${app.origin}/call_ms_graph`);
      for (let round = 0; round < 2; round++) {
        assert.match(page.body, /Pick an account/, `forced sign-in ${round + 1}`);
        // The sign-in's code redemption goes through; the refresh after it is refused again.
        tenant.injectFault('token', { status: 0, delayMs: 1 });
        tenant.injectFault('token', { status: 400, body: CONSENT_REQUIRED });
        page = await pickAccount(agent, app, page, 'Johanna Lorenz');
      }
      assert.equal(page.status, 502);
      assert.match(page.body, /Signing in again did not give the app access/);
      assert.match(app.logs.join('\n'), /"code":"INTERACTION_LOOP"/);
    } finally {
      tenant.setAccessTokenTtl(3600);
    }
  });
});
