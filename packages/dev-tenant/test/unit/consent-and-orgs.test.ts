import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AssertionBook } from '../../src/client-auth.ts';
import { ConsentBook, consentView } from '../../src/consent.ts';
import type { TenantContext } from '../../src/context.ts';
import { createOrganizations, GUEST_TENANT_ID, GUEST_USERS, userTenant } from '../../src/organizations.ts';
import { DEMO_USERS } from '../../src/users.ts';

describe('AssertionBook', () => {
  const exp = Math.floor(Date.now() / 1000) + 300;

  it('should admit the same assertion twice when msal-node re-sends its cached one', () => {
    const book = new AssertionBook();
    assert.equal(book.admit('jti-1', exp, 'a.b.c'), true);
    assert.equal(book.admit('jti-1', exp, 'a.b.c'), true);
  });

  it('should refuse another assertion when it reuses a jti', () => {
    const book = new AssertionBook();
    assert.equal(book.admit('jti-1', exp, 'a.b.c'), true);
    assert.equal(book.admit('jti-1', exp, 'a.b.d'), false);
  });

  it('should forget a jti when its assertion has expired', () => {
    const book = new AssertionBook();
    assert.equal(book.admit('jti-1', exp - 600, 'a.b.c'), true);
    assert.equal(book.admit('jti-2', exp, 'x.y.z'), true);
    assert.equal(book.admit('jti-1', exp, 'a.b.d'), true);
  });
});

describe('ConsentBook and consentView', () => {
  it('should remember only non-admin-consented permissions per oid when a user consents', () => {
    const book = new ConsentBook();
    book.add('oid-1', ['User.Read', 'User.Read.All']);
    assert.deepEqual(book.consented('oid-1'), ['User.Read.All']);
    assert.deepEqual(book.consented('oid-2'), []);
  });

  it('should list admin-consented permissions first, then the ones asked now, when a picker is shown', () => {
    assert.deepEqual(consentView('https://graph.microsoft.com/User.Read.All openid User.Read'), [
      { permission: 'User.Read', admin: true },
      { permission: 'User.ReadBasic.All', admin: true },
      { permission: 'User.Read.All', admin: false },
      { permission: 'openid', admin: false },
    ]);
  });
});

describe('organizations', () => {
  const home = { tenantId: '11111111-1111-4111-8111-111111111111', issuer: 'https://localhost:1/11111111-1111-4111-8111-111111111111/v2.0', origin: 'https://localhost:1', users: DEMO_USERS };
  const orgs = createOrganizations(home);

  it('should give each user the tid and iss of their own directory when tokens are issued', () => {
    const tenant = { tenantId: home.tenantId, issuer: 'https://localhost:1/organizations/v2.0', organizations: orgs } as unknown as TenantContext;
    assert.deepEqual(userTenant(tenant, GUEST_USERS[0]), { tenantId: GUEST_TENANT_ID, issuer: `https://localhost:1/${GUEST_TENANT_ID}/v2.0` });
    assert.equal(userTenant(tenant, DEMO_USERS[0]).issuer, home.issuer);
    assert.equal(userTenant(tenant, undefined).issuer, 'https://localhost:1/organizations/v2.0');
  });

  it('should keep the guest organisation\'s users fixed, under their own domain, one of them an Employee', () => {
    assert.equal(GUEST_USERS.length, 2);
    assert.ok(GUEST_USERS.every((u) => u.userPrincipalName.endsWith('@fabrikam.devtenant.example')));
    assert.deepEqual(GUEST_USERS.map((u) => u.roles), [['Employee'], []]);
    assert.equal(orgs.byTenantId(GUEST_TENANT_ID)?.users, GUEST_USERS);
  });
});
