import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startApp, startTenant } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';
import type { DevTenant } from '@contoso/dev-tenant';

/** What one proxy in front of the app sends: the client's own X-Forwarded-For, then the address the proxy saw. */
function throughProxy(app: AppUnderTest, clientClaims: string, clientAddress: string): Promise<Response> {
  return fetch(`${app.origin}/auth/sign_in`, { redirect: 'manual', headers: { 'x-forwarded-for': `${clientClaims}, ${clientAddress}` } });
}

describe('TRUST_PROXY and the sign-in rate limit', () => {
  let tenant: DevTenant;
  let app: AppUnderTest;
  before(async () => {
    tenant = await startTenant();
    app = await startApp(tenant, { trustProxy: '1', authRateLimitPerMinute: '3' });
  });
  after(async () => {
    await app?.close();
    await tenant?.close();
  });

  it('should keep limiting a client behind one proxy when it sends a new X-Forwarded-For address with every request', async () => {
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) statuses.push((await throughProxy(app, `198.51.100.${i}`, '203.0.113.7')).status);
    assert.deepEqual(statuses, [303, 303, 303, 429, 429]);
    // Another client seen by the same proxy has its own budget: the limit is per client address, not global.
    assert.equal((await throughProxy(app, '198.51.100.1', '203.0.113.8')).status, 303);
  });
});
