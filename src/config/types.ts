/** Which kind of authority the app signs users in with (the Django sample's `authority_type`). */
export type AuthorityType = 'SINGLE_TENANT' | 'MULTI_TENANT' | 'B2C';

/** Paths of the auth routes, relative to the prefix (the sample's `auth_endpoints`). */
export interface AuthEndpoints {
  readonly prefix: string;
  readonly signIn: string;
  readonly editProfile: string;
  readonly redirect: string;
  readonly signOut: string;
  readonly postSignOut: string;
}

/** The app's whole configuration: validated once at start-up, then frozen. */
export interface Config {
  readonly authorityType: AuthorityType;
  readonly clientId: string;
  readonly clientSecret: string;
  /** https URL without a trailing slash, e.g. `https://login.microsoftonline.com/<tenant>`. */
  readonly authority: string;
  /** The one redirect URI sent to the authority; never derived from request headers. */
  readonly redirectUri: string;
  /** Where the authority sends the browser after sign-out: same origin as `redirectUri`. */
  readonly postSignOutRedirectUri: string;
  /** Delegated scopes requested at sign-in and for Graph calls. */
  readonly scopes: readonly string[];
  /** Graph base URL including the version, without a trailing slash. */
  readonly graphEndpoint: string;
  readonly authEndpoints: AuthEndpoints;
  readonly port: number;
  readonly sessionSecret: string;
  /** True when `sessionSecret` was generated for this process (sessions do not survive a restart). */
  readonly sessionSecretGenerated: boolean;
  /** True when the redirect URI is https: cookies get `Secure` and the `__Host-` prefix. */
  readonly secureCookies: boolean;
  readonly production: boolean;
  /** Express's `trust proxy` setting: which proxies may set X-Forwarded-* (false: none). */
  readonly trustProxy: boolean | number | string;
  /** Upper bound for every call to the authority and to Graph. */
  readonly httpTimeoutMs: number;
  /** Allowed clock difference when checking `exp`, `nbf` and `iat` of ID tokens. */
  readonly clockSkewSeconds: number;
  /** Tenants whose users may sign in (multi-tenant apps); empty means any tenant the authority admits. */
  readonly allowedTenants: readonly string[];
  /** A signed-in session unused for this long ends (OWASP ASVS 5.0 V7.3.1). */
  readonly sessionIdleTimeoutSeconds: number;
  /** A signed-in session ends this long after sign-in, used or not (ASVS V7.3.2). */
  readonly sessionMaxAgeSeconds: number;
  /** Sign-in starts and callbacks one client (IP address) may make per minute. */
  readonly authRateLimitPerMinute: number;
  /** Where sessions and token caches live: Redis when `redisUrl` is set, else SQLite under `dataDir`. */
  readonly redisUrl: string | undefined;
  /** Folder for the embedded SQLite store (and, outside production, a generated token-cache key). */
  readonly dataDir: string;
  /** Token-cache encryption keys (`id:base64,…`, first encrypts); undefined: generate one in `dataDir` (not in production). */
  readonly tokenCacheKeys: string | undefined;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** A notice shown on every page, e.g. that the authority is a development tenant. */
  readonly notice: string | undefined;
}

/**
 * Settings as read from aad.config.json and the environment, before validation.
 * Every value is still a string (or string list) exactly as the user wrote it.
 */
export interface RawSettings {
  readonly authorityType: string | undefined;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly authority: string | undefined;
  readonly redirectUri: string | undefined;
  readonly scopes: unknown;
  readonly responseType: string | undefined;
  readonly graphEndpoint: string | undefined;
  readonly authEndpoints: Record<string, unknown>;
  readonly port: string | undefined;
  readonly sessionSecret: string | undefined;
  readonly nodeEnv: string | undefined;
  readonly httpTimeoutMs: string | undefined;
  readonly clockSkewSeconds: string | undefined;
  readonly allowedTenantIds: string | undefined;
  readonly sessionIdleTimeoutSeconds: string | undefined;
  readonly sessionMaxAgeSeconds: string | undefined;
  readonly authRateLimitPerMinute: string | undefined;
  /** A PEM file of extra certificate authorities (`NODE_EXTRA_CA_CERTS`), also honoured from `.env`. */
  readonly extraCaCertsFile: string | undefined;
  readonly trustProxy: string | undefined;
  readonly redisUrl: string | undefined;
  readonly dataDir: string | undefined;
  readonly tokenCacheKeys: string | undefined;
  readonly logLevel: string | undefined;
  readonly notice: string | undefined;
}
