import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { describe, it } from 'node:test';

import type { DevTenant } from '../../src/index.ts';
import { startDevTenant } from '../../src/index.ts';
import { Agent } from '../../src/agent.ts';
import { claimsOf, tempDir, useTestTenant } from './helpers.ts';
import { decodeJson, leftTo, pageOf, redeemAt, startAt, submitWith } from './shape-helpers.ts';

/** Signs Ana in at `authority` and redeems the code there; returns the token response body. */
async function signInAt(tenant: DevTenant, authority: string): Promise<Record<string, unknown>> {
  const agent = new Agent();
  const { outcome, verifier } = await startAt(agent, tenant, authority);
  const back = leftTo(await submitWith(agent, tenant, pageOf(outcome), /Ana Customer/));
  const { status, body } = await redeemAt(tenant, authority, back, verifier);
  assert.equal(status, 200);
  return body;
}

/** The ID token of a refresh at `authority`. */
async function refreshedIdToken(tenant: DevTenant, authority: string, refreshToken: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: tenant.clientId, client_secret: tenant.clientSecret, grant_type: 'refresh_token',
      refresh_token: String(refreshToken), scope: 'openid offline_access', client_info: '1',
    }),
  });
  assert.equal(response.status, 200);
  return claimsOf(((await response.json()) as Record<string, unknown>)['id_token']);
}

function flowClaimsOf(claims: Record<string, unknown>) {
  return { tfp: claims['tfp'], acr: claims['acr'] };
}

describe("shape 'b2c': the claim naming the user flow", () => {
  describe('defaults', () => {
    const ctx = useTestTenant({ shape: 'b2c' });

    it('should name a built-in flow in tfp only, with no tid or preferred_username, when nothing is configured', async () => {
      const { tenant } = ctx;
      const body = await signInAt(tenant, tenant.b2c!.authorities.susi);
      const claims = claimsOf(body['id_token']);
      assert.deepEqual(flowClaimsOf(claims), { tfp: 'B2C_1_susi', acr: undefined });
      assert.equal(claims['ver'], '1.0');
      assert.equal('tid' in claims, false, 'B2C ID tokens carry no tid by default');
      assert.equal('preferred_username' in claims, false);
      assert.deepEqual(claims['emails'], ['ana.customer@devtenantb2c.example']);
      const ana = tenant.findUser('ana.customer@devtenantb2c.example')!;
      assert.deepEqual(decodeJson(body['client_info']), { uid: `${ana.oid}-b2c_1_susi`, utid: tenant.tenantId }, 'client_info still names the tenant');
      assert.deepEqual(tenant.b2c!.flowClaims, { B2C_1_susi: 'tfp', B2C_1_reset: 'tfp', B2C_1_edit_profile: 'tfp', B2C_1A_signup_signin: 'none' });
    });

    it('should serve the custom policy B2C_1A_signup_signin with the shared issuer and no flow claim when nothing is configured', async () => {
      const { tenant } = ctx;
      const authority = tenant.b2c!.authorities.custom;
      assert.equal(tenant.b2c!.policies.custom, 'B2C_1A_signup_signin');
      assert.equal(authority, `${tenant.b2c!.base}/B2C_1A_signup_signin`);
      const metadata = await (await fetch(`${authority}/v2.0/.well-known/openid-configuration`)).json() as Record<string, unknown>;
      assert.equal(metadata['issuer'], tenant.issuer);
      assert.equal(metadata['token_endpoint'], `${authority}/oauth2/v2.0/token`);
      const body = await signInAt(tenant, authority);
      const claims = claimsOf(body['id_token']);
      assert.deepEqual(flowClaimsOf(claims), { tfp: undefined, acr: undefined });
      assert.equal('tid' in claims, false);
      assert.equal(claims['iss'], tenant.issuer);
      const ana = tenant.findUser('ana.customer@devtenantb2c.example')!;
      assert.equal(decodeJson(body['client_info'])['uid'], `${ana.oid}-b2c_1a_signup_signin`);
      assert.deepEqual(flowClaimsOf(await refreshedIdToken(tenant, authority, body['refresh_token'])), { tfp: undefined, acr: undefined });
    });
  });

  describe('b2cFlowClaim', () => {
    const ctx = useTestTenant({ shape: 'b2c', b2cFlowClaim: { b2c_1_SUSI: 'acr', B2C_1A_signup_signin: 'tfp', B2C_1_reset: 'none' } });

    it('should name the flow in acr (lower case) instead of tfp when the flow is set to acr', async () => {
      const { tenant } = ctx;
      const authority = tenant.b2c!.authorities.susi;
      const body = await signInAt(tenant, authority);
      assert.deepEqual(flowClaimsOf(claimsOf(body['id_token'])), { tfp: undefined, acr: 'b2c_1_susi' });
      assert.deepEqual(flowClaimsOf(await refreshedIdToken(tenant, authority, body['refresh_token'])), { tfp: undefined, acr: 'b2c_1_susi' });
    });

    it('should name a custom policy in tfp when it is set to tfp (the policy outputs trustFrameworkPolicy)', async () => {
      const { tenant } = ctx;
      const body = await signInAt(tenant, tenant.b2c!.authorities.custom);
      assert.deepEqual(flowClaimsOf(claimsOf(body['id_token'])), { tfp: 'B2C_1A_signup_signin', acr: undefined });
      assert.equal(tenant.b2c!.flowClaims['B2C_1_reset'], 'none');
      assert.equal(tenant.b2c!.flowClaims['B2C_1_edit_profile'], 'tfp', 'flows not named keep their default');
    });

    it('should refuse with DEV_TENANT_INVALID_OPTION when b2cFlowClaim names an unknown flow, a bad claim or another shape', async () => {
      for (const options of [
        { shape: 'b2c' as const, b2cFlowClaim: { B2C_1_other: 'tfp' as const } },
        { shape: 'b2c' as const, b2cFlowClaim: { B2C_1_susi: 'sub' as 'tfp' } },
        { shape: 'entra' as const, b2cFlowClaim: { B2C_1_susi: 'acr' as const } },
      ]) {
        const dataDir = await tempDir();
        try {
          await assert.rejects(startDevTenant({ ...options, dataDir, port: 0 }).then((t) => t.close()), { code: 'DEV_TENANT_INVALID_OPTION' });
        } finally {
          await rm(dataDir, { recursive: true, force: true });
        }
      }
    });
  });
});
