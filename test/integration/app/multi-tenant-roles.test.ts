import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agent, signIn, startApp, useStack } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';

/** The home page's effective role badges (those before the "not trusted here" part). */
function effectiveBadges(body: string): string[] {
  const roles = /data-testid="roles">([\s\S]*?)<\/p>/.exec(body)?.[1] ?? '';
  const effective = roles.split('data-testid="untrusted-roles"')[0] ?? '';
  return [...effective.matchAll(/<span class="badge[^"]*">([^<]*)<\/span>/g)].map((m) => m[1]!);
}

describe('app roles in a multi-tenant app (organizations)', () => {
  const stack = useStack();
  let trusting: AppUnderTest;
  let unset: AppUnderTest;
  before(async () => {
    const { authorities, tenantId, guestTenant } = stack.tenant;
    const multi = { authorityTypeOverride: 'MULTI_TENANT', authority: authorities.organizations };
    // ALLOWED_TENANT_IDS lets both organisations sign in; only the home tenant's role assignments count.
    trusting = await startApp(stack.tenant, { ...multi, allowedTenantIds: `${tenantId},${guestTenant.tenantId}`, roleTenantIds: tenantId });
    unset = await startApp(stack.tenant, multi);
  });
  after(async () => {
    await Promise.all([trusting.close(), unset.close()]);
  });

  it('should answer 403 saying roles from the user\'s organization are not trusted when a guest tenant\'s admin assigned Employee', async () => {
    const nadia = stack.tenant.guestTenant.users[0]!;
    assert.deepEqual(nadia.roles, ['Employee'], 'Fabrikam\'s admin assigned Employee');
    const agent = new Agent();
    const home = await signIn(agent, trusting, nadia.displayName);
    assert.match(home.body, new RegExp(`Hello ${nadia.displayName}!`));
    assert.deepEqual(effectiveBadges(home.body), [], 'no role presented as effective');
    assert.match(home.body, /data-testid="untrusted-roles"><span class="badge[^"]*">Employee<\/span>[\s\S]*not trusted here/);
    const page = await agent.go(`${trusting.origin}/claims_dashboard`);
    assert.equal(page.status, 403);
    assert.match(page.body, /Roles from your organization are not trusted by this app/);
    assert.match(page.body, /ROLE_TENANT_IDS/);
    assert.match(page.body, new RegExp(`Your organization \\(tenant id\\)</dt><dd>${stack.tenant.guestTenant.tenantId}<`));
    assert.doesNotMatch(page.body, /CLM-10421/);
    const logs = trusting.logs.join('\n');
    assert.match(logs, /"code":"ROLES_UNTRUSTED","reason_code":"tenant_not_trusted"/);
    assert.match(logs, new RegExp(`app roles of tenant ${stack.tenant.guestTenant.tenantId} not trusted`));
  });

  it('should answer 403 ROLES_UNTRUSTED, not ROLE_MISSING, when a guest without roles opens a role page', async () => {
    const agent = new Agent();
    await signIn(agent, trusting, stack.tenant.guestTenant.users[1]!.displayName);
    const page = await agent.go(`${trusting.origin}/claims_dashboard`);
    assert.equal(page.status, 403);
    assert.match(page.body, /data-testid="error-code">ROLES_UNTRUSTED</);
  });

  it('should show the claims dashboard to a home-tenant Employee when ROLE_TENANT_IDS names the home tenant', async () => {
    const agent = new Agent();
    const home = await signIn(agent, trusting, 'Megan Bowen');
    assert.deepEqual(effectiveBadges(home.body), ['Employee']);
    assert.doesNotMatch(home.body, /untrusted-roles/);
    const page = await agent.go(`${trusting.origin}/claims_dashboard`);
    assert.equal(page.status, 200);
    assert.match(page.body, /CLM-10421/);
  });

  it('should answer 403 naming ROLE_TENANT_IDS to a home-tenant Employee when the multi-tenant app trusts no tenant', async () => {
    const agent = new Agent();
    const home = await signIn(agent, unset, 'Megan Bowen');
    assert.deepEqual(effectiveBadges(home.body), []);
    assert.match(home.body, /untrusted-roles/);
    const page = await agent.go(`${unset.origin}/claims_dashboard`);
    assert.equal(page.status, 403);
    assert.match(page.body, /no organization(&#39;|')s role assignments count until its operator names the trusted tenant/);
    assert.match(page.body, /ROLE_TENANT_IDS \(app_roles\.trusted_tenants in aad\.config\.json\)/);
    assert.doesNotMatch(page.body, /CLM-10421/);
    assert.match(unset.logs.join('\n'), /"code":"ROLES_UNTRUSTED","reason_code":"no_trusted_tenants"/);
  });
});
