import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NextFunction, Request, Response } from 'express';
import { b2cOutcome } from '../../../src/auth/b2c-errors.ts';
import { requireRoles, rolesOf } from '../../../src/auth/require-roles.ts';
import type { RoleTenants } from '../../../src/config/index.ts';
import { AppError } from '../../../src/errors.ts';

const HOME = '11111111-2222-4333-8444-555555555555';
const OTHER = '66666666-7777-4888-9999-aaaaaaaaaaaa';

describe('b2cOutcome', () => {
  it('should read the forgotten-password and cancel codes at the start of the description', () => {
    assert.equal(b2cOutcome('AADB2C90118: The user has forgotten their password.\r\nCorrelation ID: x'), 'password_reset');
    assert.equal(b2cOutcome('AADB2C90091: The user has cancelled entering self-asserted information.'), 'cancelled');
  });

  it('should ignore other codes, codes later in the text, and non-strings', () => {
    assert.equal(b2cOutcome('AADB2C90006: The redirect URI is not valid.'), undefined);
    assert.equal(b2cOutcome('Something AADB2C90118'), undefined);
    assert.equal(b2cOutcome(['AADB2C90118']), undefined);
    assert.equal(b2cOutcome(undefined), undefined);
  });
});

function run(roles: string[], claims: Record<string, unknown> | undefined, roleTenants: RoleTenants = 'issuer'): unknown {
  const req = { session: claims ? { user: { claims } } : {} } as unknown as Request;
  let passed: unknown = 'not called';
  const chain = requireRoles({ roleTenants }, ...(roles as [string, ...string[]]));
  const step = (i: number): void => {
    const handler = chain[i];
    if (!handler) return;
    handler(req, {} as Response, ((err?: unknown) => { passed = err; if (err === undefined) step(i + 1); }) as NextFunction);
  };
  step(0);
  return passed;
}

describe('requireRoles', () => {
  it('should let a user holding every role through', () => {
    assert.equal(run(['Employee'], { roles: ['Client', 'Employee'] }), undefined);
  });

  it('should answer 401 NOT_SIGNED_IN when nobody is signed in', () => {
    const error = run(['Employee'], undefined);
    assert.ok(error instanceof AppError);
    assert.equal(error.status, 401);
    assert.equal(error.code, 'NOT_SIGNED_IN');
  });

  it('should answer 403 ROLE_MISSING naming the missing role when a role is absent', () => {
    const error = run(['Employee', 'Auditor'], { roles: ['Employee'] });
    assert.ok(error instanceof AppError);
    assert.equal(error.status, 403);
    assert.equal(error.code, 'ROLE_MISSING');
    assert.equal(error.facts['Missing role'], 'Auditor');
    assert.match(error.detail ?? '', /“Auditor”/);
  });

  it('should read only string roles, and none from a malformed claim', () => {
    assert.deepEqual(rolesOf({ roles: ['A', 3, 'B'] }), ['A', 'B']);
    assert.deepEqual(rolesOf({ roles: 'Employee' }), []);
    assert.throws(() => requireRoles({ roleTenants: 'issuer' }), /at least one role/);
  });

  it('should let a user of a trusted tenant through when the app lists trusted role tenants', () => {
    assert.equal(run(['Employee'], { tid: HOME.toUpperCase(), roles: ['Employee'] }, [HOME]), undefined);
  });

  it('should answer 403 ROLES_UNTRUSTED saying roles from the user\'s organization are not trusted when the tenant is not listed', () => {
    const error = run(['Employee'], { tid: OTHER, roles: ['Employee'] }, [HOME]);
    assert.ok(error instanceof AppError);
    assert.equal(error.status, 403);
    assert.equal(error.code, 'ROLES_UNTRUSTED');
    assert.equal(error.facts['reason'], 'tenant_not_trusted');
    assert.equal(error.facts['Roles not trusted here'], 'Employee');
    assert.match(error.detail ?? '', /Roles from your organization are not trusted by this app/);
    assert.match(error.message, new RegExp(OTHER));
  });

  it('should answer 403 ROLES_UNTRUSTED naming ROLE_TENANT_IDS when a multi-tenant app trusts no tenant', () => {
    const error = run(['Employee'], { tid: HOME, roles: ['Employee'] }, []);
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'ROLES_UNTRUSTED');
    assert.equal(error.facts['reason'], 'no_trusted_tenants');
    assert.match(error.detail ?? '', /ROLE_TENANT_IDS \(app_roles\.trusted_tenants in aad\.config\.json\)/);
  });
});
