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

  it('should answer 503 when Graph is throttling or down', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    stack.tenant.injectFault('graph', { status: 503, body: { error: { code: 'serviceNotAvailable', message: 'Try later' } } });
    const page = await agent.go(`${stack.app.origin}/call_ms_graph`);
    assert.equal(page.status, 503);
    assert.match(page.body, /serviceNotAvailable/);
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
