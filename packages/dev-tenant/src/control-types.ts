/**
 * Types of what tests observe and switch at run time: request counts and timings, the Graph call
 * log, injected faults and ID-token tampering. Re-exported by `types.ts` and `index.ts`.
 */
// The app registrations' types ride along, so that types.ts keeps one import line.
export type { DevTenantExtraClient, DevTenantExtraClientOptions, DevTenantRegistrationOptions, DevTenantRegistrations } from './registration-types.ts';

/** Requests seen per endpoint since start or the last resetCounts(). */
export interface DevTenantCounts {
  discovery: number;
  jwks: number;
  authorize: number;
  token: number;
  tokenByGrant: Record<string, number>;
  endSession: number;
  graph: number;
}

/** One request to the Graph emulator. */
export interface GraphCall {
  /** Path and query string as requested, e.g. "/v1.0/users?$top=5&$select=id". */
  path: string;
  status: number;
  /** The bearer token's oid, when the token was valid. */
  oid?: string;
  /** The bearer token's scp, when the token was valid. */
  scp?: string;
}

/** Endpoints that can be made to fail with {@link DevTenant.injectFault}. */
export type FaultTarget = 'discovery' | 'jwks' | 'token' | 'graph';

/**
 * How long one counted request (see {@link DevTenantCounts}) took inside the tenant: from the
 * moment the tenant's app saw it until its response was finished (injected fault delays
 * included; TLS and connection set-up excluded).
 */
export interface RequestTiming {
  target: FaultTarget | 'authorize' | 'endSession';
  /** Milliseconds, fractional. */
  ms: number;
  /** The status answered; 0 when the connection was cut before a response was finished. */
  status: number;
}

/**
 * A canned answer for the next `times` requests to a target.
 * `status: 0` means "only delay, then serve normally" (unless `reset` is set).
 */
export interface Fault {
  status: number;
  /** JSON body; when omitted, an error body in the target's style (Entra or Graph). */
  body?: unknown;
  /** Answer this raw text instead of JSON (e.g. an HTML error page), with `contentType`; needs a status. */
  raw?: string | undefined;
  /** Content-Type of `raw`; default 'text/html'. */
  contentType?: string | undefined;
  /** Destroy the connection without answering (a reset), after delayMs; the status is then ignored. */
  reset?: boolean | undefined;
  headers?: Record<string, string> | undefined;
  delayMs?: number | undefined;
  /** How many requests the fault applies to; default 1. */
  times?: number | undefined;
}

/**
 * How the tenant alters the next ID token(s) it issues from its token endpoint (tests of relying
 * parties only: OpenID Connect Core §3.1.3.7, RFC 8725). The access token is never altered.
 */
export interface IdTokenTamper {
  /** Only ID tokens of this grant are altered; default: any grant. */
  grant?: 'authorization_code' | 'refresh_token' | undefined;
  /** Payload claims to set or overwrite (e.g. { iss: 'https://evil', aud: ['x','y'], exp: 0, sub: 'other' }). */
  claims?: Record<string, unknown> | undefined;
  /** Payload claims to delete (e.g. ['sub'], ['nonce']). */
  removeClaims?: string[] | undefined;
  /** Protected-header parameters to set (e.g. { kid: 'unknown' }, { jku: 'https://evil.example/keys' }, { alg: 'RS512' }). */
  header?: Record<string, unknown> | undefined;
  /** Protected-header parameters to delete (e.g. ['kid']). */
  removeHeader?: string[] | undefined;
  /**
   * How the altered token is signed: 'tenant' (default: the tenant's current signing key, RS256),
   * 'foreign' (a freshly generated RSA key NOT in the key set, same kid), 'none' (alg "none", empty
   * signature), 'hs256' (HMAC-SHA256 keyed with the client secret, alg HS256).
   * With 'tenant' or 'foreign', a `header.alg` of RS384/RS512/PS256/PS384/PS512 gets a genuine
   * signature of that algorithm; any other claimed alg gets RS256 signature bytes.
   */
  sign?: 'tenant' | 'foreign' | 'none' | 'hs256' | undefined;
  /** How many ID tokens to alter; default 1. */
  times?: number | undefined;
}

/**
 * Run-time controls that make the tenant behave like a real Microsoft tenant in a given situation
 * (admin consent, Conditional Access, Continuous Access Evaluation, malformed answers). Every
 * member is test-only: there is no HTTP way to switch them. {@link DevTenant} extends this.
 */
export interface RealTenantControls {
  /**
   * Grants tenant-wide admin consent for a delegated Graph permission (e.g. 'GroupMember.Read.All'),
   * as an administrator does with "Grant admin consent for <tenant>": from now on every user's
   * sign-ins and refreshes may include it without interaction, and nobody sees "Need admin
   * approval" for it. Throws DEV_TENANT_INVALID_OPTION for a permission the Graph emulator does not
   * know, or a tenant shape without user consent (External ID, B2C).
   */
  grantAdminConsent(permission: string): void;
  /**
   * Queues an alteration of the next real successful token response(s) (first in, first out, like
   * tamperIdToken), e.g. `{ remove: ['access_token'] }`, `{ set: { token_type: 'MAC' } }`,
   * `{ remove: ['id_token'], grant: 'authorization_code' }`: what a relying party must refuse (RFC 6749 §5.1,
   * OpenID Connect Core §3.1.3.3). Throws DEV_TENANT_INVALID_OPTION for a malformed alteration.
   */
  tamperTokenResponse(tamper: TokenResponseTamper): void;
  /**
   * B2C only: the user flows' "Require ID Token in logout requests" (default off). On, a logout
   * request without `id_token_hint` gets B2C's error page (AADB2C90272) and signs nobody out.
   * Throws DEV_TENANT_INVALID_OPTION for other shapes.
   */
  requireIdTokenHint(required: boolean): void;
  /**
   * Whether the sign-out page's front-channel logout calls carry `iss` besides `sid` (default true,
   * OpenID Connect Front-Channel Logout 1.0 §3). false sends `?sid=` only, as apps report Entra ID
   * does (github.com/nginxinc/nginx-openid-connect/issues/117), to test an app's handling of that.
   */
  frontChannelLogoutIss(send: boolean): void;
  /**
   * Adds a Conditional Access policy requiring multifactor authentication, for the user with this
   * oid (default: every user): until a sign-in satisfies it, refresh-token grants answer 400 with
   * AADSTS50076 and `claims` naming the policy (`{"access_token":{"capolids":{"essential":true,"values":[id]}}}`),
   * as `interaction_required` (default) or as `invalid_grant` with `suberror: "basic_action"`.
   * Only an interactive sign-in whose authorize request carries those claims satisfies it (after a
   * "Verify your identity" step); its tokens and their refreshes then pass. `times` limits how many
   * refreshes it refuses (default: until satisfied). Returns the policy id. Entra shape only.
   */
  requireStepUp(options?: { oid?: string | undefined; error?: 'interaction_required' | 'invalid_grant' | undefined; times?: number | undefined }): string;
  /**
   * Graph's `revokeSignInSessions` for this user: refresh tokens issued before it answer
   * `invalid_grant` AADSTS50173, and Graph answers 401 with a Continuous Access Evaluation claims
   * challenge (`insufficient_claims`, `nbf` = the revocation time) to access tokens issued before it
   * that carry `xms_cc` CP1; other access tokens stay valid until they expire. Settles at the next
   * whole second, from when new tokens are valid. Entra shape only.
   */
  revokeSignInSessions(oid: string): Promise<void>;
  /**
   * Ages this user's refresh tokens past their inactivity lifetime (90 days): refresh tokens issued
   * before it answer `invalid_grant` AADSTS700082 ("The refresh token has expired due to
   * inactivity"); tokens of later sign-ins pass. Settles at the next whole second. Entra shape only.
   */
  expireRefreshTokens(oid: string): Promise<void>;
  /** Removes every step-up policy, sign-in session revocation and refresh-token expiry. */
  clearAccessPolicies(): void;
}

/** How the tenant alters the next successful token response(s); see {@link RealTenantControls.tamperTokenResponse}. */
export interface TokenResponseTamper {
  /** Only responses of this grant are altered; default: any grant. */
  grant?: 'authorization_code' | 'refresh_token' | undefined;
  /** Members to delete, e.g. ['access_token']. */
  remove?: string[] | undefined;
  /** Members to set or overwrite (after the tenant built the real response), e.g. { token_type: 'MAC' }. */
  set?: Record<string, unknown> | undefined;
  /** How many responses to alter; default 1. */
  times?: number | undefined;
}
