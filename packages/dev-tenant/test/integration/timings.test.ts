import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';

import { MAX_TIMINGS, RequestLog } from '../../src/traffic.ts';
import { redeemCode, signIn, useTestTenant } from './helpers.ts';

describe('request timings', () => {
  const ctx = useTestTenant();
  const keys = () => `${ctx.tenant.authority}/discovery/v2.0/keys`;
  /** The timings once `count` are recorded: one is recorded when the tenant's response closes, just after the client has it. */
  const timings = async (count: number) => {
    for (let i = 0; i < 100 && ctx.tenant.timings().length < count; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    return ctx.tenant.timings();
  };

  beforeEach(() => {
    ctx.tenant.clearFaults();
    ctx.tenant.resetCounts();
  });

  it('should record one timing per counted request, oldest first, with its target and status', async () => {
    await (await fetch(`${ctx.tenant.authority}/v2.0/.well-known/openid-configuration`)).text();
    await (await fetch(keys())).text();
    await redeemCode(ctx.tenant, await signIn(ctx.tenant));
    await (await fetch(`${ctx.tenant.graphEndpoint}/me`)).text();
    const all = await timings(5);
    assert.deepEqual(all.map((t) => [t.target, t.status]), [['discovery', 200], ['jwks', 200], ['authorize', 303], ['token', 200], ['graph', 401]]);
    for (const t of all) assert.ok(Number.isFinite(t.ms) && t.ms >= 0, `${t.target} took ${t.ms} ms`);
  });

  it('should not record requests that are not counted (pages, assets)', async () => {
    const origin = new URL(ctx.tenant.authority).origin;
    await (await fetch(`${origin}/`)).text();
    await (await fetch(`${origin}/favicon.ico`)).text();
    await (await fetch(keys())).text();
    assert.deepEqual((await timings(1)).map((t) => t.target), ['jwks']);
  });

  it('should include an injected delay in the time when a fault delays the request', async () => {
    ctx.tenant.injectFault('jwks', { status: 0, delayMs: 150 });
    await (await fetch(keys())).text();
    const [timing] = await timings(1);
    assert.equal(timing?.target, 'jwks');
    assert.ok((timing?.ms ?? 0) >= 145, `took ${timing?.ms} ms`);
  });

  it('should record status 0 when the connection is reset by a fault', async () => {
    ctx.tenant.injectFault('token', { status: 0, reset: true });
    await assert.rejects(fetch(`${ctx.tenant.authority}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'x' }) }));
    assert.deepEqual((await timings(1)).map((t) => [t.target, t.status]), [['token', 0]]);
  });

  it('should be cleared by resetCounts', async () => {
    await (await fetch(keys())).text();
    assert.equal((await timings(1)).length, 1);
    ctx.tenant.resetCounts();
    assert.deepEqual(ctx.tenant.timings(), []);
  });

  it('should hand out a frozen copy that later requests do not change', async () => {
    await (await fetch(keys())).text();
    const before = await timings(1);
    await (await fetch(keys())).text();
    assert.ok(Object.isFrozen(before));
    assert.equal(before.length, 1);
    assert.equal((await timings(2)).length, 2);
  });
});

describe('RequestLog timings', () => {
  it('should keep only the newest MAX_TIMINGS when more are recorded', () => {
    const log = new RequestLog();
    for (let i = 0; i < MAX_TIMINGS + 5; i++) log.recordTiming({ target: 'graph', ms: i, status: 200 });
    const timings = log.timings();
    assert.equal(timings.length, MAX_TIMINGS);
    assert.equal(timings[0]?.ms, 5);
    assert.equal(timings.at(-1)?.ms, MAX_TIMINGS + 4);
  });
});
