import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { claimsRequestOf, MAX_CLAIMS_REQUEST_CHARS } from '../../../src/auth/claims-request.ts';
import { fromMsalError } from '../../../src/auth/msal-errors.ts';
import { claimsChallengeOf } from '../../../src/graph/errors.ts';

const CAPOLIDS = '{"access_token":{"capolids":{"essential":true,"values":["8b2e5a1c-0000-4000-8000-000000000001"]}}}';

describe('claimsRequestOf', () => {
  it('should keep a claims request when it is a JSON object within the size bound', () => {
    assert.equal(claimsRequestOf(CAPOLIDS), CAPOLIDS);
  });

  it('should refuse a claims request when it is not a bounded JSON object', () => {
    for (const value of [undefined, '', 'not json', '1', '"x"', '[]', 'null', 42]) assert.equal(claimsRequestOf(value), undefined, String(value));
    assert.equal(claimsRequestOf(`{"a":"${'x'.repeat(MAX_CLAIMS_REQUEST_CHARS)}"}`), undefined);
  });

  it('should drop a Graph claims challenge when its claims are not a JSON object', () => {
    const header = (json: string) => `Bearer error="insufficient_claims", claims="${Buffer.from(json).toString('base64')}"`;
    assert.equal(claimsChallengeOf(header(CAPOLIDS)), CAPOLIDS);
    assert.equal(claimsChallengeOf(header('[1]')), undefined);
  });
});

describe('fromMsalError with Conditional Access claims', () => {
  function interactionRequired(error: string, suberror: string, claims: string): InteractionRequiredAuthError {
    return new InteractionRequiredAuthError(error, 'corr', 'AADSTS50076: MFA required', suberror, '', '', claims);
  }

  it('should carry the claims on INTERACTION_REQUIRED when msal reports interaction_required, or invalid_grant with basic_action', () => {
    for (const error of [interactionRequired('interaction_required', '', CAPOLIDS), interactionRequired('invalid_grant', 'basic_action', CAPOLIDS)]) {
      const mapped = fromMsalError(error, 'silent');
      assert.equal(mapped.code, 'INTERACTION_REQUIRED');
      assert.equal(mapped.claimsChallenge, CAPOLIDS);
    }
  });

  it('should carry no claims when they are not a bounded JSON object or the error is a plain invalid_grant', () => {
    assert.equal(fromMsalError(interactionRequired('interaction_required', '', 'oops'), 'silent').claimsChallenge, undefined);
    const plain = fromMsalError(new ServerError('invalid_grant', 'corr', 'AADSTS70000: The request was denied because one or more scopes requested are unauthorized or expired.'), 'silent');
    assert.equal(plain.code, 'INTERACTION_REQUIRED');
    assert.equal(plain.claimsChallenge, undefined);
  });
});
