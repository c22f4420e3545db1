import { ConfigError } from './errors.ts';
import { isGuid } from '../guid.ts';
import { authorityOf, graphEndpointOf, logoutIdTokenHintOf } from './authority.ts';
import { credentialOf } from './credentials.ts';
import { integer, isPlaceholder, parseUrl, Problems, required } from './parse.ts';
import { sessionSecretOf, storageOf, trustProxyOf } from './runtime.ts';
import { roleTenantsOf } from './role-tenants.ts';
import { allowedTenantsOf, defaultGraphScopes, rolesOf, scopeList } from './access.ts';
import type { AuthEndpoints, AuthorityType, ClientCredential, Config, RawSettings } from './types.ts';

const SEGMENT = /^[A-Za-z0-9_-]+$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const DEFAULT_ENDPOINTS: AuthEndpoints = {
  prefix: 'auth',
  signIn: 'sign_in',
  signUp: 'sign_up',
  editProfile: 'edit_profile',
  redirect: 'redirect',
  signOut: 'sign_out',
  postSignOut: 'post_sign_out',
  frontChannelLogout: 'front_channel_logout',
};

/**
 * True when no real tenant is configured (client id and authority both unset or placeholders):
 * the launcher then starts the development tenant and fills those values in.
 */
export function wantsDevTenant(raw: RawSettings): boolean {
  return isPlaceholder(raw.clientId) && isPlaceholder(raw.authority);
}

function endpointsOf(raw: RawSettings): AuthEndpoints {
  const result: Record<string, string> = { ...DEFAULT_ENDPOINTS };
  const names: Record<keyof AuthEndpoints, string> = {
    prefix: 'prefix', signIn: 'sign_in', signUp: 'sign_up', editProfile: 'edit_profile',
    redirect: 'redirect', signOut: 'sign_out', postSignOut: 'post_sign_out', frontChannelLogout: 'front_channel_logout',
  };
  for (const [prop, jsonName] of Object.entries(names)) {
    const value = raw.authEndpoints[jsonName];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !SEGMENT.test(value)) {
      throw new ConfigError(`express.auth_endpoints.${jsonName}`,
        `express.auth_endpoints.${jsonName} in aad.config.json must be one path segment of letters, digits, _ or -`);
    }
    result[prop] = value;
  }
  return result as unknown as AuthEndpoints;
}

/**
 * Why the production rules apply (SESSION_SECRET and TOKEN_CACHE_KEYS required, no generated key file,
 * https redirect URI), or undefined for local development. A redirect URI whose host is not loopback is a
 * real deployment whatever NODE_ENV says: forgetting NODE_ENV must not quietly weaken it. `npm start` on
 * localhost (the development tenant included) keeps working with no settings.
 */
export function productionReasonOf(nodeEnv: string | undefined, redirect: URL): string | undefined {
  if (nodeEnv === 'production') return 'NODE_ENV=production';
  if (!LOOPBACK.has(redirect.hostname)) return `the redirect URI's host ${redirect.hostname} is not localhost (a real deployment, whatever NODE_ENV says)`;
  return undefined;
}

function redirectUriOf(raw: RawSettings, port: number, endpoints: AuthEndpoints, production: boolean): URL {
  const expectedPath = `/${endpoints.prefix}/${endpoints.redirect}`;
  const value = raw.redirectUri ?? `http://localhost:${port}${expectedPath}`;
  const hint = `use e.g. http://localhost:${port}${expectedPath} and register the same URI in the app registration`;
  const url = parseUrl('REDIRECT_URI', value, hint);
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new ConfigError('REDIRECT_URI', `REDIRECT_URI "${value}" must be https (http is allowed only for localhost): ${hint}`);
  }
  if (production && url.protocol !== 'https:') {
    throw new ConfigError('REDIRECT_URI', `REDIRECT_URI "${value}" must be https when NODE_ENV=production`);
  }
  if (url.pathname !== expectedPath || url.search || url.hash) {
    throw new ConfigError('REDIRECT_URI', `REDIRECT_URI "${value}" must end in the app's redirect route ${expectedPath}: ${hint}`);
  }
  return url;
}

/** Stand-ins for a value that failed validation, so that the steps after it still run. */
const STAND_IN = { clientId: '00000000-0000-0000-0000-000000000000', authority: 'https://localhost/unchecked' } as const;

function clientIdOf(raw: RawSettings): string {
  if (raw.responseType !== undefined && raw.responseType !== 'code') {
    throw new ConfigError('auth_request.response_type',
      `auth_request.response_type "${raw.responseType}" in aad.config.json must be "code" (the authorization code flow)`);
  }
  const clientId = required('CLIENT_ID', raw.clientId);
  if (!isGuid(clientId)) {
    throw new ConfigError('CLIENT_ID', `CLIENT_ID "${clientId}" is not a GUID: copy the Application (client) ID from the app registration's Overview page`);
  }
  return clientId;
}

/** Validates raw settings into a frozen Config, or throws the first ConfigError, naming the key and the fix. */
export function buildConfig(raw: RawSettings): Config {
  const problems = new Problems();
  const config = assemble(raw, problems);
  if (problems.list[0]) throw problems.list[0];
  return config;
}

/**
 * Every ConfigError of `raw`, from the same steps as `buildConfig` (npm run check-config reports them all),
 * and the config those steps built, with stand-ins where a value failed.
 */
export function collectConfigProblems(raw: RawSettings): { problems: ConfigError[]; draft: Config } {
  const problems = new Problems();
  const draft = assemble(raw, problems);
  return { problems: problems.list, draft };
}

function assemble(raw: RawSettings, p: Problems): Config {
  const clientId = p.check(() => clientIdOf(raw), STAND_IN.clientId);
  const { type: authorityType, flows } = p.check(() => authorityOf(raw, required('AUTHORITY', raw.authority)),
    { type: 'SINGLE_TENANT' as AuthorityType, flows: { signIn: STAND_IN.authority } });
  const credential = p.check((): ClientCredential => credentialOf(raw), { kind: 'secret', secret: '' });
  const signInScopes = p.check(() => scopeList('auth_request.scopes', raw.scopes, authorityType === 'B2C' ? [] : defaultGraphScopes(authorityType), true), []);
  const port = p.check(() => integer('PORT', raw.port, 8000, 0, 65535), 8000);
  const authEndpoints = p.check(() => endpointsOf(raw), DEFAULT_ENDPOINTS);
  const redirect = p.check(() => redirectUriOf(raw, port, authEndpoints, raw.nodeEnv === 'production'),
    new URL(`http://localhost:${port}/${authEndpoints.prefix}/${authEndpoints.redirect}`));
  const production = productionReasonOf(raw.nodeEnv, redirect);
  const session = p.check(() => sessionSecretOf(raw, production), { secret: '', generated: true });
  const allowedTenants = p.check(() => allowedTenantsOf(raw, authorityType), []);
  const int = (key: string, value: string | undefined, fallback: number, min: number, max: number) =>
    p.check(() => integer(key, value, fallback, min, max), fallback);
  return Object.freeze({
    authorityType,
    clientId,
    credential,
    authority: flows.signIn,
    userFlows: Object.freeze(flows),
    redirectUri: redirect.href,
    postSignOutRedirectUri: new URL(`/${authEndpoints.prefix}/${authEndpoints.postSignOut}`, redirect.origin).href,
    logoutIdTokenHint: p.check(() => logoutIdTokenHintOf(raw, authorityType), false),
    signInScopes: Object.freeze(signInScopes),
    graphScopes: Object.freeze(p.check(() => scopeList('graph.scopes', raw.graphScopes, signInScopes.length > 0 ? signInScopes : defaultGraphScopes(authorityType), false), [])),
    groupScopes: Object.freeze(p.check(() => scopeList('groups.scopes', raw.groupScopes, ['GroupMember.Read.All'], false), [])),
    dashboardRoles: p.check(() => rolesOf(raw.dashboardRoles), []),
    graphEndpoint: p.check(() => graphEndpointOf(raw, flows.signIn), ''),
    authEndpoints: Object.freeze(authEndpoints),
    port,
    sessionSecret: session.secret,
    sessionSecretGenerated: session.generated,
    secureCookies: redirect.protocol === 'https:',
    production: production !== undefined,
    trustProxy: p.check(() => trustProxyOf(raw), false),
    httpTimeoutMs: int('HTTP_TIMEOUT_MS', raw.httpTimeoutMs, 10_000, 100, 120_000),
    clockSkewSeconds: int('CLOCK_SKEW_SECONDS', raw.clockSkewSeconds, 60, 0, 600),
    allowedTenants,
    roleTenants: p.check(() => roleTenantsOf(raw, authorityType, allowedTenants), []),
    sessionIdleTimeoutSeconds: int('SESSION_IDLE_TIMEOUT_SECONDS', raw.sessionIdleTimeoutSeconds, 3600, 1, 86_400),
    sessionMaxAgeSeconds: int('SESSION_MAX_AGE_SECONDS', raw.sessionMaxAgeSeconds, 8 * 3600, 1, 30 * 86_400),
    // An office of 300 behind one NAT signing in within a minute, twice each, with headroom (docs/production.md, "Sign-in limits").
    authRateLimitPerMinute: int('AUTH_RATE_LIMIT_PER_MINUTE', raw.authRateLimitPerMinute, 1200, 1, 100_000),
    authCallbackRateLimitPerMinute: int('AUTH_CALLBACK_RATE_LIMIT_PER_MINUTE', raw.authCallbackRateLimitPerMinute, 600, 1, 100_000),
    ...p.check(() => storageOf(raw, production), { redisUrl: undefined, dataDir: '', tokenCacheKeys: undefined, logLevel: 'info' as const }),
    notice: raw.notice,
  });
}
