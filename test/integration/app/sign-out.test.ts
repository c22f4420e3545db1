import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, signIn, useStack } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';

function csrfToken(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  assert.ok(m, 'the page has a sign-out form');
  return m[1]!;
}

async function postSignOut(agent: Agent, app: AppUnderTest, token: string | undefined, headers: Record<string, string> = {}) {
  const body = new URLSearchParams(token === undefined ? {} : { _csrf: token });
  return agent.raw(`${app.origin}/auth/sign_out`, {
    method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

describe('sign-out', () => {
  const stack = useStack();

  it('should destroy the session and the token cache, then send the browser to the tenant\'s logout', async () => {
    const agent = new Agent();
    const home = await signIn(agent, stack.app);
    const oldCookie = agent.cookie(stack.app.origin, 'sid')!;
    assert.equal(stack.app.tokenCaches.size > 0, true);
    const cachesBefore = stack.app.tokenCaches.size;
    const response = await postSignOut(agent, stack.app, csrfToken(home.body), { origin: stack.app.origin, 'sec-fetch-site': 'same-origin' });
    assert.equal(response.status, 303);
    const logout = new URL(response.headers.get('location')!);
    assert.equal(`${logout.origin}${logout.pathname}`, `${stack.tenant.authority}/oauth2/v2.0/logout`);
    assert.equal(logout.searchParams.get('post_logout_redirect_uri'), `${stack.app.origin}/auth/post_sign_out`);
    assert.equal(logout.searchParams.get('client_id'), stack.tenant.clientId);
    assert.equal(stack.app.tokenCaches.size, cachesBefore - 1, 'the user\'s token cache is gone');
    assert.equal(agent.cookie(stack.app.origin, 'sid') !== undefined, false, 'the cookie is cleared');
    const replay = new Agent();
    replay.setCookie(stack.app.origin, 'sid', oldCookie);
    assert.equal((await replay.go(`${stack.app.origin}/token_details`)).status, 401, 'the old cookie is dead');
  });

  it('should sign out only that browser, leaving the user\'s other browser signed in with its own tokens, when one of two browsers signs out', async () => {
    const before = new Set(stack.app.tokenCaches.keys());
    const [first, second] = [new Agent(), new Agent()];
    const home = await signIn(first, stack.app);
    await signIn(second, stack.app);
    const added = stack.app.tokenCaches.keys().filter((k) => !before.has(k));
    assert.equal(added.length, 2, 'each browser\'s session has a token cache of its own');
    const oldCookie = first.cookie(stack.app.origin, 'sid')!;
    assert.equal((await postSignOut(first, stack.app, csrfToken(home.body))).status, 303);

    const left = added.filter((k) => stack.app.tokenCaches.keys().includes(k));
    assert.equal(left.length, 1, 'the signed-out browser\'s cache is gone, the other\'s is kept');
    const replay = new Agent();
    replay.setCookie(stack.app.origin, 'sid', oldCookie);
    assert.equal((await replay.raw(`${stack.app.origin}/token_details`)).status, 401);
    stack.tenant.resetCounts();
    const graph = await second.raw(`${stack.app.origin}/call_ms_graph`);
    assert.equal(graph.status, 200, 'the other browser calls Graph without a sign-in page');
    await graph.body?.cancel();
    assert.equal(stack.tenant.counts().token, 0, 'with the access token of its own cache');
    assert.equal(stack.tenant.graphCalls.at(-1)?.oid, stack.tenant.users.find((u) => u.displayName === 'Megan Bowen')!.oid);
  });

  it('should hand the tokens of a new sign-in to the new session only when the user signs in again elsewhere', async () => {
    const before = new Set(stack.app.tokenCaches.keys());
    const older = new Agent();
    await signIn(older, stack.app);
    const [olderKey] = stack.app.tokenCaches.keys().filter((k) => !before.has(k));
    assert.ok(olderKey);
    const olderCache = await stack.app.tokenCaches.get(olderKey);
    await signIn(new Agent(), stack.app);
    assert.deepEqual(await stack.app.tokenCaches.get(olderKey), olderCache, 'the older session\'s cache is untouched by the new sign-in');
    assert.equal(stack.app.tokenCaches.keys().filter((k) => !before.has(k)).length, 2);
  });

  it('should end the session at the stack.tenant and come back home saying the user signed out', async () => {
    const agent = new Agent();
    const home = await signIn(agent, stack.app);
    const response = await postSignOut(agent, stack.app, csrfToken(home.body));
    const confirm = await agent.go(response.headers.get('location')!);
    assert.equal(confirm.status, 200);
    const back = await agent.submit(confirm, /^Sign out$/i);
    assert.equal(back.url, `${stack.app.origin}/?notice=signed_out`);
    assert.match(back.body, /data-testid="page-notice">You have signed out\.</);
    assert.match(back.body, /You're not signed in/);
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 401);
  });

  it('should not sign out on a GET, only show a confirmation form', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    const page = await agent.go(`${stack.app.origin}/auth/sign_out`);
    assert.equal(page.status, 200);
    assert.match(page.body, /method="post"/);
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 200);
  });

  it('should refuse a cross-site POST and keep the user signed in', async () => {
    const agent = new Agent();
    const home = await signIn(agent, stack.app);
    const token = csrfToken(home.body);
    const crossSite = await postSignOut(agent, stack.app, token, { 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.status, 403);
    const foreignOrigin = await postSignOut(agent, stack.app, token, { origin: 'https://evil.example' });
    assert.equal(foreignOrigin.status, 403);
    const noToken = await postSignOut(agent, stack.app, undefined);
    assert.equal(noToken.status, 403);
    const wrongToken = await postSignOut(agent, stack.app, 'x'.repeat(43));
    assert.equal(wrongToken.status, 403);
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 200, 'still signed in');
  });
});
