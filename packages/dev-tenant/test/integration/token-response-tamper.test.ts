import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';

import { DEV_TENANT_ERROR_CODES } from '../../src/index.ts';
import type { TokenResponseTamper } from '../../src/index.ts';
import { redeemCode, signIn, tokenRequest, useTestTenant } from './helpers.ts';

describe('tamperTokenResponse', () => {
  const ctx = useTestTenant();
  beforeEach(() => ctx.tenant.clearFaults());

  async function redeem() {
    return redeemCode(ctx.tenant, await signIn(ctx.tenant));
  }

  it('should remove and set members of the next real token response only, when told', async () => {
    ctx.tenant.tamperTokenResponse({ remove: ['access_token', 'id_token'], set: { token_type: 'MAC' } });
    const tampered = await redeem();
    assert.equal(tampered.status, 200);
    assert.equal(tampered.body['access_token'], undefined);
    assert.equal(tampered.body['id_token'], undefined);
    assert.equal(tampered.body['token_type'], 'MAC');
    assert.equal(typeof tampered.body['refresh_token'], 'string', 'the rest is the real response');
    assert.equal(typeof tampered.body['client_info'], 'string');
    const next = await redeem();
    assert.equal(next.body['token_type'], 'Bearer');
    assert.equal(typeof next.body['access_token'], 'string');
  });

  it('should alter only responses of the named grant, as many times as told', async () => {
    ctx.tenant.tamperTokenResponse({ grant: 'refresh_token', remove: ['access_token'], times: 2 });
    const first = await redeem();
    assert.equal(typeof first.body['access_token'], 'string', 'a code redemption is left alone');
    const refresh = () => tokenRequest(ctx.tenant, { grant_type: 'refresh_token', refresh_token: String(first.body['refresh_token']), scope: 'User.ReadBasic.All openid profile offline_access' });
    assert.equal((await refresh()).body['access_token'], undefined);
    assert.equal((await refresh()).body['access_token'], undefined);
    assert.equal(typeof (await refresh()).body['access_token'], 'string', 'used up');
  });

  it('should leave error responses alone and forget queued alterations on clearFaults', async () => {
    ctx.tenant.tamperTokenResponse({ set: { token_type: 'MAC' } });
    const refused = await tokenRequest(ctx.tenant, { grant_type: 'authorization_code', code: 'nonsense', redirect_uri: 'http://localhost:8000/auth/redirect', code_verifier: 'x'.repeat(43) });
    assert.equal(refused.status, 400);
    assert.equal(refused.body['token_type'], undefined);
    ctx.tenant.clearFaults();
    assert.equal((await redeem()).body['token_type'], 'Bearer');
  });

  it('should throw DEV_TENANT_INVALID_OPTION when the alteration is malformed', () => {
    const bad: unknown[] = [{}, { remove: 'access_token' }, { set: [] }, { set: {}, grant: 'password' }, { set: {}, times: 0 }];
    for (const tamper of bad) {
      assert.throws(() => ctx.tenant.tamperTokenResponse(tamper as TokenResponseTamper), { code: DEV_TENANT_ERROR_CODES.invalidOption }, JSON.stringify(tamper));
    }
  });
});
