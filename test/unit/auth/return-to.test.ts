import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeReturnTo } from '../../../src/auth/return-to.ts';

describe('safeReturnTo', () => {
  it('should keep a same-origin path with its query', () => {
    assert.equal(safeReturnTo('/call_ms_graph'), '/call_ms_graph');
    assert.equal(safeReturnTo('/token_details?tab=1'), '/token_details?tab=1');
  });

  for (const hostile of [
    'https://evil.example/', '//evil.example', '/\\evil.example', '\\\\evil.example', '/%2F%2Fevil.example',
    '/%5Cevil.example', '%2F%2Fevil.example', 'javascript:alert(1)', '/\tevil', '/\u0000x', 'evil', '',
    `/${'a'.repeat(600)}`, '/%E0%A4%A', '/.//evil.example/', '/x/..//evil.example/', '/%2E%2E//evil.example/', '/./\\evil.example',
  ]) {
    it(`should go home when given ${JSON.stringify(hostile).slice(0, 40)}`, () => {
      assert.equal(safeReturnTo(hostile), '/');
    });
  }

  it('should go home for non-strings (repeated query parameters arrive as arrays)', () => {
    assert.equal(safeReturnTo(['/a', '/b']), '/');
    assert.equal(safeReturnTo(undefined), '/');
  });
});
