import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { AppError, ErrorCode } from '../errors.ts';
import { answerFacts, answerOfServerError, configurationError, configurationFix } from './authority-refusal.ts';
import { claimsRequestOf } from './claims-request.ts';
import { sessionEndingCode } from './revoked-grant.ts';

/** Finds an AppError (e.g. from TimeoutNetworkClient) anywhere in an error's cause chain. */
function appErrorIn(error: unknown): AppError | undefined {
  for (let e = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof AppError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

const UNAVAILABLE_DETAIL = 'The identity provider could not complete the request. Please try again in a moment.';

/**
 * A refresh refused because the grant is over for good (revoked-grant.ts): the caller ends the
 * session; the page says so and offers a fresh sign-in. The AADSTS code is logged as `reason_code`.
 */
function sessionRevoked(aadsts: number, cause: unknown): AppError {
  return new AppError(ErrorCode.SESSION_REVOKED, 401, `refresh refused: grant revoked or expired (AADSTS${aadsts})`, {
    cause, facts: { reason: `AADSTS${aadsts}` },
    detail: 'Your session was ended by the identity provider (for example after a password change, an administrator revoking your sessions, or a disabled account). Please sign in again.',
  });
}

/**
 * Maps an MSAL failure to an AppError. `phase` tells whether a sign-in URL was being built,
 * a code redeemed (a refused grant is then the callback's fault: 400) or a token acquired
 * silently (a revoked or expired grant then ends the session; any other refusal means the user
 * must sign in again).
 */
export function fromMsalError(error: unknown, phase: 'authorize' | 'redeem' | 'silent'): AppError {
  const inner = appErrorIn(error);
  if (inner) return inner;
  const ended = phase === 'silent' ? sessionEndingCode(error) : undefined;
  if (ended !== undefined) return sessionRevoked(ended, error);
  if (error instanceof InteractionRequiredAuthError) {
    // Conditional Access (MFA, device): `interaction_required`, or `invalid_grant` with an
    // interaction suberror such as `basic_action`, may carry `claims` the next sign-in must ask for.
    // msal puts them only on InteractionRequiredAuthError (ServerError has none).
    // https://learn.microsoft.com/entra/identity-platform/claims-challenge
    return new AppError(ErrorCode.INTERACTION_REQUIRED, 401, `interaction required: ${error.errorCode}`, {
      cause: error, claimsChallenge: claimsRequestOf(error.claims),
    });
  }
  if (error instanceof ServerError && error.errorCode === 'invalid_grant' && phase !== 'authorize') {
    // msal-node surfaces a plain invalid_grant (no suberror) as ServerError, not InteractionRequiredAuthError.
    return phase === 'silent'
      ? new AppError(ErrorCode.INTERACTION_REQUIRED, 401, 'refresh token refused', { cause: error })
      : new AppError(ErrorCode.CODE_REJECTED, 400, 'authorization code refused by the token endpoint', {
        cause: error, detail: 'The sign-in could not be completed: the sign-in code was refused. Please sign in again.',
      });
  }
  if (error instanceof AuthError && error.errorCode === 'nonce_mismatch') {
    return new AppError(ErrorCode.ID_TOKEN_INVALID, 401, 'ID token rejected: nonce', {
      cause: error, facts: { reason: 'nonce' },
      detail: 'The identity provider sent a sign-in token that failed verification, so you were not signed in.',
    });
  }
  if (error instanceof ServerError) return refusal(error);
  const code = error instanceof AuthError ? error.errorCode : 'unknown';
  return new AppError(ErrorCode.IDP_UNAVAILABLE, 502, `token request failed: ${code}`, {
    cause: error, detail: UNAVAILABLE_DETAIL, facts: { 'Identity provider error': code },
  });
}

/** Errors that say the authority itself is having trouble: only these are worth retrying. */
const TRANSIENT = new Set(['server_error', 'temporarily_unavailable']);

/**
 * The authority answered with an error (authority-refusal.ts): the page shows its answer; a
 * configuration mistake is IDP_CONFIGURATION naming the setting, never "try again in a moment".
 */
function refusal(error: ServerError): AppError {
  const answer = answerOfServerError(error);
  const fix = configurationFix(answer);
  if (fix !== undefined) return configurationError(answer, fix, error);
  const transient = TRANSIENT.has(answer.error) || (error.status ?? 0) >= 500;
  return new AppError(ErrorCode.IDP_UNAVAILABLE, 502, `token request failed: ${answer.error}`, {
    cause: error, facts: answerFacts(answer),
    detail: transient ? UNAVAILABLE_DETAIL : 'The identity provider refused the request. Its answer is below.',
  });
}
