import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { DevTenant } from '@contoso/dev-tenant';
import { freePort, launchApp } from '../../helpers/processes.ts';
import type { Launched } from '../../helpers/processes.ts';
import { startTenant } from '../../helpers/stack.ts';
import { Agent, appEnv, keyEntry, originOf, signInAt, spawnApp, tempDir, waitFor } from './helpers.ts';

const REDIS_SERVER = '/usr/bin/redis-server';
/** How long a request may take to fail while Redis is down. */
const FAIL_FAST_MS = 3000;

/** True when a Redis server answers PING on 127.0.0.1:`port` within `timeoutMs`. */
function redisPing(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d;
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** A private redis-server (never the shared 6379) whose data survives its restarts through the AOF in `dir`. */
class PrivateRedis {
  readonly port: number;
  readonly #dir: string;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();

  constructor(port: number, dir: string) {
    this.port = port;
    this.#dir = dir;
  }

  async start(): Promise<void> {
    const child = spawn(REDIS_SERVER, ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', this.#dir],
      { stdio: 'ignore' });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('exit', () => resolve()));
    if (!(await waitFor(() => redisPing(this.port), 5000, 50))) {
      await this.stop();
      throw new Error(`redis-server did not answer on port ${this.port}`);
    }
  }

  /** SIGTERM: Redis shuts down cleanly, flushing its append-only file. */
  async stop(): Promise<void> {
    if (this.#child && this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGTERM');
    await this.#exited;
  }
}

describe('Redis outage (the app\'s own redis-server)', { timeout: 90_000 }, () => {
  let tenant: DevTenant;
  let redis: PrivateRedis;
  let dir: { path: string; remove: () => Promise<void> };
  let app: Launched;
  let origin: string;

  before(async () => {
    tenant = await startTenant();
    dir = await tempDir('stores-redis-outage-');
    redis = new PrivateRedis(await freePort(), dir.path);
    await redis.start();
    const port = await freePort();
    origin = originOf(port);
    app = await spawnApp(tenant, port, { REDIS_URL: `redis://127.0.0.1:${redis.port}`, TOKEN_CACHE_KEYS: keyEntry('k1') });
  });
  after(async () => {
    await app?.stop();
    await redis?.stop();
    await tenant?.close();
    await dir?.remove();
  });

  it('should answer 503 while Redis is down, stay alive, and serve the same session again once Redis is back', async (t) => {
    const agent = new Agent();
    await signInAt(agent, origin, 'Megan Bowen');
    assert.equal((await agent.raw(`${origin}/token_details`)).status, 200);

    await redis.stop();
    const started = performance.now();
    const down = await agent.raw(`${origin}/token_details`, { signal: AbortSignal.timeout(10_000) });
    const elapsed = performance.now() - started;
    t.diagnostic(`first request while Redis is down answered ${down.status} in ${Math.round(elapsed)} ms`);
    assert.equal(down.status, 503);
    assert.match(await down.text(), /STORE_UNAVAILABLE/);
    assert.ok(elapsed < FAIL_FAST_MS, `failed fast (${Math.round(elapsed)} ms)`);

    // More of the same, at once, then the health endpoints: still no crash.
    const burst = await Promise.all(Array.from({ length: 10 }, () => agent.raw(`${origin}/call_ms_graph`, { signal: AbortSignal.timeout(10_000) })));
    assert.deepEqual(burst.map((r) => r.status), Array(10).fill(503));
    const ready = await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(5000) });
    assert.equal(ready.status, 503);
    assert.equal(((await ready.json()) as { store: string }).store, 'unavailable');
    assert.equal((await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(5000) })).status, 200);
    assert.equal(app.child.exitCode, null, 'the app process is alive');
    assert.ok(await waitFor(async () => /"event":"(redis|store)\.unavailable"/.test(app.output()), 3000), 'the outage is logged');

    await redis.start();
    const back = performance.now();
    const recovered = await waitFor(async () => (await fetch(`${origin}/readyz`, { signal: AbortSignal.timeout(2000) })).status === 200, 10_000, 100);
    t.diagnostic(`ready again ${Math.round(performance.now() - back)} ms after Redis answered`);
    assert.ok(recovered, '/readyz is 200 within 10 s');
    tenant.resetCounts();
    const details = await agent.raw(`${origin}/token_details`, { signal: AbortSignal.timeout(5000) });
    assert.equal(details.status, 200, 'the session survived the Redis restart');
    const graph = await agent.raw(`${origin}/call_ms_graph`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(graph.status, 200);
    assert.equal(tenant.counts().token, 0, 'the token cache survived too');
    assert.equal(app.child.exitCode, null);
  });

  it('should start, report not ready, and become ready when Redis comes up after the app', async () => {
    await redis.stop();
    const port = await freePort();
    const late = await launchApp(appEnv(tenant, port, { REDIS_URL: `redis://127.0.0.1:${redis.port}`, TOKEN_CACHE_KEYS: keyEntry('k1') }),
      `${originOf(port)}/healthz`);
    try {
      const ready = await fetch(`${originOf(port)}/readyz`, { signal: AbortSignal.timeout(5000) });
      assert.equal(ready.status, 503);
      assert.equal((await fetch(`${originOf(port)}/`, { signal: AbortSignal.timeout(5000) })).status, 200, 'anonymous pages need no store');
      await redis.start();
      assert.ok(await waitFor(async () => (await fetch(`${originOf(port)}/readyz`, { signal: AbortSignal.timeout(2000) })).status === 200, 10_000),
        `ready within 10 s of Redis starting:\n${late.output()}`);
      await signInAt(new Agent(), originOf(port), 'Lee Gu');
    } finally {
      await late.stop();
    }
  });
});
