import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServerError } from '@azure/msal-node';
import { answerOfCallback, answerOfServerError, configurationFix, errorNoOf, trimDescription } from '../../../src/auth/authority-refusal.ts';

const ID = '11111111-2222-3333-4444-555555555555';

describe('authority-refusal', () => {
  it('should drop Entra\'s trace/correlation/timestamp tail when trimming a description', () => {
    assert.equal(trimDescription(`AADSTS7000222: The provided client secret keys are expired.\r\nTrace ID: ${ID}\r\nCorrelation ID: ${ID}\r\nTimestamp: 2026-01-01 00:00:00Z`),
      'AADSTS7000222: The provided client secret keys are expired.');
    assert.equal(trimDescription('x'.repeat(600)).length, 501);
  });

  it('should read the code, correlation id and timestamp when msal reports a ServerError', () => {
    const message = `Error(s): 7000222 - Timestamp: 2026-01-01 00:00:00Z - Description: AADSTS7000222: expired. Trace ID: ${ID} - Correlation ID: ${ID} - Trace ID: ${ID}`;
    const answer = answerOfServerError(new ServerError('invalid_client', ID, message, undefined, '7000222', 401));
    assert.deepEqual(answer, { error: 'invalid_client', aadsts: 'AADSTS7000222', description: 'AADSTS7000222: expired.', correlationId: ID, timestamp: '2026-01-01 00:00:00Z' });
    assert.match(configurationFix(answer) ?? '', /CLIENT_SECRET/);
  });

  it('should read errorNo as its digits when msal holds a JSON number or a string there, and nothing else', () => {
    const withErrorNo = (errorNo: unknown) => new ServerError('invalid_grant', ID, 'no codes here', undefined, errorNo as string, 400);
    assert.equal(errorNoOf(withErrorNo(50173)), '50173');
    assert.equal(errorNoOf(withErrorNo('7000222')), '7000222');
    for (const other of [undefined, '', '123', '123456789', 'AADSTS50173', '50173,50174', 50173.5, { code: 50173 }]) {
      assert.equal(errorNoOf(withErrorNo(other)), undefined, `errorNo ${JSON.stringify(other)}`);
    }
    assert.equal(answerOfServerError(withErrorNo(50011)).aadsts, 'AADSTS50011');
  });

  it('should name REDIRECT_URI when the authorize answer is AADSTS50011', () => {
    const answer = answerOfCallback('invalid_request', 'AADSTS50011: The redirect URI specified in the request does not match.');
    assert.match(configurationFix(answer) ?? '', /^REDIRECT_URI/);
  });

  it('should name no setting when the answer is not a configuration mistake', () => {
    assert.equal(configurationFix(answerOfCallback('access_denied', 'AADSTS65004: User declined to consent.')), undefined);
  });
});
