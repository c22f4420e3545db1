import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupsOf } from '../../../src/graph/groups.ts';

describe('groupsOf', () => {
  it('should list the groups claim, keeping only strings', () => {
    assert.deepEqual(groupsOf({ groups: ['a', 1, 'b'] }), { kind: 'listed', ids: ['a', 'b'] });
  });

  it('should report the overage when _claim_names names a groups source', () => {
    assert.deepEqual(groupsOf({ _claim_names: { groups: 'src1' }, _claim_sources: { src1: { endpoint: 'https://graph.microsoft.com/v1.0/users/x/getMemberObjects' } } }), { kind: 'overage' });
  });

  it('should report none when neither is there or _claim_names is malformed', () => {
    assert.deepEqual(groupsOf({}), { kind: 'none' });
    assert.deepEqual(groupsOf({ _claim_names: 'groups' }), { kind: 'none' });
    assert.deepEqual(groupsOf({ _claim_names: { roles: 'src1' } }), { kind: 'none' });
  });
});
