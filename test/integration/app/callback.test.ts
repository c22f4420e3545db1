import assert from 'node:assert/strict';
import { beforeEach, describe, it, mock } from 'node:test';
import { Agent, signIn, startApp, useStack } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';

/** Starts a sign-in and stops at the authority: returns the state the app made. */
async function startSignIn(agent: Agent, app: AppUnderTest): Promise<string> {
  const response = await agent.raw(`${app.origin}/auth/sign_in`);
  return new URL(response.headers.get('location')!).searchParams.get('state')!;
}

/** Runs a sign-in up to the callback and returns the callback URL without following it. */
async function callbackUrl(agent: Agent, app: AppUnderTest): Promise<string> {
  const picker = await agent.go(`${app.origin}/auth/sign_in`);
  agent.stopBefore = (url) => url.startsWith(`${app.origin}/auth/redirect`);
  try {
    const page = await agent.submit(picker, /Megan Bowen/);
    return new URL(page.hops.at(-1)!.location!, page.url).href;
  } finally {
    agent.stopBefore = undefined;
  }
}

describe('the sign-in callback', () => {
  const stack = useStack();
  beforeEach(() => stack.tenant.resetCounts());

  it('should answer 400 and make no token request when state is missing', async () => {
    const agent = new Agent();
    await startSignIn(agent, stack.app);
    const page = await agent.go(`${stack.app.origin}/auth/redirect?code=abc`);
    assert.equal(page.status, 400);
    assert.match(page.body, /STATE_MISSING/);
    assert.equal(stack.tenant.counts().token, 0);
  });

  it('should answer 400 when state is unknown', async () => {
    const agent = new Agent();
    await startSignIn(agent, stack.app);
    const page = await agent.go(`${stack.app.origin}/auth/redirect?code=abc&state=forged`);
    assert.equal(page.status, 400);
    assert.match(page.body, /STATE_UNKNOWN/);
    assert.match(page.body, /href="\/auth\/sign_in">Sign in again</, 'the page offers a fresh sign-in');
    assert.equal(stack.tenant.counts().token, 0);
  });

  it('should answer 400 and make no token request when the sign-in is older than ten minutes', async () => {
    const agent = new Agent();
    const url = await callbackUrl(agent, stack.app);
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 11 * 60_000 });
    try {
      const page = await agent.go(url);
      assert.equal(page.status, 400);
      assert.match(page.body, /STATE_UNKNOWN/);
    } finally {
      mock.timers.reset();
    }
    assert.equal(stack.tenant.counts().token, 0);
  });

  it('should answer 400 when state is sent twice', async () => {
    const agent = new Agent();
    const state = await startSignIn(agent, stack.app);
    const page = await agent.go(`${stack.app.origin}/auth/redirect?code=abc&state=${state}&state=${state}`);
    assert.equal(page.status, 400);
    assert.equal(stack.tenant.counts().token, 0);
  });

  it('should answer 400 for a state from another browser (login CSRF)', async () => {
    const attacker = new Agent();
    const state = await startSignIn(attacker, stack.app);
    const victim = new Agent();
    const page = await victim.go(`${stack.app.origin}/auth/redirect?code=abc&state=${state}`);
    assert.equal(page.status, 400);
    assert.equal(stack.tenant.counts().token, 0);
  });

  it('should never redeem a replayed callback a second time', async () => {
    const agent = new Agent();
    const url = await callbackUrl(agent, stack.app);
    assert.match(url, /\/auth\/redirect\?code=/);
    const first = await agent.go(url);
    assert.equal(first.status, 200);
    const replay = await agent.go(url);
    assert.equal(replay.status, 400);
    assert.match(replay.body, /STATE_UNKNOWN/);
    assert.equal(stack.tenant.counts().token, 1);
  });

  it('should make no second token request when a copy of the old transaction cookie is replayed with the callback', async () => {
    const agent = new Agent();
    const url = await callbackUrl(agent, stack.app);
    const copied = agent.cookie(stack.app.origin, 'signin')!;
    assert.equal((await agent.go(url)).status, 200);
    assert.equal(agent.cookie(stack.app.origin, 'signin'), undefined, 'the callback cleared the cookie');
    const thief = new Agent();
    thief.setCookie(stack.app.origin, 'signin', copied);
    const replay = await thief.go(url);
    assert.equal(replay.status, 400);
    assert.match(replay.body, /STATE_UNKNOWN/);
    assert.equal(stack.tenant.counts().token, 1);
  });

  it('should finish two tabs\' sign-ins of one browser in either order', async () => {
    const agent = new Agent();
    const first = await callbackUrl(agent, stack.app);
    const second = await callbackUrl(agent, stack.app);
    assert.equal((await agent.go(second)).status, 200);
    assert.equal((await agent.go(first)).status, 200, 'the first tab\'s sign-in survived the second one');
    assert.equal(stack.tenant.counts().token, 2);
  });

  // RFC 9207 `iss` on the callback: callback-iss.test.ts (needs a tenant that promises it).

  it('should show the authority\'s error escaped, with 403 for access_denied, after checking state', async () => {
    const agent = new Agent();
    const state = await startSignIn(agent, stack.app);
    // Not AADSTS65004 (the user's Cancel, which goes home instead): a denial the user did not choose.
    const description = 'AADSTS50105: <script>alert(1)</script>';
    const url = new URL(`${stack.app.origin}/auth/redirect`);
    url.search = new URLSearchParams({ error: 'access_denied', error_description: description, state }).toString();
    const page = await agent.go(url.href);
    assert.equal(page.status, 403);
    assert.doesNotMatch(page.body, /<script>alert/);
    assert.match(page.body, /AADSTS50105: &lt;script&gt;/);
    const unchecked = await new Agent().go(url.href);
    assert.equal(unchecked.status, 400, 'an error with an unknown state is a bad callback');
  });

  it('should answer 403 ADMIN_CONSENT_REQUIRED naming the sign-in\'s permission when the authority answers AADSTS90094', async () => {
    const agent = new Agent();
    const state = await startSignIn(agent, stack.app);
    const url = new URL(`${stack.app.origin}/auth/redirect`);
    const description = 'AADSTS90094: Your app needs permission to access resources in your organization that only an admin can grant.';
    url.search = new URLSearchParams({ error: 'consent_required', error_description: description, state }).toString();
    const page = await agent.go(url.href);
    assert.equal(page.status, 403);
    assert.match(page.body, /data-testid="error-code">ADMIN_CONSENT_REQUIRED</);
    assert.match(page.body, /<dt>Permission needed<\/dt><dd>User\.ReadBasic\.All<\/dd>/);
    assert.match(page.body, /AADSTS90094/);
    assert.equal(stack.tenant.counts().token, 0);
  });

  it('should go home with a "Sign-in cancelled" notice, not an error page, when the user cancels on the account picker', async () => {
    const agent = new Agent();
    const picker = await agent.go(`${stack.app.origin}/auth/sign_in`);
    const page = await agent.submit(picker, /Cancel/);
    assert.equal(page.url, `${stack.app.origin}/?notice=signin_cancelled`);
    assert.equal(page.status, 200);
    assert.match(page.body, /data-testid="page-notice">Sign-in cancelled\./);
    assert.doesNotMatch(page.body, /consent|access_denied|error-code/i);
    assert.match(page.body, /You're not signed in/);
    assert.equal(stack.tenant.counts().token, 0);
  });

  it('should keep the user signed in and show the notice when a signed-in user cancels a second sign-in', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    const picker = await agent.go(`${stack.app.origin}/auth/sign_in`);
    const page = await agent.submit(picker, /Cancel/);
    assert.equal(page.url, `${stack.app.origin}/?notice=signin_cancelled`);
    assert.match(page.body, /Sign-in cancelled\./);
    assert.match(page.body, /You're signed in/);
  });

  it('should show only fixed notice texts when the notice query is anything else', async () => {
    for (const notice of ['<b>Your account is locked, call 555</b>', 'signed_out ', 'constructor', '__proto__']) {
      const page = await new Agent().go(`${stack.app.origin}/?${new URLSearchParams({ notice })}`);
      assert.equal(page.status, 200);
      assert.doesNotMatch(page.body, /page-notice/, notice);
    }
  });

  it('should name REDIRECT_URI, not say consent was declined, when the authority answers AADSTS50011', async () => {
    const agent = new Agent();
    const state = await startSignIn(agent, stack.app);
    const url = new URL(`${stack.app.origin}/auth/redirect`);
    const description = 'AADSTS50011: The redirect URI specified in the request does not match the redirect URIs configured for the application.';
    url.search = new URLSearchParams({ error: 'invalid_request', error_description: description, state }).toString();
    const page = await agent.go(url.href);
    assert.equal(page.status, 500);
    assert.match(page.body, /data-testid="error-code">IDP_CONFIGURATION</);
    assert.match(page.body, /<dt>Setting to fix<\/dt><dd>REDIRECT_URI/);
    assert.match(page.body, /<dt>AADSTS code<\/dt><dd>AADSTS50011</);
  });

  it('should refuse tokens sent in the front channel', async () => {
    const agent = new Agent();
    const state = await startSignIn(agent, stack.app);
    const page = await agent.go(`${stack.app.origin}/auth/redirect?code=abc&id_token=eyJhbGciOi.x.y&state=${state}`);
    assert.equal(page.status, 400);
    assert.match(page.body, /BAD_CALLBACK/);
    assert.equal(stack.tenant.counts().token, 0);
  });

  it('should answer 400 and stay signed out when the token endpoint refuses the code', async () => {
    const agent = new Agent();
    const state = await startSignIn(agent, stack.app);
    const iss = encodeURIComponent((await stack.app.metadata.get()).issuer);
    const page = await agent.go(`${stack.app.origin}/auth/redirect?code=not-a-real-code&state=${state}&iss=${iss}`);
    assert.equal(page.status, 400);
    assert.match(page.body, /CODE_REJECTED/);
    const details = await agent.go(`${stack.app.origin}/token_details`);
    assert.equal(details.status, 401);
  });

  it('should show 502 and create no session when the token endpoint fails', async () => {
    const agent = new Agent();
    const picker = await agent.go(`${stack.app.origin}/auth/sign_in`);
    stack.tenant.injectFault('token', { status: 500, body: { error: 'server_error', error_description: 'AADSTS90000: down' }, times: 5 });
    try {
      const page = await agent.submit(picker, /Megan Bowen/);
      assert.equal(page.status, 502);
      assert.doesNotMatch(page.body, /at .*\.ts:\d+/, 'no stack trace');
    } finally {
      stack.tenant.clearFaults();
    }
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 401);
  });

  it('should answer 503 within the timeout when the token endpoint hangs', async () => {
    const slow = await startApp(stack.tenant, { httpTimeoutMs: '500' });
    try {
      const agent = new Agent();
      const picker = await agent.go(`${slow.origin}/auth/sign_in`);
      stack.tenant.injectFault('token', { status: 0, delayMs: 3000, times: 3 });
      const started = performance.now();
      const page = await agent.submit(picker, /Megan Bowen/);
      const elapsed = performance.now() - started;
      assert.equal(page.status, 503);
      assert.ok(elapsed < 2500, `answered in ${Math.round(elapsed)} ms`);
    } finally {
      stack.tenant.clearFaults();
      await slow.close();
    }
  });

  it('should still sign in after all those failures', async () => {
    const page = await signIn(new Agent(), stack.app);
    assert.match(page.body, /Hello Megan Bowen!/);
  });
});
