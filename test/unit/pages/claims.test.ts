import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { claimRows } from '../../../src/pages/claims.ts';

describe('claimRows', () => {
  it('should show iat, exp and nbf as readable UTC times with the raw value', () => {
    const rows = claimRows({ exp: 1_700_000_000, name: 'Megan Bowen', roles: ['Employee', 'Client'] });
    assert.deepEqual(rows.map((r) => r.name), ['exp', 'name', 'roles']);
    assert.equal(rows[0]!.value, 'Tue, 14 Nov 2023 22:13:20 GMT (1700000000)');
    assert.equal(rows[2]!.value, 'Employee, Client');
    assert.match(rows[0]!.meaning ?? '', /Expires/);
  });
});
