import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { DevTenant } from '@contoso/dev-tenant';
import { Agent, b2cSettings, startApp, startTenant } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';
import { claim } from '../../helpers/token-details.ts';

/**
 * B2C tokens as real tenants issue them: no `tid`, no `preferred_username`, `emails`, and the user
 * flow in `tfp`, in `acr` (older tenants), or not at all (custom policies that do not output it).
 */
describe('Azure AD B2C tokens that are not Entra tokens', () => {
  let tenant: DevTenant;
  let acrApp: AppUnderTest;
  let customApp: AppUnderTest;
  before(async () => {
    tenant = await startTenant({ shape: 'b2c', b2cFlowClaim: { B2C_1_susi: 'acr' } });
    const { policies } = tenant.b2c!;
    acrApp = await startApp(tenant, b2cSettings(tenant, { susi: policies.susi }));
    customApp = await startApp(tenant, b2cSettings(tenant, { susi: policies.custom }));
  });
  after(async () => {
    await acrApp.close();
    await customApp.close();
    await tenant.close();
  });
  beforeEach(() => tenant.clearFaults());

  /** Signs `name` in through the app's sign-up/sign-in flow. */
  async function signInAs(agent: Agent, app: AppUnderTest, name: string) {
    const picker = await agent.go(`${app.origin}/auth/sign_in`);
    return agent.submit(picker, new RegExp(name));
  }

  it('should sign in when the ID token names the user flow in acr (lower case) instead of tfp', async () => {
    const agent = new Agent();
    const home = await signInAs(agent, acrApp, 'Ana Customer');
    assert.equal(home.status, 200);
    assert.match(home.body, /Hello Ana Customer!/);
    const details = await agent.go(`${acrApp.origin}/token_details`);
    assert.equal(details.status, 200);
    assert.equal(claim(details.body, 'acr'), 'b2c_1_susi');
    assert.equal(claim(details.body, 'tfp'), undefined);
  });

  it('should refuse with 401 and no session when acr names another user flow', async () => {
    tenant.tamperIdToken({ claims: { acr: 'b2c_1_reset' } });
    const agent = new Agent();
    const page = await signInAs(agent, acrApp, 'Ana Customer');
    assert.equal(page.status, 401);
    assert.match(acrApp.logs.join('\n'), /"reason_code":"user_flow"/);
    assert.equal((await agent.go(`${acrApp.origin}/token_details`)).status, 401);
  });

  it('should sign in and show the name from emails when a custom policy\'s tokens name no user flow and carry no tid or preferred_username', async () => {
    const agent = new Agent();
    const home = await signInAs(agent, customApp, 'Bruno Shopper');
    assert.match(home.url, new RegExp(`^${customApp.origin}/`));
    assert.equal(home.status, 200);
    assert.match(home.body, /Hello Bruno Shopper!/);
    assert.match(home.body, /Signed in as bruno\.shopper@devtenantb2c\.example\./, 'the sign-in name comes from emails');
    const details = await agent.go(`${customApp.origin}/token_details`);
    assert.equal(details.status, 200);
    for (const absent of ['tfp', 'acr', 'tid', 'preferred_username']) assert.equal(claim(details.body, absent), undefined, absent);
    assert.equal(claim(details.body, 'emails'), 'bruno.shopper@devtenantb2c.example');
    assert.equal(claim(details.body, 'ver'), '1.0');
    const bruno = tenant.findUser('bruno.shopper@devtenantb2c.example')!;
    const caches = await Promise.all(customApp.tokenCaches.keys().map((k) => customApp.tokenCaches.get(k)));
    assert.ok(caches.some((c) => c?.value.includes(`${bruno.oid}-b2c_1a_signup_signin.${tenant.tenantId}`)), 'the account id comes from client_info');
  });

  it('should refuse with 401 when a custom policy\'s token names another user flow in tfp', async () => {
    tenant.tamperIdToken({ claims: { tfp: 'B2C_1_susi' } });
    const agent = new Agent();
    const page = await signInAs(agent, customApp, 'Ana Customer');
    assert.equal(page.status, 401);
    assert.match(customApp.logs.join('\n'), /"reason_code":"user_flow"/);
  });
});
