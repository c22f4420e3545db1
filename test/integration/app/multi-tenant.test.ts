import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Agent, signIn, startApp, useStack } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';

describe('a multi-tenant app (organizations / common)', () => {
  const stack = useStack();
  let app: AppUnderTest;
  let restricted: AppUnderTest;
  let common: AppUnderTest;
  before(async () => {
    const { authorities, tenantId } = stack.tenant;
    app = await startApp(stack.tenant, { authorityTypeOverride: 'MULTI_TENANT', authority: authorities.organizations });
    common = await startApp(stack.tenant, { authorityTypeOverride: 'MULTI_TENANT', authority: authorities.common });
    restricted = await startApp(stack.tenant, {
      authorityTypeOverride: 'MULTI_TENANT', authority: authorities.organizations, allowedTenantIds: tenantId,
    });
  });
  after(async () => {
    await Promise.all([app.close(), common.close(), restricted.close()]);
  });
  beforeEach(() => stack.tenant.resetCounts());

  it('should load the organizations metadata with its {tenantid} issuer template', async () => {
    assert.match((await app.metadata.get()).issuer, /\/\{tenantid\}\/v2\.0$/);
  });

  it('should sign in users of two tenants, each with their own tenant\'s issuer', async () => {
    const guest = stack.tenant.guestTenant;
    for (const [target, who, tid] of [
      [app, 'Megan Bowen', stack.tenant.tenantId], [app, guest.users[0]!.displayName, guest.tenantId],
      [common, guest.users[1]!.displayName, guest.tenantId],
    ] as const) {
      const agent = new Agent();
      const home = await signIn(agent, target, who);
      assert.match(home.body, new RegExp(`Hello ${who}!`));
      const details = await agent.go(`${target.origin}/token_details`);
      assert.match(details.body, new RegExp(`<code>tid</code></th><td class="value">${tid}<`));
      assert.match(details.body, new RegExp(`<code>iss</code></th><td class="value">[^<]*/${tid}/v2\\.0<`));
    }
  });

  it('should list the guest tenant\'s own users from Graph for a guest user', async () => {
    const guest = stack.tenant.guestTenant;
    const agent = new Agent();
    await signIn(agent, app, guest.users[0]!.displayName);
    const page = await agent.go(`${app.origin}/call_ms_graph`);
    assert.equal(page.status, 200);
    for (const user of guest.users) assert.match(page.body, new RegExp(user.oid));
    assert.doesNotMatch(page.body, new RegExp(stack.tenant.users[0]!.oid));
  });

  it('should keep a guest signed in across a token refresh, whose ID token names the guest tenant again', async () => {
    const guest = stack.tenant.guestTenant;
    stack.tenant.setAccessTokenTtl(120); // due for refresh at once
    try {
      const agent = new Agent();
      await signIn(agent, app, guest.users[1]!.displayName);
      for (let i = 0; i < 2; i++) assert.equal((await agent.go(`${app.origin}/call_ms_graph`)).status, 200);
      assert.ok((stack.tenant.counts().tokenByGrant.refresh_token ?? 0) >= 1, 'a refresh happened');
      assert.equal((await agent.go(`${app.origin}/token_details`)).status, 200, 'the refreshed ID token kept sub and iss');
    } finally {
      stack.tenant.setAccessTokenTtl(3600);
    }
  });

  it('should refuse a tenant outside ALLOWED_TENANT_IDS with a 401 page, no session and no Graph call', async () => {
    const guest = stack.tenant.guestTenant;
    const agent = new Agent();
    const page = await signIn(agent, restricted, guest.users[0]!.displayName);
    assert.equal(page.status, 401);
    assert.match(page.body, /failed verification/);
    assert.match(restricted.logs.join('\n'), /"reason_code":"tenant_not_allowed"/);
    assert.equal((await agent.go(`${restricted.origin}/token_details`)).status, 401);
    assert.equal(stack.tenant.counts().graph, 0);
    const member = new Agent();
    assert.match((await signIn(member, restricted, 'Megan Bowen')).body, /Hello Megan Bowen!/);
  });
});
