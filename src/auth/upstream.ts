import { AppError, ErrorCode } from '../errors.ts';

/**
 * Fetches from the authority with a hard timeout. Any failure (refused, reset, timeout, TLS)
 * becomes an IDP_UNAVAILABLE AppError with the original error as `cause`.
 */
export async function fetchFromAuthority(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (cause) {
    const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
    throw new AppError(ErrorCode.IDP_UNAVAILABLE, 503,
      timedOut ? `authority did not answer within ${timeoutMs} ms` : 'authority unreachable',
      { cause, detail: 'The identity provider could not be reached. Please try again in a moment.' });
  }
}

/** Reads a JSON body, turning HTML error pages and other non-JSON answers into IDP_UNAVAILABLE (502). */
export async function readJson(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new AppError(ErrorCode.IDP_UNAVAILABLE, 502,
      `${what} answered ${response.status} with a body that is not JSON`,
      { cause, detail: 'The identity provider sent an answer the app could not read. Please try again later.' });
  }
}
