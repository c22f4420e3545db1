import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { ConfigError } from './errors.ts';
import { isPlaceholder } from './parse.ts';
import type { RawSettings, SettingOrigin } from './types.ts';

type Env = Readonly<Record<string, string | undefined>>;

function readJson(path: string): Record<string, any> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError('aad.config.json', `aad.config.json was not found at ${path}: restore it from the repository`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, any>;
  } catch {
    // reported below
  }
  throw new ConfigError('aad.config.json', `aad.config.json is not a JSON object: fix its syntax (${path})`);
}

/** Reads `.env` without touching `process.env`; a missing file is fine. */
function readDotenv(path: string): Env {
  try {
    return parseDotenv(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The value of `name`: the process environment shadows `.env` whenever it defines the variable,
 * even as empty (dotenv's own rule); an empty or missing value falls back to the JSON file.
 */
function pick(env: Env, dotenv: Env, name: string, fromFile: unknown): { value: string; origin: SettingOrigin } | undefined {
  const fromEnv = name in env ? env[name] : dotenv[name];
  const sources = [[fromEnv, name in env ? 'the environment' : '.env'], [str(fromFile), 'aad.config.json']] as const;
  for (const [value, from] of sources) {
    if (value !== undefined && value.trim() !== '') return { value: value.trim(), origin: { from, placeholder: isPlaceholder(value) } };
  }
  return undefined;
}

/**
 * Reads aad.config.json and overlays `.env` and the process environment (which wins).
 * This is the only place in the app that reads `process.env`-like input.
 */
export function readSettings(options: { cwd?: string; env?: Env; configFile?: string } = {}): RawSettings {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const file = readJson(resolve(cwd, options.configFile ?? 'aad.config.json'));
  const dotenv = readDotenv(resolve(cwd, '.env'));
  const origins: Record<string, SettingOrigin> = {};
  const get = (name: string, fromFile?: unknown) => {
    const picked = pick(env, dotenv, name, fromFile);
    if (picked) origins[name] = picked.origin;
    return picked?.value;
  };
  return {
    origins,
    authorityType: str(file.type?.authority_type),
    authorityTypeOverride: get('AUTHORITY_TYPE'),
    clientId: get('CLIENT_ID', file.client?.client_id),
    clientSecret: get('CLIENT_SECRET', file.client?.client_credential),
    certificateKeyFile: get('CLIENT_CERTIFICATE_KEY_FILE'),
    certificateFile: get('CLIENT_CERTIFICATE_FILE'),
    certificateThumbprint: get('CLIENT_CERTIFICATE_THUMBPRINT'),
    certificateSendX5c: get('CLIENT_CERTIFICATE_SEND_X5C'),
    clientAssertionFile: get('CLIENT_ASSERTION_FILE'),
    federatedTokenFile: get('AZURE_FEDERATED_TOKEN_FILE'),
    b2cPolicies: {
      susi: get('B2C_SIGN_UP_SIGN_IN_POLICY', file.b2c?.susi),
      password: get('B2C_PASSWORD_RESET_POLICY', file.b2c?.password),
      profile: get('B2C_EDIT_PROFILE_POLICY', file.b2c?.profile),
    },
    b2cLogoutIdTokenHint: get('B2C_LOGOUT_ID_TOKEN_HINT', typeof file.b2c?.logout_id_token_hint === 'boolean' ? String(file.b2c.logout_id_token_hint) : file.b2c?.logout_id_token_hint),
    graphScopes: file.graph?.scopes,
    groupScopes: file.groups?.scopes,
    dashboardRoles: get('CLAIMS_DASHBOARD_ROLES') ?? file.app_roles?.claims_dashboard,
    authority: get('AUTHORITY', file.client?.authority),
    redirectUri: get('REDIRECT_URI', file.auth_request?.redirect_uri),
    scopes: file.auth_request?.scopes,
    responseType: str(file.auth_request?.response_type),
    graphEndpoint: get('GRAPH_ENDPOINT', file.graph?.endpoint),
    authEndpoints: file.express?.auth_endpoints ?? {},
    port: get('PORT'),
    sessionSecret: get('SESSION_SECRET'),
    nodeEnv: get('NODE_ENV'),
    httpTimeoutMs: get('HTTP_TIMEOUT_MS'),
    clockSkewSeconds: get('CLOCK_SKEW_SECONDS'),
    allowedTenantIds: get('ALLOWED_TENANT_IDS'),
    roleTenantIds: get('ROLE_TENANT_IDS') ?? file.app_roles?.trusted_tenants,
    sessionIdleTimeoutSeconds: get('SESSION_IDLE_TIMEOUT_SECONDS'),
    sessionMaxAgeSeconds: get('SESSION_MAX_AGE_SECONDS'),
    authRateLimitPerMinute: get('AUTH_RATE_LIMIT_PER_MINUTE'),
    authCallbackRateLimitPerMinute: get('AUTH_CALLBACK_RATE_LIMIT_PER_MINUTE'),
    extraCaCertsFile: get('NODE_EXTRA_CA_CERTS'),
    trustProxy: get('TRUST_PROXY'),
    redisUrl: get('REDIS_URL'),
    dataDir: get('DATA_DIR'),
    tokenCacheKeys: get('TOKEN_CACHE_KEYS'),
    logLevel: get('LOG_LEVEL'),
    notice: undefined,
    devTenantShape: get('DEV_TENANT_SHAPE'),
  };
}
