/**
 * RFC 9207 `iss`: Entra ID, External ID and B2C neither promise nor send it (src/response-iss.ts);
 * DevTenantOptions.authorizationResponseIss imitates an authority that does.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { DevTenant } from '../../src/index.ts';
import { Agent, parseForm } from '../../src/agent.ts';
import { authorizeUrl, location, pkce, signIn, submitOnTenant, useTestTenant } from './helpers.ts';
import { leftTo, pageOf, startAt, submitWith } from './shape-helpers.ts';

const PROMISE = 'authorization_response_iss_parameter_supported';

async function discovery(authority: string): Promise<Record<string, unknown>> {
  return await (await fetch(`${authority}/v2.0/.well-known/openid-configuration`)).json() as Record<string, unknown>;
}

/** The redirect back to the app after the user cancels on the account picker (an error response). */
async function cancelled(tenant: DevTenant): Promise<URL> {
  const agent = new Agent();
  const start = authorizeUrl(tenant, { code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 'cancel' });
  const pickerUrl = location(await agent.raw(start), start);
  return submitOnTenant(agent, tenant, await (await agent.raw(pickerUrl)).text(), /^\s*Cancel\s*$/, pickerUrl);
}

/** The self-posting form of a response_mode=form_post sign-in, as HTML. */
async function formPost(tenant: DevTenant): Promise<string> {
  const agent = new Agent();
  const start = authorizeUrl(tenant, { response_mode: 'form_post', code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 'fp' });
  const pickerUrl = location(await agent.raw(start), start);
  const form = parseForm(await (await agent.raw(pickerUrl)).text(), /Megan Bowen/, pickerUrl);
  let response = await agent.post(form.action, form.fields);
  let url = form.action;
  while (response.status === 303) {
    url = location(response, url);
    response = await agent.raw(url);
  }
  return response.text();
}

describe('RFC 9207 iss on authorization responses', () => {
  describe('by default (Entra ID)', () => {
    const ctx = useTestTenant();

    it('should neither promise nor send iss when the tenant is started without authorizationResponseIss', async () => {
      const { tenant } = ctx;
      assert.equal(PROMISE in await discovery(tenant.authority), false);
      const { redirect } = await signIn(tenant);
      assert.ok(redirect.searchParams.get('code'));
      assert.equal(redirect.searchParams.get('iss'), null, 'no iss on a successful response');
      const error = await cancelled(tenant);
      assert.equal(error.searchParams.get('error'), 'access_denied');
      assert.equal(error.searchParams.get('iss'), null, 'no iss on an error response');
      const html = await formPost(tenant);
      assert.match(html, /name="code"/);
      assert.doesNotMatch(html, /name="iss"/, 'no iss in the form_post form');
    });
  });

  for (const [shape, service] of [['external_id', 'an External ID'], ['b2c', 'a B2C']] as const) {
    describe(`shape '${shape}'`, () => {
      const ctx = useTestTenant({ shape });

      it(`should neither promise nor send iss when ${service} customer signs in`, async () => {
        const { tenant } = ctx;
        assert.equal(PROMISE in await discovery(tenant.authority), false);
        const agent = new Agent();
        const { outcome } = await startAt(agent, tenant, tenant.authority);
        const back = leftTo(await submitWith(agent, tenant, pageOf(outcome), /Ana Customer/));
        assert.ok(back.searchParams.get('code'));
        assert.equal(back.searchParams.get('iss'), null);
      });
    });
  }

  describe('with authorizationResponseIss (an RFC 9207 authority that is not Microsoft)', () => {
    const ctx = useTestTenant({ authorizationResponseIss: true });

    it('should promise iss and send the issuer on success and error responses when authorizationResponseIss is true', async () => {
      const { tenant } = ctx;
      assert.equal((await discovery(tenant.authority))[PROMISE], true);
      const { redirect } = await signIn(tenant);
      assert.equal(redirect.searchParams.get('iss'), tenant.issuer);
      assert.equal((await cancelled(tenant)).searchParams.get('iss'), tenant.issuer);
      assert.match(await formPost(tenant), /name="iss"/);
    });

    it('should still neither promise nor send iss at /organizations when authorizationResponseIss is true', async () => {
      const { tenant } = ctx;
      assert.equal(PROMISE in await discovery(tenant.authorities.organizations), false);
      const agent = new Agent();
      const { outcome } = await startAt(agent, tenant, tenant.authorities.organizations);
      const back = leftTo(await submitWith(agent, tenant, pageOf(outcome), /Megan Bowen/));
      assert.ok(back.searchParams.get('code'));
      assert.equal(back.searchParams.get('iss'), null);
    });
  });
});
