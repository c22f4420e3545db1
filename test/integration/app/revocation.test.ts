import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { sessionCookieName } from '../../../src/http/session.ts';
import { Agent, signIn, useStack } from '../../helpers/stack.ts';
import type { Stack } from '../../helpers/stack.ts';

/** The session cookie as the browser holds it now, to replay later. */
function sessionCookie(agent: Agent, stack: Stack): string {
  const name = sessionCookieName(stack.app.config);
  const value = agent.cookie(stack.app.origin, name);
  assert.ok(value, 'signed in with a session cookie');
  return `${name}=${value}`;
}

function getWithCookie(stack: Stack, path: string, cookie: string): Promise<Response> {
  return fetch(`${stack.app.origin}${path}`, { redirect: 'manual', headers: { cookie } });
}

/** Call Graph after the grant was refused: a 401 page saying the identity provider ended the session, not a redirect. */
async function assertSessionEnded(stack: Stack, agent: Agent, cookie: string, aadsts: string): Promise<void> {
  const page = await agent.raw(`${stack.app.origin}/call_ms_graph`);
  const body = await page.text();
  assert.equal(page.status, 401);
  assert.equal(page.headers.get('location'), null);
  assert.match(body, /SESSION_REVOKED/);
  assert.match(body, /ended by the identity provider/);
  assert.match(body, /href="\/auth\/sign_in"/, 'a Sign in again button');
  for (const path of ['/claims_dashboard', '/token_details', '/call_ms_graph']) {
    const replay = await getWithCookie(stack, path, cookie);
    assert.equal(replay.status, 401, `${path} with the old cookie`);
    assert.match(await replay.text(), /NOT_SIGNED_IN/);
  }
  assert.equal(stack.app.tokenCaches.size, 0, 'the session\'s token cache is deleted');
  const line = stack.app.logs.find((l) => l.includes('"code":"SESSION_REVOKED"'));
  assert.ok(line, 'the refusal is logged');
  assert.match(line, new RegExp(`"reason_code":"${aadsts}"`));
}

describe('a grant the identity provider revoked ends the session', () => {
  const stack = useStack();
  beforeEach(() => {
    stack.tenant.setAccessTokenTtl(120); // msal refreshes tokens expiring within 300 s: every Graph page refreshes
    stack.tenant.clearAccessPolicies();
    stack.tenant.clearFaults();
    stack.app.logs.length = 0;
  });

  it('should end the session with 401 SESSION_REVOKED, and close role pages and token details to its cookie, when a refresh answers AADSTS50173 after the user\'s sessions were revoked', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app); // Megan Bowen holds the Employee role
    assert.equal((await agent.go(`${stack.app.origin}/claims_dashboard`)).status, 200);
    const cookie = sessionCookie(agent, stack);
    await stack.tenant.revokeSignInSessions(stack.tenant.findUser('MeganB@devtenant.example')!.oid);
    await assertSessionEnded(stack, agent, cookie, 'AADSTS50173');
  });

  it('should end the session with 401 SESSION_REVOKED when a refresh answers AADSTS700082 because the refresh token expired through inactivity', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    const cookie = sessionCookie(agent, stack);
    await stack.tenant.expireRefreshTokens(stack.tenant.findUser('MeganB@devtenant.example')!.oid);
    await assertSessionEnded(stack, agent, cookie, 'AADSTS700082');
  });

  for (const [what, body, aadsts] of [
    ['an invalid_grant with suberror bad_token (an InteractionRequiredAuthError in MSAL)', {
      error: 'invalid_grant', suberror: 'bad_token', error_codes: [50173],
      error_description: 'AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.',
    }, 'AADSTS50173'],
    ['a disabled account (AADSTS50057) named only in the description', {
      error: 'invalid_grant', error_description: 'AADSTS50057: The user account is disabled.',
    }, 'AADSTS50057'],
  ] as const) {
    it(`should end the session with 401 SESSION_REVOKED when a refresh answers ${what}`, async () => {
      const agent = new Agent();
      await signIn(agent, stack.app);
      const cookie = sessionCookie(agent, stack);
      stack.tenant.injectFault('token', { status: 400, body });
      await assertSessionEnded(stack, agent, cookie, aadsts);
    });
  }

  it('should still send the user to sign in and back to Call Graph, signed in, when a refresh answers invalid_grant with an AADSTS code that is not a revocation', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    stack.tenant.injectFault('token', { status: 400, body: { error: 'invalid_grant', error_codes: [70000], error_description: 'AADSTS70000: The provided value for the input parameter \'refresh_token\' is not valid.' } });
    const challenged = await agent.raw(`${stack.app.origin}/call_ms_graph`);
    assert.equal(challenged.status, 303);
    assert.equal(challenged.headers.get('location'), '/auth/sign_in?next=%2Fcall_ms_graph');
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 200, 'still signed in');
  });
});

describe('a verified refreshed ID token updates the session', () => {
  const stack = useStack();
  beforeEach(() => {
    stack.tenant.setAccessTokenTtl(120);
    stack.tenant.clearFaults();
  });

  it('should close the claims dashboard when a refreshed ID token no longer carries the user\'s Employee role', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    assert.equal((await agent.go(`${stack.app.origin}/claims_dashboard`)).status, 200);
    // The administrator removed the role assignment: the tenant's next ID token (signed by it) has no roles.
    stack.tenant.tamperIdToken({ grant: 'refresh_token', removeClaims: ['roles'] });
    assert.equal((await agent.go(`${stack.app.origin}/call_ms_graph`)).status, 200);
    const dashboard = await agent.go(`${stack.app.origin}/claims_dashboard`);
    assert.equal(dashboard.status, 403);
    assert.match(dashboard.body, /ROLE_MISSING/);
    assert.doesNotMatch((await agent.go(`${stack.app.origin}/token_details`)).body, /Employee/);
  });

  it('should open the claims dashboard when a refreshed ID token newly carries the Employee role', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app, 'Grady Archie'); // no app role
    assert.equal((await agent.go(`${stack.app.origin}/claims_dashboard`)).status, 403);
    stack.tenant.tamperIdToken({ grant: 'refresh_token', claims: { roles: ['Employee'] } });
    assert.equal((await agent.go(`${stack.app.origin}/call_ms_graph`)).status, 200);
    assert.equal((await agent.go(`${stack.app.origin}/claims_dashboard`)).status, 200);
  });

  it('should keep the claims the user signed in with when the refreshed ID token is not newly issued', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    const old = Math.floor(Date.now() / 1000) - 3600;
    stack.tenant.tamperIdToken({ grant: 'refresh_token', claims: { iat: old, roles: [] } });
    assert.equal((await agent.go(`${stack.app.origin}/call_ms_graph`)).status, 200);
    assert.equal((await agent.go(`${stack.app.origin}/claims_dashboard`)).status, 200);
  });
});
