import { AppError, ErrorCode } from '../errors.ts';

/** Why a token response was refused (shown as the error page's reason; never a token value). */
export type TokenResponseFault = 'access_token_missing' | 'token_type_not_bearer' | 'id_token_missing';

/**
 * What a successful token response must carry, or the fault. RFC 6749 §5.1: `access_token` and
 * `token_type` are REQUIRED, and the type is compared case-insensitively; this app only uses
 * Bearer tokens (RFC 6750). OpenID Connect Core §3.1.3.3: the response to an authorization-code
 * request with the `openid` scope MUST carry an `id_token` (a refresh may leave it out, §12.2).
 * msal-node 7 checks none of this: it caches and returns an empty access token, stores any
 * token type, and signs nobody in without an ID token, so the check runs before MSAL sees the body.
 * https://www.rfc-editor.org/rfc/rfc6749#section-5.1 · https://openid.net/specs/openid-connect-core-1_0.html#TokenResponse
 */
export function tokenResponseFault(requestBody: string, body: unknown): TokenResponseFault | undefined {
  const response = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (typeof response['access_token'] !== 'string' || response['access_token'] === '') return 'access_token_missing';
  const tokenType = response['token_type'];
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') return 'token_type_not_bearer';
  const request = new URLSearchParams(requestBody);
  const openid = (request.get('scope') ?? '').split(' ').includes('openid');
  const idToken = response['id_token'];
  if (request.get('grant_type') === 'authorization_code' && openid && (typeof idToken !== 'string' || idToken === '')) {
    return 'id_token_missing';
  }
  return undefined;
}

/** Throws TOKEN_RESPONSE_INVALID (502) when a 200 answer of the token endpoint is malformed (see tokenResponseFault). */
export function checkTokenResponse(requestBody: string, status: number, body: unknown): void {
  if (status !== 200) return;
  const fault = tokenResponseFault(requestBody, body);
  if (!fault) return;
  throw new AppError(ErrorCode.TOKEN_RESPONSE_INVALID, 502, `malformed token response: ${fault}`, {
    detail: 'The identity provider sent a token response the app cannot use, so nothing was changed. Please try again later.',
    facts: { reason: fault },
  });
}
