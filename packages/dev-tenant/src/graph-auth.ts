import { createLocalJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { JWK, JWTPayload } from 'jose';

import { GRAPH_RESOURCE } from './scopes.ts';

/** The verified caller of a Graph request. */
export interface GraphCaller {
  oid: string | undefined;
  /** The token's tenant (home or guest organisation). */
  tid: string | undefined;
  scp: string;
  permissions: Set<string>;
  /** When the token was issued (seconds), for Continuous Access Evaluation (cae.ts). */
  iat: number | undefined;
  /** The client capabilities the token carries in `xms_cc` (['CP1'] for a CAE-capable client). */
  capabilities: string[];
}

/** Why a bearer token was refused (Graph's 401 message after "Access token validation failure."). */
export type TokenProblem = { status: 401; message: string };

/** Verifies Graph bearer tokens against the tenant's own key set. */
export type GraphTokenVerifier = (authorization: string | undefined) => Promise<GraphCaller | TokenProblem>;

function problem(message: string): TokenProblem {
  return { status: 401, message: `Access token validation failure. ${message}` };
}

function reason(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'Lifetime validation failed, the token is expired.';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey) return 'Signature validation failed.';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'Invalid audience.';
    if (err.claim === 'iss') return 'Invalid issuer.';
    return `Invalid claim '${err.claim}'.`;
  }
  return 'The token is malformed.';
}

/**
 * Builds the verifier: RS256 signature by one of the tenant's published keys (jose, local key
 * set), `iss` = the tenant's issuer (or one of several: home and guest organisation), `aud` = https://graph.microsoft.com, not expired (RFC 9068 §4
 * checks, minus `typ`, which Entra does not set to at+jwt). Never throws: failures come back as a
 * {@link TokenProblem}. The tenant builds a new verifier whenever its key set changes.
 */
export function graphTokenVerifier(publicKeys: readonly JWK[], issuer: string | readonly string[]): GraphTokenVerifier {
  const keySet = createLocalJWKSet({ keys: [...publicKeys] });
  return async (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) return problem('Access token is empty.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(match[1], keySet, { issuer: typeof issuer === 'string' ? issuer : [...issuer], audience: GRAPH_RESOURCE, algorithms: ['RS256'] }));
    } catch (err) {
      return problem(reason(err));
    }
    const scp = typeof payload['scp'] === 'string' ? payload['scp'] : '';
    const oid = typeof payload['oid'] === 'string' ? payload['oid'] : undefined;
    const tid = typeof payload['tid'] === 'string' ? payload['tid'] : undefined;
    const capabilities = Array.isArray(payload['xms_cc']) ? payload['xms_cc'].filter((c): c is string => typeof c === 'string') : [];
    return { oid, tid, scp, permissions: new Set(scp.split(' ').filter(Boolean)), iat: payload.iat, capabilities };
  };
}
