import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildConfig, ConfigError } from '../../../src/config/index.ts';
import type { RawSettings } from '../../../src/config/index.ts';
import { rawSettings } from '../../helpers/settings.ts';

const base: RawSettings = rawSettings({
  authorityType: 'SINGLE_TENANT',
  clientId: '11111111-2222-3333-4444-555555555555',
  clientSecret: 'a-secret-value',
  authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
});

function config(overrides: Partial<RawSettings>) {
  return buildConfig({ ...base, ...overrides });
}

function rejects(overrides: Partial<RawSettings>, key: string, pattern: RegExp): void {
  assert.throws(() => config(overrides), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.key, key);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('authority types', () => {
  it('should accept organizations and common as MULTI_TENANT authorities', () => {
    for (const path of ['organizations', 'common']) {
      const c = config({ authorityType: 'MULTI_TENANT', authority: `https://login.microsoftonline.com/${path}/` });
      assert.equal(c.authorityType, 'MULTI_TENANT');
      assert.equal(c.authority, `https://login.microsoftonline.com/${path}`);
    }
  });

  it('should refuse a multi-tenant path for a single tenant and a tenant for MULTI_TENANT, naming the fix', () => {
    rejects({ authority: 'https://login.microsoftonline.com/organizations' }, 'AUTHORITY', /set AUTHORITY_TYPE=MULTI_TENANT/);
    rejects({ authority: 'https://login.microsoftonline.com/common' }, 'AUTHORITY', /set AUTHORITY_TYPE=MULTI_TENANT/);
    rejects({ authorityType: 'MULTI_TENANT' }, 'AUTHORITY', /one tenant but the authority type is MULTI_TENANT/);
  });

  it('should let AUTHORITY_TYPE from the environment win over the file', () => {
    const c = config({ authorityTypeOverride: 'MULTI_TENANT', authority: 'https://login.microsoftonline.com/organizations' });
    assert.equal(c.authorityType, 'MULTI_TENANT');
    rejects({ authorityTypeOverride: 'WORKFORCE' }, 'AUTHORITY_TYPE', /must be one of/);
  });

  it('should read both External ID forms as the same tenant when the host is ciamlogin.com', () => {
    const bare = config({ authority: 'https://contoso.ciamlogin.com/' });
    const full = config({ authority: 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com' });
    assert.equal(bare.authorityType, 'EXTERNAL_ID');
    assert.equal(bare.authority, 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com');
    assert.equal(full.authority, bare.authority);
    const byId = config({ authority: 'https://contoso.ciamlogin.com/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' });
    assert.equal(byId.authority, 'https://contoso.ciamlogin.com/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
  });

  it('should take an External ID custom domain when AUTHORITY_TYPE says EXTERNAL_ID', () => {
    const c = config({ authorityTypeOverride: 'EXTERNAL_ID', authority: 'https://login.contoso.com/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' });
    assert.equal(c.authorityType, 'EXTERNAL_ID');
    assert.equal(c.userFlows.signIn, 'https://login.contoso.com/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    rejects({ authorityTypeOverride: 'EXTERNAL_ID', authority: 'https://login.contoso.com/' }, 'AUTHORITY', /has no tenant/);
  });

  it('should refuse a ciamlogin.com authority declared as another non-default type', () => {
    rejects({ authorityTypeOverride: 'MULTI_TENANT', authority: 'https://contoso.ciamlogin.com/' }, 'AUTHORITY_TYPE', /which is EXTERNAL_ID/);
  });

  it('should build one authority per B2C user flow from the b2c section', () => {
    const c = config({
      authority: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com/',
      b2cPolicies: { susi: 'B2C_1_susi', password: '/B2C_1_reset', profile: 'B2C_1_edit_profile' },
    });
    assert.equal(c.authorityType, 'B2C');
    assert.deepEqual({ ...c.userFlows }, {
      signIn: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_susi',
      passwordReset: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_reset',
      editProfile: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_edit_profile',
    });
    assert.equal(c.authority, c.userFlows.signIn);
    assert.deepEqual(c.signInScopes, [], 'B2C signs in with OpenID scopes only by default');
  });

  it('should take the sign-in user flow from the authority path and leave the optional flows out', () => {
    const c = config({ authority: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_signin' });
    assert.deepEqual({ ...c.userFlows }, { signIn: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_signin' });
  });

  it('should name b2c.susi when B2C has no sign-in user flow, and refuse a malformed one', () => {
    rejects({ authority: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com' }, 'b2c.susi', /b2c\.susi is not set/);
    rejects({ authority: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com', b2cPolicies: { susi: 'B2C 1' } }, 'b2c.susi', /user-flow name/);
    rejects({ b2cPolicies: { susi: 'B2C_1_susi' } }, 'b2c.susi', /set AUTHORITY_TYPE=B2C/);
  });

  it('should accept a custom policy (B2C_1A_…) as the sign-up/sign-in flow when b2c.susi names one', () => {
    const c = config({ authority: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com', b2cPolicies: { susi: 'B2C_1A_signup_signin' } });
    assert.equal(c.userFlows.signIn, 'https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1A_signup_signin');
  });

  it('should refuse ALLOWED_TENANT_IDS in one line naming the key and why when the authority is B2C', () => {
    const b2c = { authority: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com', b2cPolicies: { susi: 'B2C_1_susi' } };
    rejects({ ...b2c, allowedTenantIds: '11111111-2222-3333-4444-555555555555' }, 'ALLOWED_TENANT_IDS',
      /^ALLOWED_TENANT_IDS cannot be used with Azure AD B2C \(B2C tokens carry no tid by default.*: remove ALLOWED_TENANT_IDS$/);
    assert.throws(() => config({ ...b2c, allowedTenantIds: 'x' }), /no tid/, 'refused before the GUID check');
    assert.deepEqual(config({ ...b2c, allowedTenantIds: ' , ' }).allowedTenants, [], 'an empty list is no setting');
    assert.deepEqual(config({ allowedTenantIds: '11111111-2222-3333-4444-555555555555' }).allowedTenants, ['11111111-2222-3333-4444-555555555555']);
  });
});

describe('sovereign clouds', () => {
  it('should default GRAPH_ENDPOINT to the Graph of the authority\'s cloud', () => {
    assert.equal(config({ authority: 'https://login.microsoftonline.us/contoso.onmicrosoft.us' }).graphEndpoint, 'https://graph.microsoft.us/v1.0');
    assert.equal(config({ authority: 'https://login.partner.microsoftonline.cn/contoso.partner.onmschina.cn' }).graphEndpoint, 'https://microsoftgraph.chinacloudapi.cn/v1.0');
    assert.equal(config({}).graphEndpoint, 'https://graph.microsoft.com/v1.0');
  });

  it('should accept the DoD Graph for US Government and refuse another cloud\'s Graph', () => {
    const us = config({ authority: 'https://login.microsoftonline.us/contoso.onmicrosoft.us', graphEndpoint: 'https://dod-graph.microsoft.us/v1.0' });
    assert.equal(us.graphEndpoint, 'https://dod-graph.microsoft.us/v1.0');
    rejects({ authority: 'https://login.microsoftonline.us/contoso.onmicrosoft.us', graphEndpoint: 'https://graph.microsoft.com/v1.0' },
      'GRAPH_ENDPOINT', /not the Microsoft Graph of login\.microsoftonline\.us's cloud: use https:\/\/graph\.microsoft\.us\/v1\.0/);
    rejects({ graphEndpoint: 'https://graph.microsoft.us/v1.0' }, 'GRAPH_ENDPOINT', /use https:\/\/graph\.microsoft\.com\/v1\.0/);
  });
});

describe('scopes and roles', () => {
  it('should ask Graph scopes at first use when sign-in asks none', () => {
    const c = config({ scopes: [], graphScopes: ['User.Read.All'] });
    assert.deepEqual(c.signInScopes, []);
    assert.deepEqual(c.graphScopes, ['User.Read.All']);
  });

  it('should default the Graph scopes to User.Read for External ID and User.ReadBasic.All otherwise when graph.scopes is null or unset', () => {
    const externalId = { authority: 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com', scopes: [] };
    assert.deepEqual(config({ ...externalId, graphScopes: null }).graphScopes, ['User.Read']);
    assert.deepEqual(config({ authority: externalId.authority }).signInScopes, ['User.Read']);
    assert.deepEqual(config({ scopes: [], graphScopes: null }).graphScopes, ['User.ReadBasic.All']);
    assert.deepEqual(config({ ...externalId, graphScopes: ['User.ReadBasic.All'] }).graphScopes, ['User.ReadBasic.All'], 'a value set explicitly wins');
  });

  it('should read the dashboard roles from the file or a comma-separated variable, Employee by default', () => {
    assert.deepEqual(config({}).dashboardRoles, ['Employee']);
    assert.deepEqual(config({ dashboardRoles: ['Adjuster'] }).dashboardRoles, ['Adjuster']);
    assert.deepEqual(config({ dashboardRoles: 'Employee, Auditor' }).dashboardRoles, ['Employee', 'Auditor']);
    rejects({ dashboardRoles: ['two words'] }, 'app_roles.claims_dashboard', /without spaces/);
    rejects({ dashboardRoles: [] }, 'app_roles.claims_dashboard', /without spaces/);
  });
});
