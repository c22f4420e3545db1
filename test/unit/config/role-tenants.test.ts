import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildConfig, ConfigError, readSettings } from '../../../src/config/index.ts';
import type { RawSettings } from '../../../src/config/index.ts';
import { rawSettings } from '../../helpers/settings.ts';

const HOME = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const CUSTOMER = '5b8e6c1d-3f2a-4d7e-9c0b-8a1f2e3d4c5b';

const single: RawSettings = rawSettings({
  clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'a-secret-value', responseType: 'code',
  authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
});
const multi: RawSettings = { ...single, authorityTypeOverride: 'MULTI_TENANT', authority: 'https://login.microsoftonline.com/organizations' };

function rejects(raw: RawSettings, pattern: RegExp): void {
  assert.throws(() => buildConfig(raw), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.key, 'ROLE_TENANT_IDS');
    assert.match(error.message, /^ROLE_TENANT_IDS \(app_roles\.trusted_tenants in aad\.config\.json\)/);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('ROLE_TENANT_IDS', () => {
  it('should trust the issuer\'s one tenant when unset in a single-tenant, External ID or B2C app', () => {
    assert.equal(buildConfig(single).roleTenants, 'issuer');
    assert.equal(buildConfig({ ...single, authority: 'https://contoso.ciamlogin.com/' }).roleTenants, 'issuer');
    assert.equal(buildConfig({ ...single, authority: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com', b2cPolicies: { susi: 'B2C_1_susi' } }).roleTenants, 'issuer');
  });

  it('should trust no tenant\'s roles when unset in a multi-tenant app', () => {
    const config = buildConfig(multi);
    assert.deepEqual(config.roleTenants, []);
    assert.ok(Object.isFrozen(config.roleTenants));
  });

  it('should read a comma-separated list or a JSON list, in lower case and without duplicates, when set', () => {
    assert.deepEqual(buildConfig({ ...multi, roleTenantIds: ` ${HOME.toUpperCase()} , ${CUSTOMER},${HOME}` }).roleTenants, [HOME, CUSTOMER]);
    assert.deepEqual(buildConfig({ ...multi, roleTenantIds: [HOME] }).roleTenants, [HOME]);
    assert.deepEqual(buildConfig({ ...single, roleTenantIds: HOME }).roleTenants, [HOME], 'applied in a single-tenant app too');
  });

  it('should stop naming the key and the fix when a value is not a tenant id', () => {
    rejects({ ...multi, roleTenantIds: 'contoso.onmicrosoft.com' }, /has "contoso\.onmicrosoft\.com", which is not a tenant id \(GUID\): use the Directory \(tenant\) ID/);
    rejects({ ...multi, roleTenantIds: [HOME, 7] }, /must be tenant ids \(GUIDs\), comma-separated or a JSON list/);
    rejects({ ...multi, roleTenantIds: { tenant: HOME } }, /must be tenant ids/);
  });

  it('should stop when set with B2C, which issues no app roles', () => {
    rejects({ ...single, authority: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com', b2cPolicies: { susi: 'B2C_1_susi' }, roleTenantIds: HOME },
      /cannot be used with Azure AD B2C .*: remove it/);
  });

  it('should stop when it names a tenant that ALLOWED_TENANT_IDS keeps from signing in', () => {
    rejects({ ...multi, allowedTenantIds: HOME, roleTenantIds: `${HOME},${CUSTOMER}` }, new RegExp(`names ${CUSTOMER}, whose users ALLOWED_TENANT_IDS does not let sign in: add it to ALLOWED_TENANT_IDS, or remove it`));
    assert.deepEqual(buildConfig({ ...multi, allowedTenantIds: `${HOME},${CUSTOMER}`, roleTenantIds: HOME }).roleTenants, [HOME]);
  });

  it('should read ROLE_TENANT_IDS from the environment over app_roles.trusted_tenants in aad.config.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'role-tenants-'));
    writeFileSync(join(dir, 'aad.config.json'), JSON.stringify({ app_roles: { trusted_tenants: [HOME] } }));
    assert.deepEqual(readSettings({ cwd: dir, env: {} }).roleTenantIds, [HOME]);
    assert.equal(readSettings({ cwd: dir, env: { ROLE_TENANT_IDS: CUSTOMER } }).roleTenantIds, CUSTOMER);
  });
});
