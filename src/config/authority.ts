/**
 * AUTHORITY, the authority type, B2C user flows and the Graph endpoint of the same cloud: validated
 * together, because each depends on the others.
 */
import { ConfigError } from './errors.ts';
import { parseUrl } from './parse.ts';
import type { AuthorityType, RawSettings, UserFlows } from './types.ts';

const AUTHORITY_TYPES: readonly AuthorityType[] = ['SINGLE_TENANT', 'MULTI_TENANT', 'EXTERNAL_ID', 'B2C'];
const MULTI_TENANT_PATHS = new Set(['organizations', 'common']);
const POLICY = /^[A-Za-z0-9_-]+$/;

/**
 * National clouds: each login host works only with its own Graph host
 * (https://learn.microsoft.com/graph/deployments#microsoft-graph-and-graph-explorer-service-root-endpoints).
 */
const CLOUDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['login.microsoftonline.com', ['graph.microsoft.com']],
  ['login.microsoftonline.us', ['graph.microsoft.us', 'dod-graph.microsoft.us']],
  ['login.partner.microsoftonline.cn', ['microsoftgraph.chinacloudapi.cn']],
  ['login.chinacloudapi.cn', ['microsoftgraph.chinacloudapi.cn']],
]);

const HINTS: Record<AuthorityType, string> = {
  SINGLE_TENANT: 'use https://login.microsoftonline.com/<tenant-id>',
  MULTI_TENANT: 'use https://login.microsoftonline.com/organizations (or /common)',
  EXTERNAL_ID: 'use https://<sub>.ciamlogin.com/ or https://<sub>.ciamlogin.com/<sub>.onmicrosoft.com',
  B2C: 'use https://<tenant>.b2clogin.com/<tenant>.onmicrosoft.com',
};

/** The type the host implies: ciamlogin.com is External ID, b2clogin.com is B2C; other hosts imply nothing. */
function impliedType(host: string): AuthorityType | undefined {
  if (host.endsWith('.ciamlogin.com')) return 'EXTERNAL_ID';
  if (host.endsWith('.b2clogin.com')) return 'B2C';
  return undefined;
}

/**
 * AUTHORITY_TYPE (environment) or `type.authority_type` (file); a ciamlogin.com or b2clogin.com
 * authority sets it when neither says otherwise than the sample's default SINGLE_TENANT, so the
 * External ID guide's four `.env` lines are enough.
 */
function typeOf(raw: RawSettings, host: string): AuthorityType {
  const key = raw.authorityTypeOverride !== undefined ? 'AUTHORITY_TYPE' : 'type.authority_type';
  const declared = raw.authorityTypeOverride ?? raw.authorityType;
  if (declared !== undefined && !AUTHORITY_TYPES.includes(declared as AuthorityType)) {
    throw new ConfigError(key, `${key} "${declared}" must be one of ${AUTHORITY_TYPES.join(', ')}`);
  }
  const implied = impliedType(host);
  if (implied && declared !== undefined && declared !== 'SINGLE_TENANT' && declared !== implied) {
    throw new ConfigError(key, `${key} is ${declared} but AUTHORITY is a ${host} address, which is ${implied}: set ${key} to ${implied} or fix AUTHORITY`);
  }
  return implied ?? (declared as AuthorityType | undefined) ?? 'SINGLE_TENANT';
}

function segmentsOf(value: string, hint: string): { url: URL; segments: string[] } {
  const url = parseUrl('AUTHORITY', value, hint);
  if (url.protocol !== 'https:') throw new ConfigError('AUTHORITY', `AUTHORITY "${value}" must use https: ${hint}`);
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError('AUTHORITY', `AUTHORITY "${value}" must not have a query, fragment or credentials: ${hint}`);
  }
  return { url, segments: url.pathname.split('/').filter(Boolean) };
}

function policyOf(key: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const name = value.replace(/^\/+/, '');
  if (!POLICY.test(name)) throw new ConfigError(key, `${key} "${value}" must be a user-flow name such as B2C_1_susi`);
  return name;
}

/** B2C: one authority per user flow, `<base>/<policy>` (the b2c section, or B2C_* variables). */
function b2cFlows(raw: RawSettings, origin: string, segments: string[], value: string): UserFlows {
  const hint = `${HINTS.B2C}, and set b2c.susi in aad.config.json (or B2C_SIGN_UP_SIGN_IN_POLICY)`;
  if (segments.length < 1 || segments.length > 2) {
    throw new ConfigError('AUTHORITY', `AUTHORITY "${value}" must be the B2C tenant, without a user flow: ${hint}`);
  }
  const base = `${origin}/${segments[0]}`;
  const policies = raw.b2cPolicies ?? {};
  const susi = policyOf('b2c.susi', policies.susi ?? segments[1]);
  if (!susi) throw new ConfigError('b2c.susi', `b2c.susi is not set: name the sign-up and sign-in user flow (e.g. "B2C_1_susi") in aad.config.json or B2C_SIGN_UP_SIGN_IN_POLICY`);
  const password = policyOf('b2c.password', policies.password);
  const profile = policyOf('b2c.profile', policies.profile);
  return {
    signIn: `${base}/${susi}`,
    ...(password ? { passwordReset: `${base}/${password}` } : {}),
    ...(profile ? { editProfile: `${base}/${profile}` } : {}),
  };
}

/** The sign-in authority for each type, normalised without a trailing slash; throws naming the fix. */
function signInAuthority(type: AuthorityType, url: URL, segments: string[], value: string): string {
  const hint = HINTS[type];
  const first = segments[0]?.toLowerCase();
  if (type === 'EXTERNAL_ID' && segments.length === 0 && url.hostname.endsWith('.ciamlogin.com')) {
    // https://<sub>.ciamlogin.com/ stands for the tenant <sub>.onmicrosoft.com, as MSAL reads it.
    return `${url.origin}/${url.hostname.split('.')[0]}.onmicrosoft.com`;
  }
  if (first === undefined) throw new ConfigError('AUTHORITY', `AUTHORITY "${value}" has no tenant: ${hint}`);
  if (segments.length !== 1) {
    throw new ConfigError('AUTHORITY', `AUTHORITY "${value}" must name exactly one tenant: ${hint}`);
  }
  if (type === 'MULTI_TENANT' && !MULTI_TENANT_PATHS.has(first)) {
    throw new ConfigError('AUTHORITY', `AUTHORITY "${value}" is one tenant but the authority type is MULTI_TENANT: ${hint}, or set AUTHORITY_TYPE=SINGLE_TENANT`);
  }
  if (type !== 'MULTI_TENANT' && (MULTI_TENANT_PATHS.has(first) || first === 'consumers')) {
    throw new ConfigError('AUTHORITY', `AUTHORITY "${value}" admits any organization: set AUTHORITY_TYPE=MULTI_TENANT (type.authority_type in aad.config.json), or name your tenant`);
  }
  return `${url.origin}/${segments[0]}`;
}

/**
 * B2C_LOGOUT_ID_TOKEN_HINT / `b2c.logout_id_token_hint`: "true" when the user flows have "Require ID
 * Token in logout requests" on, so sign-out must send `id_token_hint`
 * (https://learn.microsoft.com/azure/active-directory-b2c/session-behavior#secure-your-logout-redirect). B2C only.
 */
export function logoutIdTokenHintOf(raw: RawSettings, type: AuthorityType): boolean {
  const value = raw.b2cLogoutIdTokenHint;
  if (value === undefined) return false;
  if (value !== 'true' && value !== 'false') {
    throw new ConfigError('B2C_LOGOUT_ID_TOKEN_HINT', `B2C_LOGOUT_ID_TOKEN_HINT (b2c.logout_id_token_hint) must be true or false, got "${value}"`);
  }
  if (value === 'true' && type !== 'B2C') {
    throw new ConfigError('B2C_LOGOUT_ID_TOKEN_HINT', `B2C_LOGOUT_ID_TOKEN_HINT is for Azure AD B2C only, but the authority type is ${type}: remove it`);
  }
  return value === 'true';
}

/** Validates AUTHORITY against its type; B2C gets one authority per configured user flow. */
export function authorityOf(raw: RawSettings, value: string): { type: AuthorityType; flows: UserFlows } {
  const { url, segments } = segmentsOf(value, 'use https://login.microsoftonline.com/<tenant-id> (or https://<sub>.ciamlogin.com/<sub>.onmicrosoft.com)');
  const type = typeOf(raw, url.hostname);
  if (type === 'B2C') return { type, flows: b2cFlows(raw, url.origin, segments, value) };
  if (raw.b2cPolicies?.susi !== undefined) {
    throw new ConfigError('b2c.susi', `b2c user flows are set but the authority type is ${type}: set AUTHORITY_TYPE=B2C, or remove the b2c section`);
  }
  return { type, flows: { signIn: signInAuthority(type, url, segments, value) } };
}

/**
 * GRAPH_ENDPOINT: by default the Graph of the authority's cloud; when set for a known cloud it
 * must be that cloud's Graph (a token from login.microsoftonline.us is useless at graph.microsoft.com).
 */
export function graphEndpointOf(raw: RawSettings, authority: string): string {
  const authorityHost = new URL(authority).hostname;
  const graphHosts = CLOUDS.get(authorityHost);
  const value = raw.graphEndpoint ?? `https://${graphHosts?.[0] ?? 'graph.microsoft.com'}/v1.0`;
  const hint = `use https://${graphHosts?.[0] ?? 'graph.microsoft.com'}/v1.0`;
  const url = parseUrl('GRAPH_ENDPOINT', value, hint);
  if (url.protocol !== 'https:' || url.search || url.hash) {
    throw new ConfigError('GRAPH_ENDPOINT', `GRAPH_ENDPOINT "${value}" must be an https URL without query: ${hint}`);
  }
  if (graphHosts && !graphHosts.includes(url.hostname)) {
    throw new ConfigError('GRAPH_ENDPOINT', `GRAPH_ENDPOINT "${value}" is not the Microsoft Graph of ${authorityHost}'s cloud: ${hint}`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
