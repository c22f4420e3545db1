import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { groupClaims, MAX_GROUPS_IN_TOKEN } from '../../src/group-claims.ts';
import { parseMemberGroupsBody } from '../../src/graph-groups.ts';
import { createGroupDirectory, OVERAGE_GROUP_COUNT } from '../../src/groups.ts';
import { DEMO_USERS, stableGuid } from '../../src/users.ts';

const OID = '2338c59e-f786-4b6a-90d0-ea511bad03b2';
const ids = (n: number) => Array.from({ length: n }, (_, i) => stableGuid(`g${i}`, 'groups'));

describe('groupClaims', () => {
  it('should give no claim when the user has no group', () => {
    assert.deepEqual(groupClaims(OID, []), {});
  });

  it('should list the ids when the user has up to 200 groups', () => {
    assert.deepEqual(groupClaims(OID, ids(1)), { groups: ids(1) });
    assert.deepEqual(groupClaims(OID, ids(MAX_GROUPS_IN_TOKEN)), { groups: ids(200) });
  });

  it('should give the overage claims when the user has more than 200 groups', () => {
    assert.deepEqual(groupClaims(OID, ids(201)), {
      _claim_names: { groups: 'src1' },
      _claim_sources: { src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${OID}/getMemberObjects` } },
    });
  });
});

describe('createGroupDirectory', () => {
  it('should give the same ids on every call when built twice', () => {
    assert.deepEqual(createGroupDirectory().groups, createGroupDirectory().groups);
  });

  it('should keep user oids unchanged when group ids share the name-based GUID helper', () => {
    assert.notEqual(stableGuid('Project Team 001', 'groups'), stableGuid('Project Team 001'));
    assert.match(stableGuid('x', 'groups'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('should find a group by id case-insensitively and put Patti Fernandez in every group when asked for members', () => {
    const directory = createGroupDirectory();
    const patti = DEMO_USERS.find((u) => u.displayName === 'Patti Fernandez')!;
    assert.equal(directory.of(patti.oid).length, OVERAGE_GROUP_COUNT);
    assert.equal(directory.byId('A1F4AA92-C6E7-4354-BD13-06A58589B52E')?.displayName, 'Claims Adjusters');
    const inSome = DEMO_USERS.filter((u) => directory.of(u.oid).length > 0 && u !== patti);
    assert.ok(inSome.every((u) => directory.of(u.oid).length <= MAX_GROUPS_IN_TOKEN));
  });
});

describe('parseMemberGroupsBody', () => {
  it('should read securityEnabledOnly when the body is valid JSON', () => {
    assert.deepEqual(parseMemberGroupsBody('{"securityEnabledOnly":true}'), { ok: true, value: true });
    assert.deepEqual(parseMemberGroupsBody('{"securityEnabledOnly":false}'), { ok: true, value: false });
  });

  it('should refuse when the body is not JSON, not an object, or lacks a boolean securityEnabledOnly', () => {
    for (const bad of [undefined, '', 'nope', '[]', 'null', '{}', '{"securityEnabledOnly":1}']) {
      assert.equal(parseMemberGroupsBody(bad).ok, false, String(bad));
    }
  });
});
