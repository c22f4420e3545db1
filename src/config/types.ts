/** Which kind of authority the app signs users in with (the Django sample's `authority_type`). */
export type AuthorityType = 'SINGLE_TENANT' | 'MULTI_TENANT' | 'EXTERNAL_ID' | 'B2C';

/**
 * A sign-in journey with its own authority: Azure AD B2C has one per user flow (policy);
 * every other authority type has only `signIn`.
 */
export type UserFlow = 'signIn' | 'passwordReset' | 'editProfile';

/** The authority URL of each user flow the app can start; `signIn` always exists. */
export type UserFlows = Readonly<{ signIn: string } & Partial<Record<Exclude<UserFlow, 'signIn'>, string>>>;

/** How the app proves its identity at the token endpoint: exactly one of these (RFC 6749 §2.3, RFC 7523 §2.2). */
export type ClientCredential =
  | { readonly kind: 'secret'; readonly secret: string }
  | {
    readonly kind: 'certificate';
    /** PKCS#8 PEM of the RSA private key. */
    readonly privateKey: string;
    /** SHA-256 thumbprint of the certificate, upper-case hex (sent as `x5t#S256`). */
    readonly thumbprintSha256: string;
    /** The public certificate chain (PEM), sent as `x5c` for subject name/issuer authentication. */
    readonly x5c: string | undefined;
  }
  | {
    readonly kind: 'assertion';
    /** A file holding a signed JWT, re-read for every token request (rotated by the platform). */
    readonly file: string;
    /** Which setting named the file. */
    readonly key: 'CLIENT_ASSERTION_FILE' | 'AZURE_FEDERATED_TOKEN_FILE';
  };

/** Paths of the auth routes, relative to the prefix (the sample's `auth_endpoints`). */
export interface AuthEndpoints {
  readonly prefix: string;
  readonly signIn: string;
  /** External ID only: sign-in that opens the sign-up page (`prompt=create`). */
  readonly signUp: string;
  readonly editProfile: string;
  readonly redirect: string;
  readonly signOut: string;
  readonly postSignOut: string;
  /** Where the authority's logout page ends this app's sessions (OpenID Connect Front-Channel Logout 1.0). */
  readonly frontChannelLogout: string;
}

/**
 * Tenants whose app-role assignments the app trusts: `'issuer'` is the one tenant a single-tenant,
 * External ID or B2C authority names (the issuer check binds every ID token to it); a list is
 * ROLE_TENANT_IDS, required by a multi-tenant app, where an empty list trusts no tenant's roles.
 */
export type RoleTenants = 'issuer' | readonly string[];

/** The app's whole configuration: validated once at start-up, then frozen. */
export interface Config {
  readonly authorityType: AuthorityType;
  readonly clientId: string;
  readonly credential: ClientCredential;
  /**
   * The sign-in authority: https URL without a trailing slash, e.g. `https://login.microsoftonline.com/<tenant>`
   * (for B2C the sign-up/sign-in user flow's, `https://<tenant>.b2clogin.com/<tenant>.onmicrosoft.com/B2C_1_susi`).
   */
  readonly authority: string;
  /** The authority of each user flow (B2C: password reset and profile editing when configured). */
  readonly userFlows: UserFlows;
  /** The one redirect URI sent to the authority; never derived from request headers. */
  readonly redirectUri: string;
  /** Where the authority sends the browser after sign-out: same origin as `redirectUri`. */
  readonly postSignOutRedirectUri: string;
  /** B2C: send `id_token_hint` at sign-out (the user flows require an ID token in logout requests). */
  readonly logoutIdTokenHint: boolean;
  /** Delegated scopes requested at sign-in (besides openid, profile and offline_access). */
  readonly signInScopes: readonly string[];
  /** Delegated scopes the Call Graph page needs; those not asked at sign-in are asked when first needed. */
  readonly graphScopes: readonly string[];
  /** Delegated scopes for looking up a user's groups in Graph when the token has too many (overage). */
  readonly groupScopes: readonly string[];
  /** App roles a user needs (all of them) to see the claims dashboard. */
  readonly dashboardRoles: readonly string[];
  /** Graph base URL including the version, without a trailing slash. */
  readonly graphEndpoint: string;
  readonly authEndpoints: AuthEndpoints;
  readonly port: number;
  readonly sessionSecret: string;
  /** True when `sessionSecret` was generated for this process (sessions do not survive a restart). */
  readonly sessionSecretGenerated: boolean;
  /** True when the redirect URI is https: cookies get `Secure` and the `__Host-` prefix. */
  readonly secureCookies: boolean;
  /** The production rules apply: NODE_ENV=production, or a redirect URI that is not localhost (validate.ts productionReasonOf). */
  readonly production: boolean;
  /** Express's `trust proxy` setting: which proxies may set X-Forwarded-* (false: none). */
  readonly trustProxy: boolean | number | string;
  /** Upper bound for every call to the authority and to Graph. */
  readonly httpTimeoutMs: number;
  /** Allowed clock difference when checking `exp`, `nbf` and `iat` of ID tokens. */
  readonly clockSkewSeconds: number;
  /** Tenants whose users may sign in (multi-tenant apps); empty means any tenant the authority admits. */
  readonly allowedTenants: readonly string[];
  /** Whose app-role assignments count for authorization (ROLE_TENANT_IDS; see auth/effective-roles.ts). */
  readonly roleTenants: RoleTenants;
  /** A signed-in session unused for this long ends (OWASP ASVS 5.0 V7.3.1). */
  readonly sessionIdleTimeoutSeconds: number;
  /** A signed-in session ends this long after sign-in, used or not (ASVS V7.3.2). */
  readonly sessionMaxAgeSeconds: number;
  /** Sign-in starts one client address may make per minute (a backstop: a start writes no store row). */
  readonly authRateLimitPerMinute: number;
  /** Callbacks carrying a live sign-in (each costs a token request) one client address may make per minute. */
  readonly authCallbackRateLimitPerMinute: number;
  /** Where sessions and token caches live: Redis when `redisUrl` is set, else SQLite under `dataDir`. */
  readonly redisUrl: string | undefined;
  /** Folder (0700 when the app creates it) for the embedded SQLite store (and, outside production, a generated token-cache key). */
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
/** Where a setting's value came from; `placeholder` when it is still one of aad.config.json's `{enter-...}` values. */
export type SettingOrigin = { readonly from: '.env' | 'the environment' | 'aad.config.json'; readonly placeholder: boolean };

export interface RawSettings {
  /** Each setting's origin by its variable name (CLIENT_ID, ...): check-config names it with each problem. */
  readonly origins?: Readonly<Record<string, SettingOrigin>>;
  readonly authorityType: string | undefined;
  /** AUTHORITY_TYPE from the environment (wins over the file's `type.authority_type`). */
  readonly authorityTypeOverride?: string | undefined;
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly certificateKeyFile?: string | undefined;
  readonly certificateFile?: string | undefined;
  readonly certificateThumbprint?: string | undefined;
  readonly certificateSendX5c?: string | undefined;
  readonly clientAssertionFile?: string | undefined;
  readonly federatedTokenFile?: string | undefined;
  /** B2C user-flow (policy) names: sign-up/sign-in, password reset, profile editing. */
  readonly b2cPolicies?: { readonly susi?: string | undefined; readonly password?: string | undefined; readonly profile?: string | undefined } | undefined;
  /** B2C_LOGOUT_ID_TOKEN_HINT or `b2c.logout_id_token_hint`: "true" or "false". */
  readonly b2cLogoutIdTokenHint?: string | undefined;
  /** `graph.scopes`: what the Call Graph page needs; unset or null: the sign-in scopes, or User.ReadBasic.All (User.Read for External ID). */
  readonly graphScopes?: unknown;
  /** `groups.scopes`: what the groups lookup needs; default GroupMember.Read.All. */
  readonly groupScopes?: unknown;
  /** `app_roles.claims_dashboard` (list) or CLAIMS_DASHBOARD_ROLES (comma-separated). */
  readonly dashboardRoles?: unknown;
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
  /** ROLE_TENANT_IDS (comma-separated) or `app_roles.trusted_tenants` (list or comma-separated). */
  readonly roleTenantIds?: unknown;
  readonly sessionIdleTimeoutSeconds: string | undefined;
  readonly sessionMaxAgeSeconds: string | undefined;
  readonly authRateLimitPerMinute: string | undefined;
  readonly authCallbackRateLimitPerMinute?: string | undefined;
  /** A PEM file of extra certificate authorities (`NODE_EXTRA_CA_CERTS`), also honoured from `.env`. */
  readonly extraCaCertsFile: string | undefined;
  readonly trustProxy: string | undefined;
  readonly redisUrl: string | undefined;
  readonly dataDir: string | undefined;
  readonly tokenCacheKeys: string | undefined;
  readonly logLevel: string | undefined;
  readonly notice: string | undefined;
  /** DEV_TENANT_SHAPE: which service the development tenant imitates when no tenant is configured. */
  readonly devTenantShape?: string | undefined;
}
