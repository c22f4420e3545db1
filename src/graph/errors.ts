import { claimsRequestOf } from '../auth/claims-request.ts';
import { AppError, ErrorCode } from '../errors.ts';

/**
 * A Graph error answer. `claimsChallenge` is the decoded `claims` JSON of a
 * `WWW-Authenticate: Bearer … claims="…"` challenge when Graph sent one (Continuous Access Evaluation).
 */
export class GraphError extends AppError {
  constructor(status: number, message: string, options: ConstructorParameters<typeof AppError>[3], claimsChallenge: string | undefined) {
    super(ErrorCode.GRAPH_ERROR, status, message, { ...options, claimsChallenge });
  }
}

/** Seconds to wait before retrying a throttled answer (RFC 9110 §10.2.3 delay-seconds), or undefined: no retry. */
export function retryDelaySeconds(status: number, retryAfter: unknown): number | undefined {
  if (status !== 429 && status !== 503) return undefined;
  if (retryAfter === undefined) return 1;
  const seconds = typeof retryAfter === 'string' && /^\d{1,6}$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
  return seconds;
}

/**
 * The claims a resource asks for in `WWW-Authenticate: Bearer error="insufficient_claims", claims="<base64 JSON>"`
 * (Microsoft's claims challenge), or undefined when there is none or it is no bounded JSON object.
 */
export function claimsChallengeOf(header: unknown): string | undefined {
  if (typeof header !== 'string' || !/error="insufficient_claims"/i.test(header)) return undefined;
  const encoded = /claims="([A-Za-z0-9+/=_-]{1,4096})"/.exec(header)?.[1];
  return encoded ? claimsRequestOf(Buffer.from(encoded, 'base64').toString('utf8')) : undefined;
}

/** Graph's error answer as a page: its status, code and message are shown (escaped). */
export function graphError(status: number, data: unknown, retryAfter: unknown, claimsChallenge: string | undefined): GraphError {
  const error = (data as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : 'unknown';
  const message = typeof error?.message === 'string' ? error.message.slice(0, 500) : '';
  const busy = status === 429 || status === 503;
  const wait = busy ? retryDelaySeconds(status, retryAfter) : undefined;
  return new GraphError(busy ? 503 : 502, `Graph answered ${status} ${code}`, {
    detail: busy
      ? `Microsoft Graph is busy. Please try again${wait ? ` in ${wait} seconds` : ' in a moment'}.`
      : 'Microsoft Graph could not complete the request.',
    facts: { 'Graph status': status, 'Graph error code': code, ...(message ? { 'Graph message': message } : {}) },
  }, claimsChallenge);
}
