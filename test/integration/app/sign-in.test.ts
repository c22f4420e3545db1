import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DevTenant } from '../../../src/devtenant/index.ts';
import { Agent, pickAccount, signIn, startApp, startTenant } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';

describe('sign-in', () => {
  let tenant: DevTenant;
  let app: AppUnderTest;

  before(async () => {
    tenant = await startTenant();
    app = await startApp(tenant);
    await app.metadata.get();
  });
  after(async () => {
    await app.close();
    await tenant.close();
  });
  beforeEach(() => tenant.resetCounts());

  it('should send a code-flow request with PKCE S256, state, nonce and the configured redirect URI', async () => {
    const agent = new Agent();
    const response = await agent.raw(`${app.origin}/auth/sign_in`);
    assert.equal(response.status, 303);
    const url = new URL(response.headers.get('location')!);
    assert.equal(`${url.origin}${url.pathname}`, `${tenant.authority}/oauth2/v2.0/authorize`);
    const q = url.searchParams;
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('code_challenge') ?? '', /^[\w-]{43}$/);
    assert.match(q.get('state') ?? '', /^[\w-]{43,}$/);
    assert.match(q.get('nonce') ?? '', /^[\w-]{43,}$/);
    assert.equal(q.get('redirect_uri'), `${app.origin}/auth/redirect`);
    assert.equal(q.get('client_id'), tenant.clientId);
    assert.ok(q.get('scope')?.split(' ').includes('User.ReadBasic.All'));
  });

  it('should sign the user in, greet them and rotate the session id', async () => {
    const agent = new Agent();
    await agent.raw(`${app.origin}/auth/sign_in`);
    const before = agent.cookies(app.origin).get('sid');
    assert.ok(before, 'a session exists while signing in');
    const home = await signIn(agent, app);
    assert.equal(home.status, 200);
    assert.equal(home.url, `${app.origin}/`);
    assert.match(home.body, /Hello Megan Bowen!/);
    const afterSignIn = agent.cookies(app.origin).get('sid');
    assert.ok(afterSignIn && afterSignIn !== before, 'the session id changed at sign-in');
  });

  it('should make exactly one token request per sign-in and no discovery or key-set request after the first', async () => {
    await signIn(new Agent(), app);
    tenant.resetCounts();
    for (let i = 0; i < 3; i++) await signIn(new Agent(), app);
    const counts = tenant.counts();
    assert.equal(counts.token, 3);
    assert.equal(counts.tokenByGrant.authorization_code, 3);
    assert.equal(counts.discovery, 0);
    assert.equal(counts.jwks, 0);
  });

  it('should return to the page that asked for sign-in', async () => {
    const page = await signIn(new Agent(), app, 'Megan Bowen', '/token_details');
    assert.equal(page.url, `${app.origin}/token_details`);
    assert.equal(page.status, 200);
  });

  it('should go home when the return path points off-site', async () => {
    const page = await signIn(new Agent(), app, 'Megan Bowen', '//evil.example/');
    assert.equal(page.url, `${app.origin}/`);
  });

  it('should complete two sign-ins started in two tabs of one browser, in either order', async () => {
    const agent = new Agent();
    const tabA = await agent.go(`${app.origin}/auth/sign_in?next=/token_details`);
    const tabB = await agent.go(`${app.origin}/auth/sign_in?next=/`);
    // Both tabs finish at the authority before either callback reaches the app.
    agent.stopBefore = (url) => url.startsWith(`${app.origin}/auth/redirect`);
    const callbackOf = (page: { url: string; hops: readonly { location: string | undefined }[] }) => new URL(page.hops.at(-1)!.location!, page.url).href;
    const callbackA = callbackOf(await pickAccount(agent, app, tabA, 'Megan Bowen'));
    const callbackB = callbackOf(await pickAccount(agent, app, tabB, 'Megan Bowen'));
    agent.stopBefore = undefined;
    const b = await agent.go(callbackB);
    assert.equal(b.url, `${app.origin}/`);
    assert.match(b.body, /Hello Megan Bowen!/);
    const a = await agent.go(callbackA);
    assert.equal(a.url, `${app.origin}/token_details`);
    assert.match(a.body, /Hello Megan Bowen!/);
  });

  it('should replace everything of a first user when a second signs in over the session', async () => {
    const agent = new Agent();
    await signIn(agent, app, 'Megan Bowen');
    const home = await signIn(agent, app, 'Alex Wilber');
    assert.match(home.body, /Hello Alex Wilber!/);
    const claims = await agent.go(`${app.origin}/token_details`);
    assert.doesNotMatch(claims.body, /Megan/);
  });
});
