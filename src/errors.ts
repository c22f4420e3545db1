/**
 * Stable error codes. Tests and logs compare these, never messages.
 * Each maps to one HTTP status and one friendly page (see http/errors.ts).
 */
export const ErrorCode = {
  /** The callback has no `state`, or more than one. RFC 6749 §10.12. */
  STATE_MISSING: 'STATE_MISSING',
  /** The callback's `state` is unknown, expired or already used: no token request is made. */
  STATE_UNKNOWN: 'STATE_UNKNOWN',
  /** The callback has no `code`, or carries tokens in the front channel. */
  BAD_CALLBACK: 'BAD_CALLBACK',
  /** The authority answered the sign-in with `error` (the user cancelled, consent missing, AADSTS…). */
  IDP_ERROR: 'IDP_ERROR',
  /** The token endpoint refused the authorization code (expired, used, PKCE mismatch). */
  CODE_REJECTED: 'CODE_REJECTED',
  /** The ID token failed verification (OIDC Core §3.1.3.7). */
  ID_TOKEN_INVALID: 'ID_TOKEN_INVALID',
  /** The authority could not be reached, timed out or answered something unusable. */
  IDP_UNAVAILABLE: 'IDP_UNAVAILABLE',
  /**
   * The authority refused the app because of the app's own configuration (wrong or expired client
   * secret or certificate, unknown client id, unregistered redirect URI): the page names the setting.
   */
  IDP_CONFIGURATION: 'IDP_CONFIGURATION',
  /** A token response without `access_token`, with a non-Bearer `token_type`, or without the sign-in's `id_token` (RFC 6749 §5.1, OIDC Core §3.1.3.3). */
  TOKEN_RESPONSE_INVALID: 'TOKEN_RESPONSE_INVALID',
  /** A token can only be had by signing in again (consent, expired refresh token). */
  INTERACTION_REQUIRED: 'INTERACTION_REQUIRED',
  /**
   * The identity provider refused a refresh because the user's grant is over for good (sessions
   * revoked, password changed, account disabled, refresh token expired): the session was ended here.
   */
  SESSION_REVOKED: 'SESSION_REVOKED',
  /** Signing in again did not produce a usable token: stop instead of looping. */
  INTERACTION_LOOP: 'INTERACTION_LOOP',
  /** The sign-in asked for permissions only an administrator can consent to (AADSTS90094, or the user left "Need admin approval"). */
  ADMIN_CONSENT_REQUIRED: 'ADMIN_CONSENT_REQUIRED',
  NOT_SIGNED_IN: 'NOT_SIGNED_IN',
  /** The signed-in user lacks an app role the page requires (ID token `roles` claim). */
  ROLE_MISSING: 'ROLE_MISSING',
  /**
   * The page needs an app role, and the user's tenant is not one whose role assignments the app
   * trusts (ROLE_TENANT_IDS; reason `tenant_not_trusted`), or a multi-tenant app trusts none
   * (`no_trusted_tenants`). Not ROLE_MISSING: assigning the role would not help, the fix is elsewhere.
   */
  ROLES_UNTRUSTED: 'ROLES_UNTRUSTED',
  /** The feature is not available with this authority type (e.g. profile editing without B2C). */
  FEATURE_UNAVAILABLE: 'FEATURE_UNAVAILABLE',
  /** The client assertion file (workload identity federation) could not be read. */
  CREDENTIAL_UNAVAILABLE: 'CREDENTIAL_UNAVAILABLE',
  /** A state-changing request failed the same-origin / CSRF-token check. */
  CSRF_REJECTED: 'CSRF_REJECTED',
  /** Graph answered with an error status. */
  GRAPH_ERROR: 'GRAPH_ERROR',
  /** Graph could not be reached or timed out. */
  GRAPH_UNAVAILABLE: 'GRAPH_UNAVAILABLE',
  NOT_FOUND: 'NOT_FOUND',
  /** The session or token-cache store is unreachable or failing (Redis down, SQLite file unwritable). */
  STORE_UNAVAILABLE: 'STORE_UNAVAILABLE',
  /** Too many sign-in starts or callbacks from one client. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** A malformed request rejected by a parser (too large, bad encoding). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** Anything unexpected: logged with its cause, shown as a plain 500 page. */
  INTERNAL: 'INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface AppErrorOptions {
  /** Text safe to show to the user (already free of tokens and internals; it is escaped on render). */
  detail?: string;
  /** Extra facts shown on the page, e.g. Graph's error code. Escaped on render. */
  facts?: Readonly<Record<string, string | number>>;
  /** Claims the next sign-in must ask for (a claims request JSON, already validated), when only such a sign-in can help. */
  claimsChallenge?: string | undefined;
  cause?: unknown;
}

/** An error the app expects and knows how to show: a stable code, an HTTP status, a safe detail. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;
  readonly facts: Readonly<Record<string, string | number>>;
  readonly claimsChallenge: string | undefined;

  constructor(code: ErrorCode, status: number, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.detail = options.detail;
    this.facts = options.facts ?? {};
    this.claimsChallenge = options.claimsChallenge;
  }
}

/** A feature this app's authority type does not offer (sign-up without External ID, profile editing without B2C): 404 saying why. */
export function featureUnavailable(what: string, detail = `${what} is not available with this app's sign-in authority.`): AppError {
  return new AppError(ErrorCode.FEATURE_UNAVAILABLE, 404, `${what} not available`, { detail });
}
