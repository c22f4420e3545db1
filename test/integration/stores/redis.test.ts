import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DevTenant } from '@contoso/dev-tenant';
import { freePort } from '../../helpers/processes.ts';
import type { Launched } from '../../helpers/processes.ts';
import { startTenant } from '../../helpers/stack.ts';
import { Agent, csrfOf, keyEntry, originOf, signInAt, spawnApp } from './helpers.ts';

const REDIS_URL = process.env['REDIS_URL'];
const skip = REDIS_URL ? false : 'REDIS_URL is not set (CI sets it; locally: REDIS_URL=redis://127.0.0.1:6379/3)';

describe('two app instances sharing Redis', { timeout: 60_000 }, () => {
  let tenant: DevTenant;
  const apps: Launched[] = [];
  let a: string;
  let b: string;

  before(async () => {
    if (skip) return;
    tenant = await startTenant();
    const [portA, portB] = [await freePort(), await freePort()];
    a = originOf(portA);
    b = originOf(portB);
    // Both instances: the same Redis, session secret and token-cache keys; each its own port.
    const shared = { REDIS_URL: REDIS_URL!, TOKEN_CACHE_KEYS: keyEntry('k1') };
    const started = await Promise.allSettled([spawnApp(tenant, portA, shared), spawnApp(tenant, portB, shared)]);
    for (const result of started) if (result.status === 'fulfilled') apps.push(result.value);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    for (const app of apps) assert.match(app.output(), /; redis store\)/);
  });
  after(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await tenant?.close();
  });

  it('should serve a session signed in on A from B, with A\'s cached token, and end it on both when B signs out', { skip }, async () => {
    const adele = tenant.users.find((u) => u.displayName === 'Adele Vance')!;
    const agent = new Agent();
    await signInAt(agent, a, 'Adele Vance');
    const sid = agent.cookie(a, 'sid');
    assert.ok(sid, 'A set a session cookie');
    // A browser sends localhost cookies to every port; the test's agent keeps them per host:port.
    agent.setCookie(b, 'sid', sid);

    tenant.resetCounts();
    const graph = await agent.raw(`${b}/call_ms_graph`);
    assert.equal(graph.status, 200, 'B knows the session A made');
    assert.match(await graph.text(), /Call MS Graph API/);
    assert.equal(tenant.counts().token, 0, 'B used the access token A cached at sign-in');
    assert.deepEqual(tenant.graphCalls.map((c) => c.oid), [adele.oid]);

    const home = await agent.go(`${b}/`);
    assert.match(home.body, /Hello Adele Vance!/);
    const signOut = await agent.raw(`${b}/auth/sign_out`, {
      method: 'POST', body: new URLSearchParams({ _csrf: csrfOf(home) }), headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(signOut.status, 303);
    assert.equal(agent.cookie(b, 'sid'), undefined, 'B cleared its cookie');

    assert.equal(agent.cookie(a, 'sid'), sid, 'A\'s copy of the cookie is still sent');
    assert.equal((await agent.raw(`${a}/token_details`)).status, 401, 'the session is gone for A too');
    assert.equal((await agent.raw(`${a}/call_ms_graph`)).status, 401);
  });
});
