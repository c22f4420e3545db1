import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, signIn, useStack } from '../../helpers/stack.ts';

describe('logs', () => {
  const stack = useStack();

  it('should hold no token, code or secret after sign-in, Graph, a failure and sign-out', async () => {
    const agent = new Agent();
    agent.stopBefore = (url) => url.startsWith(`${stack.app.origin}/auth/redirect`);
    const picker = await agent.go(`${stack.app.origin}/auth/sign_in`);
    const stopped = await agent.submit(picker, /Megan Bowen/);
    const callback = new URL(stopped.hops.at(-1)!.location!, stopped.url);
    agent.stopBefore = undefined;
    const code = callback.searchParams.get('code')!;
    const home = await agent.go(callback.href);
    assert.match(home.body, /Hello Megan Bowen!/);
    const sessionCookie = agent.cookie(stack.app.origin, 'sid')!;
    await agent.go(`${stack.app.origin}/call_ms_graph`);
    await agent.go(callback.href); // a replay, logged as a rejection
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)![1]!;
    await agent.raw(`${stack.app.origin}/auth/sign_out`, {
      method: 'POST', body: new URLSearchParams({ _csrf: csrf }), headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await signIn(new Agent(), stack.app);

    const logs = stack.app.logs.join('');
    assert.match(logs, /signin\.success/);
    assert.match(logs, /STATE_UNKNOWN/);
    assert.match(logs, /"event":"signout"/);
    assert.doesNotMatch(logs, /eyJ[\w-]{10,}/, 'no JWT');
    assert.ok(!logs.includes(code), 'no authorization code');
    assert.ok(!logs.includes(stack.tenant.clientSecret), 'no client secret');
    assert.ok(!logs.includes(stack.app.config.sessionSecret), 'no session secret');
    assert.ok(!logs.includes(csrf), 'no CSRF token');
    const sid = decodeURIComponent(sessionCookie);
    assert.ok(!logs.includes(sid.slice(2, 34)), 'no session cookie');
  });
});
