import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adminConsentRequired, adminOnlyPermissions } from '../../../src/auth/admin-consent.ts';
import { ErrorCode } from '../../../src/errors.ts';

const CLIENT_ID = '11111111-2222-3333-4444-555555555555';

describe('adminOnlyPermissions', () => {
  it('should pick the admin-only Graph permissions in either spelling when scopes are mixed', () => {
    assert.deepEqual(adminOnlyPermissions(['openid', 'User.Read', 'https://graph.microsoft.com/GroupMember.Read.All', 'Directory.Read.All']),
      ['GroupMember.Read.All', 'Directory.Read.All']);
    assert.deepEqual(adminOnlyPermissions(['User.ReadBasic.All', 'offline_access']), []);
  });
});

describe('adminConsentRequired', () => {
  it('should name the admin-only permission when access_denied answers a sign-in that asked for one', () => {
    const error = adminConsentRequired({ error: 'access_denied', error_subcode: 'cancel' }, ['openid', 'GroupMember.Read.All'], CLIENT_ID);
    assert.equal(error?.code, ErrorCode.ADMIN_CONSENT_REQUIRED);
    assert.equal(error?.status, 403);
    assert.equal(error?.facts['Permission needed'], 'GroupMember.Read.All');
    assert.match(String(error?.facts['Where an administrator grants it']), new RegExp(`client ID ${CLIENT_ID} › Permissions › Grant admin consent`));
  });

  it('should leave a plain access_denied alone when the sign-in asked for no admin-only permission', () => {
    assert.equal(adminConsentRequired({ error: 'access_denied' }, ['openid', 'User.Read'], CLIENT_ID), undefined);
    assert.equal(adminConsentRequired({ error: 'invalid_request', error_description: 'AADSTS90014: bad' }, ['GroupMember.Read.All'], CLIENT_ID), undefined);
  });

  it('should answer ADMIN_CONSENT_REQUIRED naming the asked scopes when Entra answers AADSTS90094, 90093 or 65001', () => {
    for (const code of ['90094', '90093', '65001']) {
      const error = adminConsentRequired({ error: 'access_denied', error_description: `AADSTS${code}: needs an admin.` }, ['openid', 'User.ReadBasic.All'], CLIENT_ID);
      assert.equal(error?.code, ErrorCode.ADMIN_CONSENT_REQUIRED, code);
      assert.equal(error?.facts['Permission needed'], 'User.ReadBasic.All');
    }
    assert.equal(adminConsentRequired({ error: 'consent_required' }, ['openid'], CLIENT_ID)?.facts['Permission needed'], 'the permissions listed in the app registration');
  });
});
