/**
 * Types of what tests observe and switch at run time: request counts and timings, the Graph call
 * log, injected faults and ID-token tampering. Re-exported by `types.ts` and `index.ts`.
 */

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
}
