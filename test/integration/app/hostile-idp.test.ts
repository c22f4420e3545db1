import assert from 'node:assert/strict';
import { beforeEach, describe, it, mock } from 'node:test';
import type { IdTokenTamper } from '@contoso/dev-tenant';
import { Agent, signIn, startApp, useStack } from '../../helpers/stack.ts';
import type { AppUnderTest, Stack } from '../../helpers/stack.ts';

/** Signs in with the next ID token altered as `tamper` says; returns the final page and the agent. */
async function signInWith(stack: Stack, tamper: IdTokenTamper, app: AppUnderTest = stack.app) {
  stack.tenant.tamperIdToken(tamper);
  const agent = new Agent();
  const page = await signIn(agent, app);
  return { page, agent };
}

/** The app refused the sign-in: 401 page with the reason, no session, no Graph call, one log line. */
async function assertRejected(stack: Stack, result: { page: { status: number; body: string }; agent: Agent }, reason: string) {
  assert.equal(result.page.status, 401, result.page.body.slice(0, 300));
  assert.match(result.page.body, /ID_TOKEN_INVALID/);
  assert.equal((await result.agent.go(`${stack.app.origin}/token_details`)).status, 401, 'no session');
  assert.equal(stack.tenant.counts().graph, 0, 'no Graph request');
  const lines = stack.app.logs.filter((l) => l.includes('"code":"ID_TOKEN_INVALID"'));
  assert.equal(lines.length, 1, 'one log line');
  assert.match(lines[0]!, new RegExp(`"reason_code":"${reason}"`));
}

describe('ID tokens from a hostile identity provider', () => {
  const stack = useStack();
  beforeEach(() => {
    stack.tenant.clearFaults();
    stack.tenant.resetCounts();
    stack.app.logs.length = 0;
  });

  const cases: [string, IdTokenTamper, string][] = [
    ['signed with a key the authority does not publish', { sign: 'foreign' }, 'signature'],
    ['with alg none', { sign: 'none' }, 'alg'],
    ['signed with HMAC keyed by the client secret', { sign: 'hs256' }, 'alg'],
    ['carrying its own key set URL (jku)', { header: { jku: 'https://evil.example/keys' } }, 'header_key'],
    ['carrying its own key (jwk)', { header: { jwk: { kty: 'RSA', n: 'x', e: 'AQAB' } } }, 'header_key'],
    ['from another issuer', { claims: { iss: 'https://evil.example/v2.0' } }, 'iss'],
    ['for another audience', { claims: { aud: 'another-client' } }, 'aud'],
    ['with an extra untrusted audience', { claims: { aud: ['CLIENT', 'another-client'] } }, 'aud'],
    ['authorized for another party (azp)', { claims: { azp: 'another-client' } }, 'azp'],
    ['expired', { claims: { exp: Math.floor(Date.now() / 1000) - 3600 } }, 'exp'],
    ['issued long ago', { claims: { iat: Math.floor(Date.now() / 1000) - 3 * 3600 } }, 'iat'],
    ['not valid yet', { claims: { nbf: Math.floor(Date.now() / 1000) + 3600 } }, 'nbf'],
    ['without sub', { removeClaims: ['sub'] }, 'sub'],
    ['with another nonce', { claims: { nonce: 'replayed-nonce' } }, 'nonce'],
    ['without nonce', { removeClaims: ['nonce'] }, 'nonce'],
  ];
  for (const [what, tamper, reason] of cases) {
    it(`should refuse an ID token ${what}`, async () => {
      if (Array.isArray(tamper.claims?.aud)) tamper.claims.aud = [stack.tenant.clientId, 'another-client'];
      await assertRejected(stack, await signInWith(stack, tamper), reason);
    });
  }

  it('should end the session when a refresh returns an ID token for another user', async () => {
    stack.tenant.setAccessTokenTtl(120);
    const agent = new Agent();
    await signIn(agent, stack.app);
    stack.tenant.setAccessTokenTtl(3600);
    const caches = stack.app.tokenCaches.size;
    stack.tenant.tamperIdToken({ grant: 'refresh_token', claims: { sub: 'someone-else' } });
    const page = await agent.go(`${stack.app.origin}/call_ms_graph`);
    assert.equal(page.status, 401);
    assert.match(page.body, /subject_changed/);
    assert.equal(stack.tenant.counts().graph, 0, 'no Graph request with that token');
    assert.equal(stack.app.tokenCaches.size, caches - 1, 'the token cache is gone');
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 401, 'signed out');
  });

  it('should end the session when a refresh returns an ID token from another issuer', async () => {
    stack.tenant.setAccessTokenTtl(120);
    const agent = new Agent();
    await signIn(agent, stack.app);
    stack.tenant.setAccessTokenTtl(3600);
    stack.tenant.tamperIdToken({ grant: 'refresh_token', claims: { iss: 'https://evil.example/v2.0' } });
    assert.equal((await agent.go(`${stack.app.origin}/call_ms_graph`)).status, 401);
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 401);
  });

  it('should keep the session when a refresh returns a valid ID token for the same user', async () => {
    stack.tenant.setAccessTokenTtl(120);
    const agent = new Agent();
    await signIn(agent, stack.app);
    stack.tenant.setAccessTokenTtl(3600);
    stack.tenant.resetCounts();
    assert.equal((await agent.go(`${stack.app.origin}/call_ms_graph`)).status, 200);
    assert.equal(stack.tenant.counts().tokenByGrant.refresh_token, 1);
  });
});

describe('signing-key rotation', () => {
  const stack = useStack();

  it('should refetch the key set at most once for a flood of unknown kids', async () => {
    await signIn(new Agent(), stack.app); // the key set is cached now
    stack.tenant.resetCounts();
    for (let i = 0; i < 5; i++) {
      const result = await signInWith(stack, { header: { kid: `unknown-${i}` } });
      assert.equal(result.page.status, 401);
    }
    assert.ok(stack.tenant.counts().jwks <= 1, `${stack.tenant.counts().jwks} key-set fetches`);
  });

  it('should accept a token signed with a new key after one refetch, once the 30 s cool-down has passed', async () => {
    await signIn(new Agent(), stack.app);
    await stack.tenant.rotateSigningKey({ keepOld: false });
    stack.tenant.resetCounts();
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 31_000 });
    try {
      const page = await signIn(new Agent(), stack.app);
      assert.match(page.body, /Hello Megan Bowen!/);
      assert.equal(stack.tenant.counts().jwks, 1);
    } finally {
      mock.timers.reset();
    }
  });

  it('should accept a token without kid only while exactly one key fits', async () => {
    await stack.tenant.rotateSigningKey({ keepOld: false });
    const single = await startApp(stack.tenant);
    try {
      const ok = await signInWith(stack, { removeHeader: ['kid'] }, single);
      assert.match(ok.page.body, /Hello Megan Bowen!/);
    } finally {
      await single.close();
    }
    await stack.tenant.rotateSigningKey({ keepOld: true });
    const double = await startApp(stack.tenant);
    try {
      const refused = await signInWith(stack, { removeHeader: ['kid'] }, double);
      assert.equal(refused.page.status, 401);
      assert.match(refused.page.body, /<dd>kid<\/dd>/);
    } finally {
      await double.close();
    }
  });
});

describe('an authority that fails', () => {
  const stack = useStack();
  beforeEach(() => stack.tenant.clearFaults());

  async function failedSignInStart(fault: Parameters<Stack['tenant']['injectFault']>[1], expected: number) {
    const app = await startApp(stack.tenant, { httpTimeoutMs: '500' }); // metadata not loaded yet
    try {
      stack.tenant.injectFault('discovery', fault);
      const started = performance.now();
      const agent = new Agent();
      const page = await agent.go(`${app.origin}/auth/sign_in`);
      assert.equal(page.status, expected);
      assert.ok(performance.now() - started < 2500, 'bounded time');
      assert.doesNotMatch(page.body, /\n\s+at /);
      assert.equal((await agent.go(`${app.origin}/`)).status, 200, 'the app keeps serving');
      const retry = await signIn(new Agent(), app);
      assert.match(retry.body, /Hello Megan Bowen!/, 'the failure was not cached');
    } finally {
      await app.close();
    }
  }

  it('should answer 503 when discovery answers 500, and recover', () => failedSignInStart({ status: 500 }, 503));
  it('should answer 502 when discovery answers an HTML page', () => failedSignInStart({ status: 200, raw: '<html>Sign in</html>' }, 502));
  it('should answer 503 when discovery resets the connection', () => failedSignInStart({ status: 0, reset: true }, 503));
  it('should answer 503 when discovery hangs', () => failedSignInStart({ status: 0, delayMs: 3000 }, 503));

  it('should answer 502 when the token endpoint answers HTML, and create no session', async () => {
    const agent = new Agent();
    const picker = await agent.go(`${stack.app.origin}/auth/sign_in`);
    stack.tenant.injectFault('token', { status: 500, raw: '<html><body>Service Unavailable</body></html>', times: 3 });
    const page = await agent.submit(picker, /Megan Bowen/);
    assert.equal(page.status, 502);
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 401);
  });

  it('should answer 503 when the token endpoint resets the connection', async () => {
    const agent = new Agent();
    const picker = await agent.go(`${stack.app.origin}/auth/sign_in`);
    stack.tenant.injectFault('token', { status: 0, reset: true, times: 3 });
    const page = await agent.submit(picker, /Megan Bowen/);
    assert.equal(page.status, 503);
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 401);
  });

  it('should fail closed with 503 when the key set cannot be fetched', async () => {
    const app = await startApp(stack.tenant);
    try {
      stack.tenant.injectFault('jwks', { status: 500, times: 5 });
      const agent = new Agent();
      const page = await signIn(agent, app);
      assert.equal(page.status, 503);
      assert.match(page.body, /IDP_UNAVAILABLE/);
      assert.equal((await agent.go(`${app.origin}/token_details`)).status, 401, 'never signed in on an unverified token');
    } finally {
      await app.close();
    }
  });
});
