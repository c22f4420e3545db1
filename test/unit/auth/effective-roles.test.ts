import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectiveRoles } from '../../../src/auth/effective-roles.ts';

const HOME = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CUSTOMER = '5b8e6c1d-3f2a-4d7e-9c0b-8a1f2e3d4c5b';

describe('effectiveRoles', () => {
  it('should count every role of the token when the authority\'s one tenant is trusted (single-tenant)', () => {
    assert.deepEqual(effectiveRoles({ tid: HOME, roles: ['Employee', 'Client'] }, { roleTenants: 'issuer' }),
      { roles: ['Employee', 'Client'], ignored: [], untrusted: undefined, tenantId: HOME });
    assert.deepEqual(effectiveRoles({ roles: ['Employee'] }, { roleTenants: 'issuer' }).roles, ['Employee'], 'no tid needed');
  });

  it('should count the roles when the token\'s tid is a trusted tenant, whatever its case', () => {
    const result = effectiveRoles({ tid: HOME.toUpperCase(), roles: ['Employee'] }, { roleTenants: [CUSTOMER, HOME] });
    assert.deepEqual(result.roles, ['Employee']);
    assert.equal(result.untrusted, undefined);
  });

  it('should count no role, and say why, when the token comes from another tenant', () => {
    assert.deepEqual(effectiveRoles({ tid: CUSTOMER, roles: ['Employee'] }, { roleTenants: [HOME] }),
      { roles: [], ignored: ['Employee'], untrusted: 'tenant_not_trusted', tenantId: CUSTOMER });
  });

  it('should count no role when a multi-tenant app trusts no tenant, even the home tenant\'s', () => {
    assert.deepEqual(effectiveRoles({ tid: HOME, roles: ['Employee'] }, { roleTenants: [] }),
      { roles: [], ignored: ['Employee'], untrusted: 'no_trusted_tenants', tenantId: HOME });
  });

  it('should count no role when the tenant is unknown: tid missing or not a string', () => {
    assert.equal(effectiveRoles({ roles: ['Employee'] }, { roleTenants: [HOME] }).untrusted, 'tenant_not_trusted');
    assert.equal(effectiveRoles({ tid: [HOME], roles: ['Employee'] }, { roleTenants: [HOME] }).untrusted, 'tenant_not_trusted');
  });

  it('should mark the tenant untrusted even when the user has no roles to ignore', () => {
    assert.deepEqual(effectiveRoles({ tid: CUSTOMER }, { roleTenants: [HOME] }),
      { roles: [], ignored: [], untrusted: 'tenant_not_trusted', tenantId: CUSTOMER });
  });
});
