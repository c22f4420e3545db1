import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { logoutUrl } from '../../../src/auth/sign-out-url.ts';
import { buildConfig, ConfigError, readSettings } from '../../../src/config/index.ts';
import type { RawSettings } from '../../../src/config/index.ts';
import { rawSettings } from '../../helpers/settings.ts';

const CONFIG = { postSignOutRedirectUri: 'http://localhost:8000/auth/post_sign_out', clientId: '11111111-2222-3333-4444-555555555555' };
const END_SESSION = 'https://login.microsoftonline.com/contoso/oauth2/v2.0/logout';

describe('logoutUrl', () => {
  it('should send logout_hint = the ID token\'s login_hint when the claim is there', () => {
    const url = new URL(logoutUrl(END_SESSION, CONFIG, { login_hint: 'O.aGludA', preferred_username: 'megan@contoso.com' }));
    assert.equal(url.searchParams.get('logout_hint'), 'O.aGludA');
    assert.equal(url.searchParams.get('post_logout_redirect_uri'), CONFIG.postSignOutRedirectUri);
    assert.equal(url.searchParams.get('client_id'), CONFIG.clientId);
    assert.equal(url.searchParams.has('id_token_hint'), false);
  });

  it('should send no logout_hint, never a UPN or e-mail address, when the ID token has no login_hint', () => {
    for (const claims of [{ preferred_username: 'megan@contoso.com', email: 'megan@contoso.com' }, { login_hint: '' }, { login_hint: 42 }]) {
      assert.equal(new URL(logoutUrl(END_SESSION, CONFIG, claims)).searchParams.has('logout_hint'), false);
    }
  });

  it('should send id_token_hint only when one is given', () => {
    assert.equal(new URL(logoutUrl(END_SESSION, CONFIG, {}, 'eyJ.a.b')).searchParams.get('id_token_hint'), 'eyJ.a.b');
  });

  it('should go straight to the post-sign-out route when the authority has no end_session_endpoint', () => {
    assert.equal(logoutUrl(undefined, CONFIG, { login_hint: 'x' }, 'eyJ.a.b'), CONFIG.postSignOutRedirectUri);
  });
});

describe('B2C_LOGOUT_ID_TOKEN_HINT', () => {
  const b2c: RawSettings = rawSettings({
    clientId: CONFIG.clientId, clientSecret: 'a-secret-value', authorityTypeOverride: 'B2C',
    authority: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com', b2cPolicies: { susi: 'B2C_1_susi' },
  });

  it('should be off by default and on with "true" when the authority is B2C', () => {
    assert.equal(buildConfig(b2c).logoutIdTokenHint, false);
    assert.equal(buildConfig({ ...b2c, b2cLogoutIdTokenHint: 'true' }).logoutIdTokenHint, true);
    assert.equal(buildConfig({ ...b2c, b2cLogoutIdTokenHint: 'false' }).logoutIdTokenHint, false);
  });

  it('should stop the start naming the key when the value is not a boolean or the authority is not B2C', () => {
    const entra = { ...b2c, authorityTypeOverride: 'SINGLE_TENANT', authority: 'https://login.microsoftonline.com/contoso', b2cPolicies: {} };
    for (const [raw, pattern] of [[{ ...b2c, b2cLogoutIdTokenHint: 'yes' }, /must be true or false/], [{ ...entra, b2cLogoutIdTokenHint: 'true' }, /for Azure AD B2C only/]] as const) {
      assert.throws(() => buildConfig(raw), (error: unknown) => error instanceof ConfigError && error.key === 'B2C_LOGOUT_ID_TOKEN_HINT' && pattern.test(error.message));
    }
  });

  it('should read b2c.logout_id_token_hint from aad.config.json as a JSON boolean, the environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-test-'));
    writeFileSync(join(dir, 'aad.config.json'), JSON.stringify({ b2c: { logout_id_token_hint: true } }));
    assert.equal(readSettings({ cwd: dir, env: {} }).b2cLogoutIdTokenHint, 'true');
    assert.equal(readSettings({ cwd: dir, env: { B2C_LOGOUT_ID_TOKEN_HINT: 'false' } }).b2cLogoutIdTokenHint, 'false');
  });
});
