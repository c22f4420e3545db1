import type { RawSettings } from '../../src/config/index.ts';

/** Raw settings with nothing set, plus `overrides`: what readSettings returns for an empty environment. */
export function rawSettings(overrides: Partial<RawSettings> = {}): RawSettings {
  return {
    authorityType: undefined, clientId: undefined, clientSecret: undefined, authority: undefined, redirectUri: undefined,
    scopes: undefined, responseType: undefined, graphEndpoint: undefined, authEndpoints: {}, port: undefined,
    sessionSecret: undefined, nodeEnv: undefined, httpTimeoutMs: undefined, clockSkewSeconds: undefined,
    allowedTenantIds: undefined, sessionIdleTimeoutSeconds: undefined, sessionMaxAgeSeconds: undefined,
    authRateLimitPerMinute: undefined, extraCaCertsFile: undefined, trustProxy: undefined, redisUrl: undefined,
    dataDir: undefined, tokenCacheKeys: undefined, logLevel: undefined, notice: undefined,
    ...overrides,
  };
}

/** A complete single-tenant configuration that buildConfig accepts: the base the config unit tests vary one key of. */
export const VALID_SETTINGS: RawSettings = rawSettings({
  authorityType: 'SINGLE_TENANT',
  clientId: '11111111-2222-3333-4444-555555555555',
  clientSecret: 'a-secret-value',
  authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
  scopes: ['User.ReadBasic.All'],
  responseType: 'code',
});
