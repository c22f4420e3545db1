import axios from 'axios';
import type { AxiosInstance } from 'axios';
import { AppError, ErrorCode } from '../errors.ts';

/** A user as listed on the Call Graph page. */
export interface GraphUser {
  readonly id: string;
  readonly displayName: string | null;
  readonly userPrincipalName: string | null;
}

const USER_FIELDS = ['id', 'displayName', 'userPrincipalName'];

function graphError(status: number, data: unknown): AppError {
  const error = (data as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : 'unknown';
  const message = typeof error?.message === 'string' ? error.message.slice(0, 500) : '';
  return new AppError(ErrorCode.GRAPH_ERROR, status === 429 || status === 503 ? 503 : 502, `Graph answered ${status} ${code}`, {
    detail: 'Microsoft Graph could not complete the request.',
    facts: { 'Graph status': status, 'Graph error code': code, ...(message ? { 'Graph message': message } : {}) },
  });
}

/** Calls Microsoft Graph with the user's access token; every call has a timeout. */
export class GraphClient {
  readonly #http: AxiosInstance;
  readonly #endpoint: string;

  constructor(endpoint: string, timeoutMs: number) {
    this.#endpoint = endpoint;
    // validateStatus: every status comes back here, so errors are read, not thrown with the request attached.
    this.#http = axios.create({ timeout: timeoutMs, validateStatus: () => true, maxRedirects: 0 });
  }

  /** `GET /users?$top=…&$select=id,displayName,userPrincipalName`. */
  async listUsers(accessToken: string, top = 5): Promise<GraphUser[]> {
    const url = new URL(`${this.#endpoint}/users`);
    url.searchParams.set('$top', String(top));
    url.searchParams.set('$select', USER_FIELDS.join(','));
    let response;
    try {
      response = await this.#http.get(url.href, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
    } catch (cause) {
      const timedOut = axios.isAxiosError(cause) && cause.code === 'ECONNABORTED';
      throw new AppError(ErrorCode.GRAPH_UNAVAILABLE, 503, timedOut ? 'Graph timed out' : 'Graph unreachable', {
        detail: 'Microsoft Graph could not be reached. Please try again in a moment.',
      });
    }
    if (response.status !== 200) throw graphError(response.status, response.data);
    const value = (response.data as { value?: unknown })?.value;
    if (!Array.isArray(value)) throw graphError(response.status, undefined);
    return value.map((u: Record<string, unknown>) => ({
      id: String(u.id ?? ''),
      displayName: typeof u.displayName === 'string' ? u.displayName : null,
      userPrincipalName: typeof u.userPrincipalName === 'string' ? u.userPrincipalName : null,
    }));
  }
}
