import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';

import type { DevTenant } from '../../src/index.ts';
import { DEV_TENANT_ERROR_CODES } from '../../src/index.ts';
import { Agent, parseForm } from '../../src/agent.ts';
import { location, useTestTenant } from './helpers.ts';
import { leftTo, pageOf, redeemAt, startAt, submitWith } from './shape-helpers.ts';

const TARGET = 'http://localhost:8000/auth/post_sign_out';
const AADB2C90272 = 'AADB2C90272: The id_token_hint parameter has not been specified in the request. Please provide token and try again.';

function logoutUrl(tenant: DevTenant, params: Record<string, string>): string {
  const url = new URL(`${tenant.b2c!.authorities.susi}/oauth2/v2.0/logout`);
  for (const [k, v] of Object.entries({ client_id: tenant.clientId, post_logout_redirect_uri: TARGET, ...params })) url.searchParams.set(k, v);
  return url.href;
}

/** Signs Ana in at the susi user flow; returns the agent (with its tenant session) and her ID token. */
async function susiSignIn(tenant: DevTenant) {
  const agent = new Agent();
  const { outcome, verifier } = await startAt(agent, tenant, tenant.b2c!.authorities.susi);
  const back = leftTo(await submitWith(agent, tenant, pageOf(outcome), /Ana Customer/));
  const token = await redeemAt(tenant, tenant.b2c!.authorities.susi, back, verifier);
  return { agent, idToken: String(token.body['id_token']) };
}

describe("shape 'b2c': Require ID Token in logout requests", () => {
  const ctx = useTestTenant({ shape: 'b2c' });
  afterEach(() => ctx.tenant.requireIdTokenHint(false));

  it('should answer AADB2C90272 and keep the session when a logout request has no id_token_hint', async () => {
    ctx.tenant.requireIdTokenHint(true);
    const { agent } = await susiSignIn(ctx.tenant);
    const response = await agent.raw(logoutUrl(ctx.tenant, {}));
    const html = await response.text();
    assert.equal(response.status, 400);
    assert.ok(html.includes(AADB2C90272));
    assert.doesNotMatch(html, /dt-autosubmit|name="logout"/, 'nothing to submit');
    const silent = leftTo((await startAt(agent, ctx.tenant, ctx.tenant.b2c!.authorities.susi, { prompt: 'none' })).outcome);
    assert.ok(silent.searchParams.get('code'), 'still signed in at the tenant');
    const anonymous = await new Agent().raw(logoutUrl(ctx.tenant, {}));
    assert.equal(anonymous.status, 400, 'also without a session at the tenant');
  });

  it('should sign out and redirect when the logout request carries the ID token issued to the app', async () => {
    ctx.tenant.requireIdTokenHint(true);
    const { agent, idToken } = await susiSignIn(ctx.tenant);
    const url = logoutUrl(ctx.tenant, { id_token_hint: idToken });
    const html = await (await agent.raw(url)).text();
    const form = parseForm(html, /Continue/, url);
    const done = await agent.post(form.action, form.fields);
    assert.equal(location(done, url), TARGET);
  });

  it('should refuse an id_token_hint the tenant did not sign', async () => {
    ctx.tenant.requireIdTokenHint(true);
    const { agent, idToken } = await susiSignIn(ctx.tenant);
    const [header, payload] = idToken.split('.');
    const response = await agent.raw(logoutUrl(ctx.tenant, { id_token_hint: `${header}.${payload}.${'A'.repeat(342)}` }));
    assert.equal(response.status, 400);
    assert.match(await response.text(), /invalid_request/);
  });

  it('should sign out without id_token_hint when the setting is off (the default)', async () => {
    const { agent } = await susiSignIn(ctx.tenant);
    const url = logoutUrl(ctx.tenant, {});
    const form = parseForm(await (await agent.raw(url)).text(), /^Sign out$/, url);
    assert.equal(location(await agent.post(form.action, form.fields), url), TARGET);
  });
});

describe('requireIdTokenHint outside B2C', () => {
  const ctx = useTestTenant();

  it('should throw DEV_TENANT_INVALID_OPTION when the tenant is not shaped like B2C', () => {
    assert.throws(() => ctx.tenant.requireIdTokenHint(true), { code: DEV_TENANT_ERROR_CODES.invalidOption });
  });
});
