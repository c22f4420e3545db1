import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { AppError, ErrorCode } from '../errors.ts';
import { issuerForTenant } from './metadata.ts';

/** Resolves the key for a token's header: the authority's remote key set, or a local one in tests. */
export type KeySet = JWTVerifyGetKey;

/** What a valid ID token must match. */
export interface IdTokenExpectations {
  /** The metadata's issuer; Entra's multi-tenant metadata has a `{tenantid}` template in it. */
  readonly issuer: string;
  readonly clientId: string;
  readonly nonce: string | undefined;
  /** Lower-case tenant ids allowed to sign in; empty: any. */
  readonly allowedTenants: readonly string[];
  readonly clockSkewSeconds: number;
  /** Oldest acceptable `iat`, in seconds before now. */
  readonly maxAgeSeconds: number;
  /** B2C: the user flow (policy) started; a `tfp` or `acr` claim must name it (see checkUserFlow). */
  readonly userFlow?: string | undefined;
}

/**
 * The authority's signing keys, fetched from `jwks_uri` on first use and cached. An unknown `kid`
 * triggers one refetch, at most every 30 s, so a flood of unknown kids cannot hammer the authority.
 */
export function createKeySet(jwksUri: string, timeoutMs: number): KeySet {
  const remote = createRemoteJWKSet(new URL(jwksUri), {
    timeoutDuration: timeoutMs,
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
  });
  return singleKeyWithoutKid(remote);
}

/**
 * jose tries every candidate key when a token has no `kid` and several keys fit; a token without
 * `kid` is accepted here only when exactly one key of the set fits (RFC 7515 §4.1.4).
 */
export function singleKeyWithoutKid(keys: KeySet): KeySet {
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSMultipleMatchingKeys) throw reject('kid', error);
      throw error;
    }
  };
}

function reject(reason: string, cause?: unknown): AppError {
  return new AppError(ErrorCode.ID_TOKEN_INVALID, 401, `ID token rejected: ${reason}`, {
    cause,
    detail: 'The identity provider sent a sign-in token that failed verification, so you were not signed in.',
    facts: { reason },
  });
}

/**
 * The issuer a token must carry. For multi-tenant authorities Entra publishes the issuer as a
 * template (`https://login.microsoftonline.com/{tenantid}/v2.0`): it is filled with the token's own
 * `tid`, so a token from tenant A can never pass as tenant B's (the signature is checked after).
 */
export function expectedIssuer(template: string, token: string): string {
  if (!template.includes('{tenantid}')) return template;
  let tid: unknown;
  try {
    tid = decodeJwt(token).tid;
  } catch (cause) {
    throw reject('malformed', cause);
  }
  const issuer = issuerForTenant(template, tid);
  if (issuer === undefined) throw reject('tid');
  return issuer;
}

/** Only RS256; header parameters that would let the token choose its own key are refused (RFC 8725 §3.1, §3.10). */
function checkHeader(token: string): void {
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token);
  } catch (cause) {
    throw reject('malformed', cause);
  }
  if (header.alg !== 'RS256') throw reject('alg');
  for (const name of ['jku', 'x5u', 'jwk', 'x5c']) if (name in header) throw reject('header_key');
}

/** `aud` must be exactly this client, and `azp`, when present, this client (OIDC Core §3.1.3.7 steps 3–5). */
function checkAudience(payload: JWTPayload, clientId: string): void {
  const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (aud.length !== 1 || aud[0] !== clientId) throw reject('aud');
  if (payload.azp !== undefined && payload.azp !== clientId) throw reject('azp');
}

/**
 * B2C: a token that names a user flow must name the one this sign-in started (case-insensitively:
 * policy ids are, and `acr` is written in lower case). Every flow claim present is checked.
 *
 * What it proves. All user flows of a B2C tenant share one issuer and one key set
 * (https://learn.microsoft.com/azure/active-directory-b2c/tokens-overview#validation), so signature
 * and `iss` cannot tell a password-reset token from a sign-up/sign-in one; only the flow claim can:
 * `tfp`, or `acr` when the flow's "Claim representing user flow" setting says so
 * (https://learn.microsoft.com/azure/active-directory-b2c/configure-tokens#token-compatibility-settings).
 * The claim is signed, so a token of a flow that emits it cannot pass as one that names none.
 *
 * Without the claim. A custom policy (`B2C_1A_…`) names no flow unless its relying party outputs
 * `trustFrameworkPolicy` or its JWT issuer omits `AuthenticationContextReferenceClaimPattern`
 * (https://learn.microsoft.com/azure/active-directory-b2c/jwt-issuer-technical-profile#metadata); such a
 * token is accepted. The binding then rests on how it was obtained: the code was redeemed at the
 * started flow's own token endpoint (Identity.redeemCode uses the transaction's flow), with this
 * transaction's PKCE verifier, and the `nonce` is this transaction's: the token is this tenant's, for
 * this app and this sign-in. It cannot prove which flow's journey (and so which MFA or terms) the user
 * went through: the authorization request passes through the browser, which could have sent it to
 * another user flow of the same tenant, and Microsoft does not document whether B2C refuses, at one
 * flow's token endpoint, a code issued by another. Where that matters, make the policy emit the claim.
 */
function checkUserFlow(payload: JWTPayload, userFlow: string | undefined): void {
  if (userFlow === undefined) return;
  for (const named of [payload['tfp'], payload['acr']]) {
    if (named === undefined) continue;
    if (typeof named !== 'string' || named.toLowerCase() !== userFlow.toLowerCase()) throw reject('user_flow');
  }
}

const JOSE_REASONS: Record<string, string> = {
  ERR_JWT_EXPIRED: 'exp',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'signature',
  ERR_JWKS_NO_MATCHING_KEY: 'kid',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'kid',
  ERR_JOSE_ALG_NOT_ALLOWED: 'alg',
  ERR_JWS_INVALID: 'malformed',
  ERR_JWT_INVALID: 'malformed',
};

function classify(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) return reject(error.claim, error);
  const unreachable = error instanceof errors.JWKSTimeout || error instanceof TypeError
    || (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC');
  if (unreachable) {
    return new AppError(ErrorCode.IDP_UNAVAILABLE, 503, 'the authority key set could not be fetched', {
      cause: error, detail: 'The identity provider could not be reached. Please try again in a moment.',
    });
  }
  if (error instanceof errors.JOSEError) return reject(JOSE_REASONS[error.code] ?? error.code, error);
  return reject('unverifiable', error);
}

/**
 * Verifies an ID token as OpenID Connect Core 1.0 §3.1.3.7 requires: RS256 signature by one of the
 * authority's keys, `iss`, `aud`/`azp`, `exp`/`nbf`/`iat` within the clock skew, `sub`, and `nonce`
 * (§3.1.3.7 step 11). msal-node only decodes ID tokens, so this is the app's own check.
 */
export async function verifyIdToken(token: string, keys: KeySet, expect: IdTokenExpectations): Promise<JWTPayload> {
  checkHeader(token);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, {
      algorithms: ['RS256'],
      issuer: expectedIssuer(expect.issuer, token),
      audience: expect.clientId,
      clockTolerance: expect.clockSkewSeconds,
      maxTokenAge: expect.maxAgeSeconds + expect.clockSkewSeconds,
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    }));
  } catch (error) {
    throw classify(error);
  }
  checkAudience(payload, expect.clientId);
  if (typeof payload.sub !== 'string' || payload.sub === '') throw reject('sub');
  const tid = typeof payload.tid === 'string' ? payload.tid.toLowerCase() : undefined;
  if (expect.allowedTenants.length > 0 && (tid === undefined || !expect.allowedTenants.includes(tid))) throw reject('tenant_not_allowed');
  if (expect.nonce !== undefined && payload.nonce !== expect.nonce) throw reject('nonce');
  checkUserFlow(payload, expect.userFlow);
  return payload;
}

/** A refreshed ID token counts as newly issued when its `iat` is this recent. */
const FRESH_SECONDS = 10 * 60;

/**
 * Checks the ID token returned with a refreshed access token (OIDC Core §12.2): it must name the
 * same `sub` and `iss` as the one the user signed in with, or the session must end. A newly issued
 * one is verified in full and its claims returned (the session's claims and roles follow it); an old
 * one (MSAL hands back the cached token when the response has none) is only compared: undefined.
 */
export async function checkRefreshedIdToken(
  token: string, previous: Readonly<Record<string, unknown>>, keys: KeySet, expect: IdTokenExpectations,
): Promise<JWTPayload | undefined> {
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch (cause) {
    throw reject('malformed', cause);
  }
  if (claims.sub !== previous.sub || claims.iss !== previous.iss) throw reject('subject_changed');
  const now = Math.floor(Date.now() / 1000);
  return typeof claims.iat === 'number' && now - claims.iat <= FRESH_SECONDS ? verifyIdToken(token, keys, expect) : undefined;
}
