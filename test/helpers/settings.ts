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
