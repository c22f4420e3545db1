import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { Agent, signIn, useStack } from '../../helpers/stack.ts';
import type { Stack } from '../../helpers/stack.ts';

/** Follows Call Graph's 303 to the sign-in route and returns the authorization request it starts. */
async function challengedSignIn(agent: Agent, stack: Stack): Promise<URL> {
  const challenged = await agent.raw(`${stack.app.origin}/call_ms_graph`);
  assert.equal(challenged.status, 303);
  assert.equal(challenged.headers.get('location'), '/auth/sign_in?next=%2Fcall_ms_graph');
  const start = await agent.raw(new URL(challenged.headers.get('location')!, stack.app.origin).href);
  return new URL(start.headers.get('location')!);
}

function accessTokenClaims(authorize: URL): Record<string, unknown> {
  return (JSON.parse(authorize.searchParams.get('claims') ?? '{}') as { access_token?: Record<string, unknown> }).access_token ?? {};
}

describe('Conditional Access at the token endpoint', () => {
  const stack = useStack();
  beforeEach(() => {
    stack.tenant.setAccessTokenTtl(120); // msal refreshes tokens expiring within 300 s: every Graph page refreshes
    stack.tenant.clearAccessPolicies();
    stack.tenant.resetCounts();
  });

  for (const error of ['interaction_required', 'invalid_grant'] as const) {
    it(`should sign in again carrying the policy's claims, then show the users, when a refresh answers ${error} with a step-up claims challenge`, async () => {
      const agent = new Agent();
      await signIn(agent, stack.app);
      const policy = stack.tenant.requireStepUp({ error });
      const authorize = await challengedSignIn(agent, stack);
      assert.deepEqual(accessTokenClaims(authorize)['capolids'], { essential: true, values: [policy] });
      const verify = await agent.submit(await agent.go(authorize.href), /Megan Bowen/);
      assert.match(verify.body, /Verify your identity/, 'the tenant asks for MFA because the claims were carried');
      const page = await agent.submit(verify, /^Verify$/);
      assert.equal(page.url, `${stack.app.origin}/call_ms_graph`);
      assert.equal(page.status, 200);
      assert.match(page.body, /5 users/);
    });
  }
});

describe('Continuous Access Evaluation', () => {
  const stack = useStack();
  beforeEach(() => {
    stack.tenant.setAccessTokenTtl(3600);
    stack.tenant.clearAccessPolicies();
    stack.tenant.resetCounts();
  });

  it('should declare the CP1 client capability when it starts a sign-in', async () => {
    const response = await new Agent().raw(`${stack.app.origin}/auth/sign_in`);
    const authorize = new URL(response.headers.get('location')!);
    assert.deepEqual(accessTokenClaims(authorize)['xms_cc'], { values: ['CP1'] });
  });

  it('should sign in again with the nbf claims, then show the users with a new token, when Graph refuses a token after the user\'s sessions were revoked', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    assert.equal((await agent.go(`${stack.app.origin}/call_ms_graph`)).status, 200);
    const megan = stack.tenant.findUser('MeganB@devtenant.example')!;
    await stack.tenant.revokeSignInSessions(megan.oid);
    const authorize = await challengedSignIn(agent, stack);
    const nbf = accessTokenClaims(authorize)['nbf'] as { essential: boolean; value: string };
    assert.equal(nbf.essential, true);
    assert.match(nbf.value, /^\d{10}$/);
    assert.deepEqual(accessTokenClaims(authorize)['xms_cc'], { values: ['CP1'] }, 'msal merges CP1 into the challenge');
    const page = await agent.submit(await agent.go(authorize.href), /Megan Bowen/);
    assert.equal(page.url, `${stack.app.origin}/call_ms_graph`);
    assert.equal(page.status, 200);
    assert.deepEqual(stack.tenant.graphCalls.map((c) => c.status), [200, 401, 200]);
  });

  it('should end the session with 401 SESSION_REVOKED, and work again after a new sign-in, when the refresh token was revoked (AADSTS50173)', async () => {
    stack.tenant.setAccessTokenTtl(120);
    const agent = new Agent();
    await signIn(agent, stack.app);
    await stack.tenant.revokeSignInSessions(stack.tenant.findUser('MeganB@devtenant.example')!.oid);
    const ended = await agent.raw(`${stack.app.origin}/call_ms_graph`);
    assert.equal(ended.status, 401);
    assert.match(await ended.text(), /SESSION_REVOKED/);
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 401, 'signed out here too');
    await signIn(agent, stack.app);
    const page = await agent.go(`${stack.app.origin}/call_ms_graph`);
    assert.equal(page.status, 200);
    assert.equal(stack.tenant.counts().tokenByGrant.refresh_token, 2, 'the revoked refresh, then the new one');
  });
});
