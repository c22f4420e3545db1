import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTokenResponse, tokenResponseFault } from '../../../src/auth/token-response.ts';
import { AppError, ErrorCode } from '../../../src/errors.ts';

const CODE = new URLSearchParams({ grant_type: 'authorization_code', scope: 'User.Read openid profile offline_access', code: 'c' }).toString();
const REFRESH = new URLSearchParams({ grant_type: 'refresh_token', scope: 'User.Read openid profile offline_access', refresh_token: 'r' }).toString();
const COMPLETE = { token_type: 'Bearer', access_token: 'at', id_token: 'it', expires_in: 3600 };

describe('tokenResponseFault', () => {
  it('should accept a complete response, and token_type in any case, when every required member is there', () => {
    assert.equal(tokenResponseFault(CODE, COMPLETE), undefined);
    assert.equal(tokenResponseFault(CODE, { ...COMPLETE, token_type: 'bEARER' }), undefined);
  });

  it('should name access_token_missing when access_token is absent, empty or not a string', () => {
    for (const access_token of [undefined, '', 42]) {
      assert.equal(tokenResponseFault(REFRESH, { ...COMPLETE, access_token }), 'access_token_missing');
    }
    assert.equal(tokenResponseFault(CODE, null), 'access_token_missing');
  });

  it('should name token_type_not_bearer when token_type is absent or another scheme', () => {
    for (const token_type of [undefined, 'MAC', 'DPoP', 'pop', '']) {
      assert.equal(tokenResponseFault(CODE, { ...COMPLETE, token_type }), 'token_type_not_bearer', String(token_type));
    }
  });

  it('should require id_token only when an openid code redemption is answered', () => {
    const { id_token: _, ...withoutIdToken } = COMPLETE;
    assert.equal(tokenResponseFault(CODE, withoutIdToken), 'id_token_missing');
    assert.equal(tokenResponseFault(CODE, { ...COMPLETE, id_token: '' }), 'id_token_missing');
    assert.equal(tokenResponseFault(REFRESH, withoutIdToken), undefined, 'OIDC Core §12.2: a refresh may leave it out');
    assert.equal(tokenResponseFault('grant_type=authorization_code&scope=User.Read', withoutIdToken), undefined, 'no openid scope');
  });
});

describe('checkTokenResponse', () => {
  it('should throw TOKEN_RESPONSE_INVALID (502) naming the fault but no token when a 200 response is malformed', () => {
    assert.throws(() => checkTokenResponse(CODE, 200, { ...COMPLETE, access_token: undefined, id_token: 'secret-id-token' }), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, ErrorCode.TOKEN_RESPONSE_INVALID);
      assert.equal(error.status, 502);
      assert.deepEqual(error.facts, { reason: 'access_token_missing' });
      assert.doesNotMatch(`${error.message} ${error.detail}`, /secret/);
      return true;
    });
  });

  it('should leave error statuses to MSAL when the token endpoint refuses', () => {
    assert.doesNotThrow(() => checkTokenResponse(CODE, 400, { error: 'invalid_grant' }));
  });
});
