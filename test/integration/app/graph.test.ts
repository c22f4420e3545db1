import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { Agent, signIn, startApp, useStack } from '../../helpers/stack.ts';

describe('GET /call_ms_graph', () => {
  const stack = useStack();
  beforeEach(() => {
    stack.tenant.setAccessTokenTtl(3600);
    stack.tenant.clearFaults();
    stack.tenant.resetCounts();
  });

  it('should list five users with name, principal name and id, using the signed-in user\'s token', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    const page = await agent.go(`${stack.app.origin}/call_ms_graph`);
    assert.equal(page.status, 200);
    assert.match(page.body, /5 users/);
    const rows = page.body.match(/<tr><td>/g) ?? [];
    assert.equal(rows.length, 5);
    const megan = stack.tenant.users.find((u) => u.displayName === 'Megan Bowen')!;
    assert.deepEqual(stack.tenant.graphCalls.map((c) => [c.status, c.oid]), [[200, megan.oid]]);
    assert.match(stack.tenant.graphCalls[0]!.path, /^\/v1\.0\/users\?/);
    for (const user of stack.tenant.users.slice(0, 5)) assert.match(page.body, new RegExp(user.oid));
  });

  it('should make no token request while the cached access token is valid', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    stack.tenant.resetCounts();
    for (let i = 0; i < 3; i++) assert.equal((await agent.go(`${stack.app.origin}/call_ms_graph`)).status, 200);
    assert.equal(stack.tenant.counts().token, 0);
    assert.equal(stack.tenant.counts().graph, 3);
  });

  it('should refresh the access token once when it is about to expire', async () => {
    stack.tenant.setAccessTokenTtl(120); // MSAL refreshes tokens that expire within 300 s
    const agent = new Agent();
    await signIn(agent, stack.app);
    stack.tenant.setAccessTokenTtl(3600);
    stack.tenant.resetCounts();
    assert.equal((await agent.go(`${stack.app.origin}/call_ms_graph`)).status, 200);
    assert.equal((await agent.go(`${stack.app.origin}/call_ms_graph`)).status, 200);
    assert.equal(stack.tenant.counts().tokenByGrant.refresh_token, 1);
    assert.equal(stack.tenant.counts().token, 1);
  });

  it('should make exactly one refresh for 100 concurrent calls of one user with an expired token', async () => {
    stack.tenant.setAccessTokenTtl(120);
    const agent = new Agent();
    await signIn(agent, stack.app);
    stack.tenant.setAccessTokenTtl(3600);
    stack.tenant.resetCounts();
    const statuses = await Promise.all(Array.from({ length: 100 }, () => agent.raw(`${stack.app.origin}/call_ms_graph`).then(async (r) => {
      await r.body?.cancel();
      return r.status;
    })));
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.equal(stack.tenant.counts().tokenByGrant.refresh_token, 1);
    assert.equal(stack.tenant.counts().token, 1);
  });

  it('should show Graph\'s status, code and message when Graph refuses', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    stack.tenant.injectFault('graph', {
      status: 403,
      body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } },
    });
    const page = await agent.go(`${stack.app.origin}/call_ms_graph`);
    assert.equal(page.status, 502);
    assert.match(page.body, /403/);
    assert.match(page.body, /Authorization_RequestDenied/);
    assert.match(page.body, /Insufficient privileges/);
    assert.match(page.body, /Hello Megan Bowen!/, 'still signed in');
  });

  it('should retry a throttled call after Retry-After and then show the users', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    stack.tenant.resetCounts();
    stack.tenant.injectFault('graph', { status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'TooManyRequests', message: 'Slow down' } } });
    const started = performance.now();
    const page = await agent.go(`${stack.app.origin}/call_ms_graph`);
    assert.equal(page.status, 200);
    assert.ok(performance.now() - started >= 1000, 'waited Retry-After');
    assert.deepEqual(stack.tenant.graphCalls.map((c) => c.status), [429, 200]);
  });

  it('should give up after two retries and show a 503 page saying Graph is busy', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    stack.tenant.resetCounts();
    stack.tenant.injectFault('graph', { status: 429, headers: { 'retry-after': '0' }, times: 5, body: { error: { code: 'TooManyRequests', message: 'Slow down' } } });
    const page = await agent.go(`${stack.app.origin}/call_ms_graph`);
    assert.equal(page.status, 503);
    assert.match(page.body, /Microsoft Graph is busy/);
    assert.match(page.body, /TooManyRequests/);
    assert.equal(stack.tenant.counts().graph, 3, 'one call and two retries');
    assert.match(page.body, /Hello Megan Bowen!/, 'still signed in');
  });

  it('should retry once after 1 s when a 429 has no Retry-After', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    stack.tenant.resetCounts();
    stack.tenant.injectFault('graph', { status: 429, times: 1 });
    const started = performance.now();
    assert.equal((await agent.go(`${stack.app.origin}/call_ms_graph`)).status, 200);
    assert.ok(performance.now() - started >= 1000);
    assert.equal(stack.tenant.counts().graph, 2);
  });

  it('should not wait when Retry-After is longer than the cap', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    stack.tenant.resetCounts();
    stack.tenant.injectFault('graph', { status: 429, headers: { 'retry-after': '120' } });
    const started = performance.now();
    const page = await agent.go(`${stack.app.origin}/call_ms_graph`);
    assert.equal(page.status, 503);
    assert.ok(performance.now() - started < 1000);
    assert.match(page.body, /try again in 120 seconds/);
    assert.equal(stack.tenant.counts().graph, 1);
  });

  it('should show a 503 page and keep the session when Graph answers 500 or 503', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    stack.tenant.injectFault('graph', { status: 500, body: { error: { code: 'generalException', message: 'Oops' } } });
    const page = await agent.go(`${stack.app.origin}/call_ms_graph`);
    assert.equal(page.status, 502);
    assert.match(page.body, /generalException/);
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 200, 'still signed in');
  });

  it('should sign in once more with the claims of a claims challenge, then show the users', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    const claims = JSON.stringify({ access_token: { nbf: { essential: true, value: '1700000000' } } });
    stack.tenant.injectFault('graph', {
      status: 401,
      headers: { 'www-authenticate': `Bearer realm="", error="insufficient_claims", claims="${Buffer.from(claims).toString('base64')}"` },
      body: { error: { code: 'InvalidAuthenticationToken', message: 'Continuous access evaluation resulted in challenge' } },
    });
    const challenged = await agent.raw(`${stack.app.origin}/call_ms_graph`);
    assert.equal(challenged.status, 303);
    assert.equal(challenged.headers.get('location'), '/auth/sign_in?next=%2Fcall_ms_graph');
    const start = await agent.raw(new URL(challenged.headers.get('location')!, stack.app.origin).href);
    const authorize = new URL(start.headers.get('location')!);
    // MSAL merges its own id_token claims requests and the CP1 capability in; the challenged access_token claims must be there.
    assert.deepEqual(JSON.parse(authorize.searchParams.get('claims')!).access_token, { ...JSON.parse(claims).access_token, xms_cc: { values: ['CP1'] } });
    const picker = await agent.go(authorize.href);
    const page = await agent.submit(picker, /Megan Bowen/);
    assert.equal(page.url, `${stack.app.origin}/call_ms_graph`);
    assert.equal(page.status, 200);
  });

  it('should stop after one claims-challenge sign-in when Graph keeps challenging', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    const challenge = { status: 401, times: 2, headers: { 'www-authenticate': `Bearer error="insufficient_claims", claims="${Buffer.from('{"access_token":{}}').toString('base64')}"` } };
    stack.tenant.injectFault('graph', challenge);
    const first = await agent.raw(`${stack.app.origin}/call_ms_graph`);
    assert.equal(first.status, 303);
    const page = await signIn(agent, stack.app, 'Megan Bowen', '/call_ms_graph');
    assert.equal(page.status, 502);
    assert.match(page.body, /INTERACTION_LOOP/);
  });

  it('should answer 503 within the timeout when Graph hangs', async () => {
    const slow = await startApp(stack.tenant, { httpTimeoutMs: '500' });
    try {
      const agent = new Agent();
      await signIn(agent, slow);
      stack.tenant.injectFault('graph', { status: 0, delayMs: 3000 });
      const started = performance.now();
      const page = await agent.go(`${slow.origin}/call_ms_graph`);
      assert.equal(page.status, 503);
      assert.ok(performance.now() - started < 2500);
      assert.match(page.body, /GRAPH_UNAVAILABLE/);
    } finally {
      await slow.close();
    }
  });

  it('should send the user to sign in and back to Call Graph when no token can be had silently', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    await Promise.all([...stack.app.tokenCaches.keys()].map((k) => stack.app.tokenCaches.delete(k)));
    const first = await agent.raw(`${stack.app.origin}/call_ms_graph`);
    assert.equal(first.status, 303);
    assert.equal(first.headers.get('location'), '/auth/sign_in?next=%2Fcall_ms_graph');
    const picker = await agent.go(new URL(first.headers.get('location')!, stack.app.origin).href);
    const page = await agent.submit(picker, /Megan Bowen/);
    assert.equal(page.url, `${stack.app.origin}/call_ms_graph`);
    assert.equal(page.status, 200);
  });

  it('should stop with an error page instead of looping through sign-in', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      await Promise.all([...stack.app.tokenCaches.keys()].map((k) => stack.app.tokenCaches.delete(k)));
      statuses.push((await agent.raw(`${stack.app.origin}/call_ms_graph`)).status);
    }
    assert.deepEqual(statuses, [303, 303, 502]);
  });
});
