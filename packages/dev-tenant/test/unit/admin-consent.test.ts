import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { adminApprovalNeeded, isAdministrator } from '../../src/admin-consent.ts';
import { ConsentBook } from '../../src/consent.ts';
import { DEMO_USERS } from '../../src/users.ts';

const byName = (name: string) => DEMO_USERS.find((u) => u.displayName === name)!;

describe('adminApprovalNeeded', () => {
  it('should make Johanna Lorenz the only administrator when the demo users are built', () => {
    assert.deepEqual(DEMO_USERS.filter(isAdministrator).map((u) => u.displayName), ['Johanna Lorenz']);
  });

  it('should list the admin-only permissions a plain user asks for until they are granted tenant-wide', () => {
    const book = new ConsentBook();
    const patti = byName('Patti Fernandez');
    const scope = 'openid User.Read https://graph.microsoft.com/GroupMember.Read.All Directory.Read.All';
    assert.deepEqual(adminApprovalNeeded(scope, book, patti), ['GroupMember.Read.All', 'Directory.Read.All']);
    assert.deepEqual(adminApprovalNeeded(scope, book, byName('Johanna Lorenz')), [], 'an administrator may consent');
    book.grantTenantWide('GroupMember.Read.All');
    assert.deepEqual(adminApprovalNeeded(scope, book, patti), ['Directory.Read.All']);
    assert.ok(book.adminConsented().includes('GroupMember.Read.All'));
    assert.deepEqual(adminApprovalNeeded('openid User.ReadBasic.All', book, patti), []);
  });
});
