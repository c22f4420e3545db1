import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildConfig, ConfigError, wantsDevTenant } from '../../../src/config/index.ts';
import type { RawSettings } from '../../../src/config/index.ts';
import { VALID_SETTINGS } from '../../helpers/settings.ts';

const valid = VALID_SETTINGS;

const KEYS = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

function rejects(overrides: Partial<RawSettings>, key: string, pattern: RegExp): void {
  assert.throws(() => buildConfig({ ...valid, ...overrides }), (error: unknown) => {
    assert.ok(error instanceof ConfigError, 'a ConfigError');
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.key, key);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('buildConfig', () => {
  it('should apply the documented defaults when only the tenant is given', () => {
    const config = buildConfig(valid);
    assert.equal(config.port, 8000);
    assert.equal(config.redirectUri, 'http://localhost:8000/auth/redirect');
    assert.equal(config.postSignOutRedirectUri, 'http://localhost:8000/auth/post_sign_out');
    assert.equal(config.graphEndpoint, 'https://graph.microsoft.com/v1.0');
    assert.deepEqual(config.signInScopes, ['User.ReadBasic.All']);
    assert.deepEqual(config.graphScopes, ['User.ReadBasic.All']);
    assert.equal(config.secureCookies, false);
    assert.equal(config.sessionSecretGenerated, true);
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.signInScopes));
  });

  it('should strip a trailing slash from the authority and the Graph endpoint', () => {
    const config = buildConfig({ ...valid, authority: 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com/', graphEndpoint: 'https://graph.microsoft.us/v1.0/' });
    assert.equal(config.authority, 'https://contoso.ciamlogin.com/contoso.onmicrosoft.com');
    assert.equal(config.graphEndpoint, 'https://graph.microsoft.us/v1.0');
  });

  it('should name CLIENT_ID when it is still the sample placeholder', () => {
    rejects({ clientId: '{enter-your-client-id-here}' }, 'CLIENT_ID', /^CLIENT_ID is "\{enter-your-client-id-here\}": set it in \.env \(see \.env\.sample\)$/);
  });

  it('should name CLIENT_ID when it is not a GUID', () => rejects({ clientId: 'my-app' }, 'CLIENT_ID', /not a GUID/));

  it('should never print the secret when CLIENT_SECRET is a placeholder', () => {
    rejects({ clientSecret: '{enter-your-client-secret-here}' }, 'CLIENT_SECRET', /^CLIENT_SECRET is still a placeholder/);
  });

  it('should name CLIENT_SECRET when it is missing', () => rejects({ clientSecret: undefined }, 'CLIENT_SECRET', /not set/));

  it('should name AUTHORITY when it is http, has no tenant, or is the placeholder', () => {
    rejects({ authority: 'http://login.microsoftonline.com/x' }, 'AUTHORITY', /must use https/);
    rejects({ authority: 'https://login.microsoftonline.com/' }, 'AUTHORITY', /has no tenant/);
    rejects({ authority: 'https://login.microsoftonline.com/{enter-your-tenant-id-here}' }, 'AUTHORITY', /set it in \.env/);
    rejects({ authority: 'login.microsoftonline.com/x' }, 'AUTHORITY', /not an absolute URL/);
  });

  it('should refuse an http redirect URI that is not localhost', () => {
    rejects({ redirectUri: 'http://app.contoso.com/auth/redirect' }, 'REDIRECT_URI', /must be https/);
  });

  it('should refuse a redirect URI that does not end in the redirect route', () => {
    rejects({ redirectUri: 'http://localhost:8000/getAToken' }, 'REDIRECT_URI', /\/auth\/redirect/);
  });

  it('should require https and a session secret when NODE_ENV=production', () => {
    rejects({ nodeEnv: 'production', redirectUri: 'https://app.contoso.com/auth/redirect' }, 'SESSION_SECRET', /required when NODE_ENV=production/);
    rejects({ nodeEnv: 'production', sessionSecret: 'x'.repeat(40) }, 'REDIRECT_URI', /must be https when NODE_ENV=production/);
  });

  it('should use secure cookies when the redirect URI is https', () => {
    const config = buildConfig({ ...valid, redirectUri: 'https://app.contoso.com/auth/redirect', sessionSecret: 'x'.repeat(40), tokenCacheKeys: KEYS });
    assert.equal(config.secureCookies, true);
    assert.equal(config.postSignOutRedirectUri, 'https://app.contoso.com/auth/post_sign_out');
  });

  it('should apply the production rules when the redirect URI is not localhost, whatever NODE_ENV says', () => {
    const deployed = { redirectUri: 'https://app.contoso.com/auth/redirect' };
    for (const nodeEnv of [undefined, 'development', 'test']) {
      rejects({ ...deployed, nodeEnv, tokenCacheKeys: KEYS }, 'SESSION_SECRET', /required when the redirect URI's host app\.contoso\.com is not localhost/);
      rejects({ ...deployed, nodeEnv, sessionSecret: 'x'.repeat(40) }, 'TOKEN_CACHE_KEYS', /required when the redirect URI's host app\.contoso\.com is not localhost/);
    }
    assert.equal(buildConfig({ ...valid, ...deployed, sessionSecret: 'x'.repeat(40), tokenCacheKeys: KEYS }).production, true);
  });

  it('should keep the development defaults when the redirect URI is on localhost and NODE_ENV is unset', () => {
    for (const redirectUri of [undefined, 'http://127.0.0.1:8000/auth/redirect', 'https://localhost:8443/auth/redirect']) {
      const config = buildConfig({ ...valid, redirectUri });
      assert.equal(config.production, false, String(redirectUri));
      assert.equal(config.sessionSecretGenerated, true);
      assert.equal(config.tokenCacheKeys, undefined);
    }
  });

  it('should name TOKEN_CACHE_KEYS and the repeated id, never a key, when a key id appears twice', () => {
    const newer = Buffer.alloc(32, 1).toString('base64');
    const older = Buffer.alloc(32, 2).toString('base64');
    rejects({ tokenCacheKeys: `k1:${newer},k2:${older},k1:${older}` }, 'TOKEN_CACHE_KEYS', /key id "k1" appears more than once/);
    assert.throws(() => buildConfig({ ...valid, tokenCacheKeys: `k1:${newer},k1:${older}` }), (error: Error) => !error.message.includes(newer) && !error.message.includes(older));
  });

  it('should default the sign-in limits to 1200 starts and 600 callbacks a minute per address, and name a bad value\'s key', () => {
    const config = buildConfig(valid);
    assert.equal(config.authRateLimitPerMinute, 1200);
    assert.equal(config.authCallbackRateLimitPerMinute, 600);
    assert.equal(buildConfig({ ...valid, authCallbackRateLimitPerMinute: '50' }).authCallbackRateLimitPerMinute, 50);
    rejects({ authRateLimitPerMinute: '0' }, 'AUTH_RATE_LIMIT_PER_MINUTE', /AUTH_RATE_LIMIT_PER_MINUTE/);
    rejects({ authCallbackRateLimitPerMinute: 'many' }, 'AUTH_CALLBACK_RATE_LIMIT_PER_MINUTE', /AUTH_CALLBACK_RATE_LIMIT_PER_MINUTE/);
  });

  it('should name PORT, scopes, response_type and authority_type when malformed', () => {
    rejects({ port: '80a' }, 'PORT', /whole number/);
    rejects({ scopes: ['two words'] }, 'auth_request.scopes', /list of scope names/);
    rejects({ graphScopes: [] }, 'graph.scopes', /non-empty list/);
    rejects({ responseType: 'id_token' }, 'auth_request.response_type', /must be "code"/);
    rejects({ authorityType: 'TENANTLESS' }, 'type.authority_type', /SINGLE_TENANT, MULTI_TENANT, EXTERNAL_ID, B2C/);
    rejects({ sessionSecret: 'short' }, 'SESSION_SECRET', /too short/);
  });

  it('should follow custom auth endpoint names in the redirect route', () => {
    const config = buildConfig({ ...valid, authEndpoints: { prefix: 'identity', redirect: 'callback' } });
    assert.equal(config.redirectUri, 'http://localhost:8000/identity/callback');
    rejects({ authEndpoints: { prefix: '../x' } }, 'express.auth_endpoints.prefix', /one path segment/);
  });
});

describe('wantsDevTenant', () => {
  it('should be true when client id and authority are both placeholders', () => {
    assert.equal(wantsDevTenant({ ...valid, clientId: '{enter-your-client-id-here}', authority: 'https://login.microsoftonline.com/{enter-your-tenant-id-here}' }), true);
  });

  it('should be false when either is configured, so the missing one is reported instead', () => {
    assert.equal(wantsDevTenant({ ...valid, clientId: '{enter-your-client-id-here}' }), false);
    assert.equal(wantsDevTenant(valid), false);
  });
});

describe('readSettings', () => {
  it('should let the environment shadow .env, even with an empty value, and fall back to aad.config.json', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { readSettings } = await import('../../../src/config/index.ts');
    const dir = mkdtempSync(join(tmpdir(), 'config-test-'));
    writeFileSync(join(dir, 'aad.config.json'), JSON.stringify({ client: { client_id: '{enter-your-client-id-here}', authority: 'https://a.example/t' } }));
    writeFileSync(join(dir, '.env'), 'CLIENT_ID=22222222-2222-2222-2222-222222222222\nAUTHORITY=https://b.example/t\nPORT=9000\n');
    const raw = readSettings({ cwd: dir, env: { CLIENT_ID: '', PORT: '8001' } });
    assert.equal(raw.clientId, '{enter-your-client-id-here}', 'an empty CLIENT_ID hides .env and falls back to the file');
    assert.equal(raw.port, '8001', 'the environment wins over .env');
    assert.equal(raw.authority, 'https://b.example/t', '.env wins over the file');
  });
});
