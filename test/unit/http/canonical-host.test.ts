import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sameOriginTarget } from '../../../src/http/canonical-host.ts';

const ORIGIN = 'http://localhost:8000';

describe('sameOriginTarget', () => {
  it('should keep the path and query on the app\'s origin when the target is an ordinary path', () => {
    assert.equal(sameOriginTarget('/token_details?tab=1', ORIGIN), `${ORIGIN}/token_details?tab=1`);
    assert.equal(sameOriginTarget('/', ORIGIN), `${ORIGIN}/`);
  });

  for (const [raw, expected] of [
    ['//evil.example/', '/evil.example/'], ['///evil.example/x?y=1', '/evil.example/x?y=1'], ['/\\evil.example', '/evil.example'],
    ['\\/evil.example', '/evil.example'], ['/\t/evil.example', '/evil.example'], ['/\n/evil.example', '/evil.example'],
    ['/./\\evil.example', '/evil.example'], ['/x/..//evil.example', '/evil.example'], ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/%5Cevil.example', '/%5Cevil.example'], ['//evil.example@localhost/', '/evil.example@localhost/'], ['', '/'],
  ] as const) {
    it(`should stay on the app's origin when the target is ${JSON.stringify(raw)}`, () => {
      assert.equal(sameOriginTarget(raw, ORIGIN), `${ORIGIN}${expected}`);
    });
  }
});
