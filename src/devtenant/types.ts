/**
 * Public types of the development tenant. `index.ts` re-exports all of them; import from there.
 */

/** Options for {@link startDevTenant}. Every field is optional. */
export interface DevTenantOptions {
  /** TCP port; default 0 (ephemeral). Listens on 127.0.0.1 and ::1; URLs use the host "localhost". */
  port?: number | undefined;
  /** Holds the CA, keys and client credentials; default ".devtenant" (relative to cwd); created if missing. */
  dataDir?: string | undefined;
  /** Registered redirect URIs; default ["http://localhost:8000/auth/redirect"]. */
  redirectUris?: string[] | undefined;
  /** Registered post-logout redirect URIs; default ["http://localhost:8000/auth/post_sign_out"]. */
  postLogoutRedirectUris?: string[] | undefined;
  /** Lifetime of access tokens; default 3600. */
  accessTokenTtlSeconds?: number | undefined;
  /** The caller passes process.env.NODE_ENV; "production" makes start-up throw DEV_TENANT_IN_PRODUCTION. */
  nodeEnv?: string | undefined;
}

/** One demo account of the development tenant. */
export interface DemoUser {
  oid: string;
  displayName: string;
  userPrincipalName: string;
  givenName: string;
  surname: string;
  mail: string;
  jobTitle: string;
  roles: string[];
}

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
 * A canned answer for the next `times` requests to a target.
 * `status: 0` means "only delay, then serve normally".
 */
export interface Fault {
  status: number;
  /** JSON body; when omitted, an error body in the target's style (Entra or Graph). */
  body?: unknown;
  headers?: Record<string, string> | undefined;
  delayMs?: number | undefined;
  /** How many requests the fault applies to; default 1. */
  times?: number | undefined;
}

/** A running development tenant. */
export interface DevTenant {
  readonly tenantId: string;
  readonly authority: string;
  readonly issuer: string;
  readonly graphEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly caPem: string;
  readonly caFile: string;
  readonly users: readonly DemoUser[];
  counts(): DevTenantCounts;
  resetCounts(): void;
  readonly graphCalls: readonly GraphCall[];
  setAccessTokenTtl(seconds: number): void;
  injectFault(target: FaultTarget, fault: Fault): void;
  clearFaults(): void;
  close(): Promise<void>;
}
