import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { fromMsalError } from '../../../src/auth/msal-errors.ts';
import { aadstsCodesOf, sessionEndingCode } from '../../../src/auth/revoked-grant.ts';
import { ErrorCode } from '../../../src/errors.ts';

/** A ServerError as msal-common's ResponseHandler builds it from a token-endpoint error body. */
function serverError(error: string, codes: number[] | undefined, description: string, suberror?: string): ServerError {
  const message = `Error(s): ${codes?.join(',') ?? 'Not Available'} - Timestamp: 2026-11-03 10:11:12Z - Description: ${description} - Correlation ID: c - Trace ID: t`;
  return new ServerError(error, 'c', message, suberror, codes?.[0] as unknown as string, 400);
}

describe('sessionEndingCode', () => {
  it('should read the AADSTS code from errorNo, the Error(s) list and the description when msal raised a ServerError', () => {
    assert.deepEqual(aadstsCodesOf(serverError('invalid_grant', [50173], 'AADSTS50173: revoked')), [50173]);
    assert.equal(sessionEndingCode(serverError('invalid_grant', [700082], 'AADSTS700082: The refresh token has expired due to inactivity.')), 700082);
    assert.equal(sessionEndingCode(serverError('invalid_grant', undefined, 'AADSTS50057: The user account is disabled.')), 50057);
  });

  it('should find the code when msal raised an InteractionRequiredAuthError (suberror bad_token)', () => {
    const error = new InteractionRequiredAuthError('invalid_grant', 'c', 'AADSTS50133: Session is invalid due to expiration or recent password change.', 'bad_token', '', '', '', '50133');
    assert.equal(sessionEndingCode(error), 50133);
  });

  for (const [what, error] of [
    ['consent missing (AADSTS65001)', serverError('invalid_grant', [65001], 'AADSTS65001: The user or administrator has not consented.', 'consent_required')],
    ['a step-up (AADSTS50076)', new InteractionRequiredAuthError('interaction_required', 'c', 'AADSTS50076: you must use multi-factor authentication', '', '', '', '{"access_token":{}}', '50076')],
    ['a plain expired grant (AADSTS70008)', serverError('invalid_grant', undefined, 'AADSTS70008: The provided authorization code or refresh token has expired.')],
    ['another error than invalid_grant naming a revocation code', serverError('invalid_client', [50173], 'AADSTS50173: revoked')],
    ['a non-MSAL error', new Error('AADSTS50173')],
  ] as const) {
    it(`should not end the session when the refusal is ${what}`, () => {
      assert.equal(sessionEndingCode(error), undefined);
    });
  }
});

describe('fromMsalError and revoked grants', () => {
  it('should answer 401 SESSION_REVOKED with the AADSTS code as reason when a silent refresh is refused for good', () => {
    const mapped = fromMsalError(serverError('invalid_grant', [50173], 'AADSTS50173: revoked'), 'silent');
    assert.equal(mapped.code, ErrorCode.SESSION_REVOKED);
    assert.equal(mapped.status, 401);
    assert.equal(mapped.facts['reason'], 'AADSTS50173');
  });

  it('should keep a refused code redemption a CODE_REJECTED when the same code comes back at the callback', () => {
    assert.equal(fromMsalError(serverError('invalid_grant', [50173], 'AADSTS50173: revoked'), 'redeem').code, ErrorCode.CODE_REJECTED);
  });

  it('should keep a consent answer an INTERACTION_REQUIRED (sign in and come back) when a silent refresh needs consent', () => {
    const consent = new InteractionRequiredAuthError('invalid_grant', 'c', 'AADSTS65001: not consented', 'consent_required', '', '', '', '65001');
    assert.equal(fromMsalError(consent, 'silent').code, ErrorCode.INTERACTION_REQUIRED);
  });
});
