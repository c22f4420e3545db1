import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { Agent, pickAccount, signIn, startApp, useStack } from '../../helpers/stack.ts';

describe('sign-in', () => {
  const stack = useStack();
  beforeEach(() => stack.tenant.resetCounts());

  it('should send a code-flow request with PKCE S256, state, nonce and the configured redirect URI', async () => {
    const agent = new Agent();
    const response = await agent.raw(`${stack.app.origin}/auth/sign_in`);
    assert.equal(response.status, 303);
    const url = new URL(response.headers.get('location')!);
    assert.equal(`${url.origin}${url.pathname}`, `${stack.tenant.authority}/oauth2/v2.0/authorize`);
    const q = url.searchParams;
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('code_challenge') ?? '', /^[\w-]{43}$/);
    assert.match(q.get('state') ?? '', /^[\w-]{43,}$/);
    assert.match(q.get('nonce') ?? '', /^[\w-]{43,}$/);
    assert.equal(q.get('redirect_uri'), `${stack.app.origin}/auth/redirect`);
    assert.equal(q.get('client_id'), stack.tenant.clientId);
    assert.ok(q.get('scope')?.split(' ').includes('User.ReadBasic.All'));
  });

  it('should sign the user in, greet them and rotate the session id when the browser already had a session', async () => {
    const agent = new Agent();
    await agent.raw(`${stack.app.origin}/auth/sign_in`);
    assert.equal(agent.cookie(stack.app.origin, 'sid'), undefined, 'no session while signing in (the sign-in is in its own cookie)');
    const home = await signIn(agent, stack.app);
    assert.equal(home.status, 200);
    assert.equal(home.url, `${stack.app.origin}/`);
    assert.match(home.body, /Hello Megan Bowen!/);
    const before = agent.cookie(stack.app.origin, 'sid');
    assert.ok(before, 'a session once signed in');
    await signIn(agent, stack.app);
    const afterSignIn = agent.cookie(stack.app.origin, 'sid');
    assert.ok(afterSignIn && afterSignIn !== before, 'the session id changed at sign-in');
  });

  it('should make exactly one token request per sign-in and no discovery or key-set request after the first', async () => {
    await signIn(new Agent(), stack.app);
    stack.tenant.resetCounts();
    for (let i = 0; i < 3; i++) await signIn(new Agent(), stack.app);
    const counts = stack.tenant.counts();
    assert.equal(counts.token, 3);
    assert.equal(counts.tokenByGrant.authorization_code, 3);
    assert.equal(counts.discovery, 0);
    assert.equal(counts.jwks, 0);
  });

  it('should contact no host but the app\'s own, the authority and Graph (no instance discovery)', async () => {
    const hosts = new Set<string>();
    const original = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      hosts.add(new URL(input instanceof Request ? input.url : String(input)).host);
      return original(input, init);
    };
    try {
      const fresh = await startApp(stack.tenant); // metadata and keys fetched during this test
      try {
        const agent = new Agent();
        await signIn(agent, fresh);
        assert.equal((await agent.go(`${fresh.origin}/call_ms_graph`)).status, 200);
        assert.deepEqual([...hosts].sort(), [new URL(fresh.origin).host, new URL(stack.tenant.authority).host].sort());
      } finally {
        await fresh.close();
      }
    } finally {
      globalThis.fetch = original;
    }
  });

  it('should return to the page that asked for sign-in', async () => {
    const page = await signIn(new Agent(), stack.app, 'Megan Bowen', '/token_details');
    assert.equal(page.url, `${stack.app.origin}/token_details`);
    assert.equal(page.status, 200);
  });

  it('should go home when the return path points off-site', async () => {
    const page = await signIn(new Agent(), stack.app, 'Megan Bowen', '//evil.example/');
    assert.equal(page.url, `${stack.app.origin}/`);
  });

  it('should complete two sign-ins started in two tabs of one browser, in either order', async () => {
    const agent = new Agent();
    const tabA = await agent.go(`${stack.app.origin}/auth/sign_in?next=/token_details`);
    const tabB = await agent.go(`${stack.app.origin}/auth/sign_in?next=/`);
    // Both tabs finish at the authority before either callback reaches the stack.app.
    agent.stopBefore = (url) => url.startsWith(`${stack.app.origin}/auth/redirect`);
    const callbackOf = (page: { url: string; hops: readonly { location: string | undefined }[] }) => new URL(page.hops.at(-1)!.location!, page.url).href;
    const callbackA = callbackOf(await pickAccount(agent, stack.app, tabA, 'Megan Bowen'));
    const callbackB = callbackOf(await pickAccount(agent, stack.app, tabB, 'Megan Bowen'));
    agent.stopBefore = undefined;
    const b = await agent.go(callbackB);
    assert.equal(b.url, `${stack.app.origin}/`);
    assert.match(b.body, /Hello Megan Bowen!/);
    const a = await agent.go(callbackA);
    assert.equal(a.url, `${stack.app.origin}/token_details`);
    assert.match(a.body, /Hello Megan Bowen!/);
  });

  it('should complete a sign-in started in one tab after another tab finished its own', async () => {
    const agent = new Agent();
    const tabA = await agent.go(`${stack.app.origin}/auth/sign_in?next=/token_details`);
    const tabB = await agent.go(`${stack.app.origin}/auth/sign_in?next=/`);
    const b = await pickAccount(agent, stack.app, tabB, 'Megan Bowen');
    assert.equal(b.url, `${stack.app.origin}/`);
    const a = await pickAccount(agent, stack.app, tabA, 'Megan Bowen');
    assert.equal(a.url, `${stack.app.origin}/token_details`);
    assert.equal(a.status, 200);
  });

  it('should replace everything of a first user when a second signs in over the session', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app, 'Megan Bowen');
    const home = await signIn(agent, stack.app, 'Alex Wilber');
    assert.match(home.body, /Hello Alex Wilber!/);
    const claims = await agent.go(`${stack.app.origin}/token_details`);
    assert.doesNotMatch(claims.body, /Megan/);
  });
});
