import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DevTenant } from '@contoso/dev-tenant';
import { freePort } from '../../helpers/processes.ts';
import type { Launched } from '../../helpers/processes.ts';
import { startTenant } from '../../helpers/stack.ts';
import { Agent, csrfOf, keyEntry, originOf, SESSION_SECRET, spawnApp, tempDir, waitFor } from './helpers.ts';

interface LogLine {
  readonly event?: string;
  readonly req_id?: string;
  readonly [field: string]: unknown;
}

/** What the flow saw that must never reach the logs, and the request ids the app answered with. */
interface Seen {
  code: string;
  sid: string;
  csrf: string;
  requestIds: string[];
}

describe('logs of the spawned app (stdout and stderr)', { timeout: 60_000 }, () => {
  let tenant: DevTenant;
  let data: { path: string; remove: () => Promise<void> };
  let app: Launched;
  let origin: string;
  const key = keyEntry('k1');
  const seen: Seen = { code: '', sid: '', csrf: '', requestIds: [] };

  before(async () => {
    tenant = await startTenant();
    data = await tempDir('stores-logs-');
    const port = await freePort();
    origin = originOf(port);
    // debug: the most the app ever writes.
    app = await spawnApp(tenant, port, { DATA_DIR: data.path, TOKEN_CACHE_KEYS: key, LOG_LEVEL: 'debug' });

    const agent = new Agent();
    agent.stopBefore = (url) => url.startsWith(`${origin}/auth/redirect`);
    const picker = await agent.go(`${origin}/auth/sign_in`);
    const stopped = await agent.submit(picker, /Megan Bowen/);
    agent.stopBefore = undefined;
    const callback = new URL(stopped.hops.at(-1)!.location!, stopped.url);
    seen.code = callback.searchParams.get('code')!;
    assert.ok(seen.code, 'the flow stopped right before the callback');
    const home = await agent.go(callback.href);
    assert.match(home.body, /Hello Megan Bowen!/);
    seen.sid = agent.cookie(origin, 'sid')!;
    seen.csrf = csrfOf(home);
    seen.requestIds.push(home.headers.get('x-request-id')!);
    const graph = await agent.raw(`${origin}/call_ms_graph`);
    assert.equal(graph.status, 200);
    seen.requestIds.push(graph.headers.get('x-request-id')!);
    await graph.body?.cancel();
    const signOut = await agent.raw(`${origin}/auth/sign_out`, {
      method: 'POST', body: new URLSearchParams({ _csrf: seen.csrf }), headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(signOut.status, 303);
    seen.requestIds.push(signOut.headers.get('x-request-id')!);
    // Logs are written asynchronously: wait until the last request's line is out, then stop (SIGTERM).
    const last = seen.requestIds.at(-1)!;
    assert.ok(await waitFor(async () => app.output().includes(`"req_id":"${last}"`), 5000), 'the sign-out was logged');
    await app.stop();
  });
  after(async () => {
    await app?.stop();
    await tenant?.close();
    await data?.remove();
  });

  function lines(): LogLine[] {
    return app.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
  }

  it('should log no token, code, secret, key material or session cookie when a user signs in, calls Graph and signs out', () => {
    const out = app.output();
    assert.match(out, /"event":"signin\.success"/, 'the flow was logged at all');
    assert.match(out, /"event":"signout"/);
    assert.doesNotMatch(out, /eyJ[\w-]{10,}/, 'no JWT');
    assert.ok(!out.includes(seen.code), 'no authorization code');
    assert.ok(!out.includes(tenant.clientSecret), 'no client secret');
    assert.ok(!out.includes(SESSION_SECRET), 'no session secret');
    const material = key.slice(key.indexOf(':') + 1);
    for (const form of [material, Buffer.from(material, 'base64').toString('base64url'), Buffer.from(material, 'base64').toString('hex')]) {
      assert.ok(!out.includes(form), 'no token-cache key');
    }
    // The cookie is s:<id>.<signature>, URL-encoded.
    const [id = '', signature = ''] = decodeURIComponent(seen.sid).slice(2).split('.');
    assert.ok(id.length >= 20 && signature.length >= 20, 'the cookie looks as expected');
    for (const part of [seen.sid, id, signature]) assert.ok(!out.includes(part), 'no session cookie');
    assert.ok(!out.includes(seen.csrf), 'no CSRF token');
  });

  it('should give every request line a unique req_id, the one sent back in X-Request-Id', () => {
    const requests = lines().filter((l) => l.event === 'request');
    assert.ok(requests.length >= 5, `request lines: ${requests.length}`);
    assert.deepEqual(requests.filter((l) => typeof l.req_id !== 'string' || l.req_id === ''), [], 'every request line has a req_id');
    const ids = requests.map((l) => l.req_id!);
    assert.equal(new Set(ids).size, ids.length, 'one id per request');
    for (const id of seen.requestIds) assert.ok(ids.includes(id), `X-Request-Id ${id} is a logged req_id`);
    const signOut = requests.find((l) => l.req_id === seen.requestIds.at(-1));
    assert.equal(signOut?.['method'], 'POST');
    assert.equal(signOut?.['status'], 303);
  });

  it('should log the full request path when a route is served by a mounted router', () => {
    const signOut = lines().find((l) => l.event === 'request' && l.req_id === seen.requestIds.at(-1));
    assert.equal(signOut?.['path'], '/auth/sign_out');
  });
});
