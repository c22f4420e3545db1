import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';

import { redeemCode, signIn, startTestTenant, tokenRequest, useTestTenant } from './helpers.ts';

describe('counters and fault injection', () => {
  const ctx = useTestTenant();
  let discovery: string;

  before(async () => {
    discovery = `${ctx.tenant.authority}/v2.0/.well-known/openid-configuration`;
  });
  beforeEach(() => {
    ctx.tenant.clearFaults();
    ctx.tenant.resetCounts();
  });

  it('should count each endpoint and each grant type when requests arrive', async () => {
    await fetch(discovery);
    await fetch(`${ctx.tenant.authority}/discovery/v2.0/keys`);
    const first = await redeemCode(ctx.tenant, await signIn(ctx.tenant));
    await tokenRequest(ctx.tenant, { grant_type: 'refresh_token', refresh_token: String(first.body['refresh_token']) });
    await tokenRequest(ctx.tenant, { grant_type: 'refresh_token', refresh_token: String(first.body['refresh_token']) });
    await fetch(`${ctx.tenant.graphEndpoint}/me`);
    await fetch(`${ctx.tenant.authority}/oauth2/v2.0/logout?client_id=${ctx.tenant.clientId}`);
    assert.deepEqual(ctx.tenant.counts(), {
      discovery: 1, jwks: 1, authorize: 1, token: 3, tokenByGrant: { authorization_code: 1, refresh_token: 2 }, endSession: 1, graph: 1,
    });
    ctx.tenant.resetCounts();
    assert.deepEqual(ctx.tenant.counts(), { discovery: 0, jwks: 0, authorize: 0, token: 0, tokenByGrant: {}, endSession: 0, graph: 0 });
    assert.equal(ctx.tenant.graphCalls.length, 0);
  });

  it('should answer the injected status, body and headers for the next `times` requests, then serve normally', async () => {
    ctx.tenant.injectFault('discovery', { status: 503, body: { error: 'temporarily_unavailable' }, headers: { 'retry-after': '7' }, times: 2 });
    for (let i = 0; i < 2; i++) {
      const response = await fetch(discovery);
      assert.equal(response.status, 503);
      assert.equal(response.headers.get('retry-after'), '7');
      assert.deepEqual(await response.json(), { error: 'temporarily_unavailable' });
    }
    assert.equal((await fetch(discovery)).status, 200);
    assert.equal(ctx.tenant.counts().discovery, 3);
  });

  it('should send an Entra-style body when a token fault has no body, and count its grant type', async () => {
    ctx.tenant.injectFault('token', { status: 500 });
    const { status, body } = await tokenRequest(ctx.tenant, { grant_type: 'refresh_token', refresh_token: 'x' });
    assert.equal(status, 500);
    assert.equal(body['error'], 'temporarily_unavailable');
    assert.match(String(body['error_description']), /^AADSTS50000: /);
    assert.deepEqual(ctx.tenant.counts().tokenByGrant, { refresh_token: 1 });
  });

  it('should delay and then serve normally when the fault status is 0', async () => {
    ctx.tenant.injectFault('jwks', { status: 0, delayMs: 300 });
    const started = performance.now();
    const response = await fetch(`${ctx.tenant.authority}/discovery/v2.0/keys`);
    assert.equal(response.status, 200);
    assert.ok(performance.now() - started >= 290);
    const again = performance.now();
    await fetch(`${ctx.tenant.authority}/discovery/v2.0/keys`);
    assert.ok(performance.now() - again < 250, 'only the next request is delayed');
  });

  it('should record a faulted Graph call in graphCalls', async () => {
    ctx.tenant.injectFault('graph', { status: 429, body: { error: { code: 'TooManyRequests', message: 'Slow down' } }, headers: { 'retry-after': '1' } });
    const response = await fetch(`${ctx.tenant.graphEndpoint}/users?$top=1`);
    assert.equal(response.status, 429);
    assert.deepEqual(ctx.tenant.graphCalls, [{ path: '/v1.0/users?$top=1', status: 429 }]);
  });

  it('should apply queued faults in order and forget them after clearFaults', async () => {
    ctx.tenant.injectFault('jwks', { status: 500 });
    ctx.tenant.injectFault('jwks', { status: 502 });
    assert.equal((await fetch(`${ctx.tenant.authority}/discovery/v2.0/keys`)).status, 500);
    assert.equal((await fetch(`${ctx.tenant.authority}/discovery/v2.0/keys`)).status, 502);
    ctx.tenant.injectFault('jwks', { status: 500, times: 10 });
    ctx.tenant.clearFaults();
    assert.equal((await fetch(`${ctx.tenant.authority}/discovery/v2.0/keys`)).status, 200);
  });

  it('should close promptly while a delayed request is pending', async () => {
    const other = await startTestTenant();
    other.tenant.injectFault('jwks', { status: 0, delayMs: 60_000 });
    const pending = fetch(`${other.tenant.authority}/discovery/v2.0/keys`).then(() => 'answered', () => 'dropped');
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    await other.stop();
    assert.ok(performance.now() - started < 1000);
    assert.equal(await pending, 'dropped');
  });
});
