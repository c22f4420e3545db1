import { AuthError } from '@azure/msal-node';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { AppError } from '../errors.ts';
import { checkTokenResponse } from './token-response.ts';
import { fetchFromAuthority, readJson } from './upstream.ts';

/**
 * MSAL's network module with a timeout on every request. msal-node's own client has none on
 * POST (the token endpoint), so a hung authority would hang the request that waits for it.
 * Failures surface as IDP_UNAVAILABLE AppErrors wrapped in an MSAL AuthError (MSAL replaces any
 * other error type with a bare network_error), so fromMsalError can find them as `cause`.
 * A malformed successful token response is refused the same way (TOKEN_RESPONSE_INVALID).
 */
export class TimeoutNetworkClient implements INetworkModule {
  readonly #timeoutMs: number;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>(url, 'GET', options);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>(url, 'POST', options);
  }

  async #send<T>(url: string, method: 'GET' | 'POST', options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const init: RequestInit = { method, headers: options?.headers ?? {} };
    if (method === 'POST') init.body = options?.body ?? '';
    try {
      const response = await fetchFromAuthority(url, init, this.#timeoutMs);
      const body = (await readJson(response, 'token endpoint')) as T;
      // Refused here, before MSAL caches anything from it (only the token endpoint is POSTed to).
      if (method === 'POST') checkTokenResponse(String(init.body), response.status, body);
      return { status: response.status, headers: Object.fromEntries(response.headers), body };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      throw Object.assign(new AuthError('network_error', error.message), { cause: error });
    }
  }
}
