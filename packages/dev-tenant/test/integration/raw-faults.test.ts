/** The raw (non-JSON) and connection-reset faults tests inject into the tenant's endpoints. */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';

import type { DevTenant } from '../../src/index.ts';
import { tokenRequest, useTestTenant } from './helpers.ts';

describe('raw and reset faults', () => {
  const ctx = useTestTenant();
  const discoveryOf = (tenant: DevTenant): string => `${tenant.authority}/v2.0/.well-known/openid-configuration`;
  beforeEach(() => {
    ctx.tenant.clearFaults();
    ctx.tenant.resetCounts();
  });

  it('should answer the raw HTML page with the fault status when a raw fault hits discovery', async () => {
    const { tenant } = ctx;
    tenant.injectFault('discovery', { status: 502, raw: '<html><body>Bad gateway</body></html>' });
    const response = await fetch(discoveryOf(tenant));
    assert.equal(response.status, 502);
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(await response.text(), '<html><body>Bad gateway</body></html>');
    assert.equal((await fetch(discoveryOf(tenant))).status, 200);
  });

  it('should send the given content type when a raw fault names one', async () => {
    const { tenant } = ctx;
    tenant.injectFault('token', { status: 200, raw: '{"access_token":', contentType: 'application/json' });
    const response = await fetch(`${tenant.authority}/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token' }) });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(await response.text(), '{"access_token":');
  });

  it('should reset the connection, then serve normally, when a reset fault hits discovery', async () => {
    const { tenant } = ctx;
    tenant.injectFault('discovery', { status: 0, reset: true, delayMs: 50 });
    await assert.rejects(fetch(discoveryOf(tenant)), TypeError);
    assert.equal((await fetch(discoveryOf(tenant))).status, 200);
    assert.equal(tenant.counts().discovery, 2);
  });

  it('should reset the connection and still count the grant when a reset fault hits the token endpoint', async () => {
    const { tenant } = ctx;
    tenant.injectFault('token', { status: 0, reset: true });
    await assert.rejects(tokenRequest(tenant, { grant_type: 'refresh_token', refresh_token: 'x' }), TypeError);
    assert.deepEqual(tenant.counts().tokenByGrant, { refresh_token: 1 });
  });

  it('should throw DEV_TENANT_INVALID_OPTION when a raw fault has status 0', () => {
    assert.throws(() => ctx.tenant.injectFault('discovery', { status: 0, raw: '<html></html>' }), { code: 'DEV_TENANT_INVALID_OPTION' });
  });
});
