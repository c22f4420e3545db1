import { setTimeout as sleep } from 'node:timers/promises';
import axios from 'axios';
import type { AxiosInstance, AxiosResponse } from 'axios';
import { AppError, ErrorCode } from '../errors.ts';
import { isGuid } from '../guid.ts';
import { claimsChallengeOf, graphError, retryDelaySeconds } from './errors.ts';

/** A user as listed on the Call Graph page. */
export interface GraphUser {
  readonly id: string;
  readonly displayName: string | null;
  readonly userPrincipalName: string | null;
}

const USER_FIELDS = ['id', 'displayName', 'userPrincipalName'];

/** The signed-in user's own profile (`GET /me`): what an External ID customer may read. */
export interface GraphProfile {
  readonly id: string;
  readonly displayName: string | null;
  readonly givenName: string | null;
  readonly surname: string | null;
  readonly mail: string | null;
  readonly userPrincipalName: string | null;
}

const PROFILE_FIELDS = ['id', 'displayName', 'givenName', 'surname', 'mail', 'userPrincipalName'] as const;
/** Throttled calls are retried at most this often, waiting at most RETRY_CAP_SECONDS each time. */
const MAX_RETRIES = 2;
const RETRY_CAP_SECONDS = 5;

/** Calls Microsoft Graph with the user's access token; every call has a timeout. */
export class GraphClient {
  readonly #http: AxiosInstance;
  readonly #usersUrl: string;
  readonly #memberGroupsUrl: string;
  readonly #meUrl: string;
  readonly #groupsUrl: string;

  constructor(endpoint: string, timeoutMs: number) {
    const url = new URL(`${endpoint}/users`);
    url.searchParams.set('$top', '5');
    url.searchParams.set('$select', USER_FIELDS.join(','));
    this.#usersUrl = url.href;
    this.#memberGroupsUrl = new URL(`${endpoint}/me/getMemberGroups`).href;
    const me = new URL(`${endpoint}/me`);
    me.searchParams.set('$select', PROFILE_FIELDS.join(','));
    this.#meUrl = me.href;
    this.#groupsUrl = `${endpoint}/groups`;
    // validateStatus: every status comes back here, so errors are read, not thrown with the request attached.
    this.#http = axios.create({ timeout: timeoutMs, validateStatus: () => true, maxRedirects: 0 });
  }

  async #send(url: string, accessToken: string, body?: unknown): Promise<AxiosResponse> {
    const headers = { authorization: `Bearer ${accessToken}`, accept: 'application/json' };
    try {
      return body === undefined
        ? await this.#http.get(url, { headers })
        : await this.#http.post(url, body, { headers: { ...headers, 'content-type': 'application/json' } });
    } catch (cause) {
      const timedOut = axios.isAxiosError(cause) && cause.code === 'ECONNABORTED';
      throw new AppError(ErrorCode.GRAPH_UNAVAILABLE, 503, timedOut ? 'Graph timed out' : 'Graph unreachable', {
        detail: 'Microsoft Graph could not be reached. Please try again in a moment.',
      });
    }
  }

  /**
   * A call with throttling handled as Graph asks: on 429/503 wait `Retry-After` (1 s when absent) and
   * retry, at most MAX_RETRIES times and never longer than RETRY_CAP_SECONDS per wait.
   */
  async #sendWithRetry(url: string, accessToken: string, body?: unknown): Promise<AxiosResponse> {
    for (let attempt = 0; ; attempt++) {
      const response = await this.#send(url, accessToken, body);
      const delay = retryDelaySeconds(response.status, response.headers['retry-after']);
      if (delay === undefined || delay > RETRY_CAP_SECONDS || attempt >= MAX_RETRIES) return response;
      await sleep(delay * 1000);
    }
  }

  /** `GET /users?$top=5&$select=id,displayName,userPrincipalName`. */
  async listUsers(accessToken: string): Promise<GraphUser[]> {
    const value = this.#values(await this.#sendWithRetry(this.#usersUrl, accessToken));
    return (value as Record<string, unknown>[]).map((u) => ({
      id: String(u.id ?? ''),
      displayName: typeof u.displayName === 'string' ? u.displayName : null,
      userPrincipalName: typeof u.userPrincipalName === 'string' ? u.userPrincipalName : null,
    }));
  }

  /**
   * `POST /me/getMemberGroups`: the ids of every group the user is in, directly or not. What the
   * groups overage asks for when a token cannot carry them all (needs GroupMember.Read.All).
   */
  async memberGroups(accessToken: string): Promise<string[]> {
    const value = this.#values(await this.#sendWithRetry(this.#memberGroupsUrl, accessToken, { securityEnabledOnly: false }));
    return value.filter(isGuid);
  }

  /**
   * `GET /groups/{id}?$select=id,displayName` for each id, in parallel (GroupMember.Read.All):
   * the groups' names, null for a group Graph does not show (404). One call per id: the caller
   * passes one page of groups, at most GROUPS_PER_PAGE. The development tenant's Graph has no
   * `$batch`, so JSON batching (https://learn.microsoft.com/graph/json-batching) is not used.
   * https://learn.microsoft.com/graph/api/group-get
   */
  async groupNames(accessToken: string, ids: readonly string[]): Promise<(string | null)[]> {
    return Promise.all(ids.map(async (id) => {
      const url = new URL(`${this.#groupsUrl}/${encodeURIComponent(id)}`);
      url.searchParams.set('$select', 'id,displayName');
      const response = await this.#sendWithRetry(url.href, accessToken);
      if (response.status === 404) return null;
      if (response.status !== 200) this.#values(response); // throws the matching GraphError
      const name = (response.data as { displayName?: unknown } | undefined)?.displayName;
      return typeof name === 'string' ? name : null;
    }));
  }

  /**
   * `GET /me?$select=id,displayName,givenName,surname,mail,userPrincipalName` (User.Read): the
   * signed-in user's own profile. External ID customers may read only this, not `/users`
   * (https://learn.microsoft.com/entra/external-id/customers/reference-user-permissions).
   */
  async profile(accessToken: string): Promise<GraphProfile> {
    const response = await this.#sendWithRetry(this.#meUrl, accessToken);
    if (response.status !== 200) this.#values(response); // throws the matching GraphError
    const data = (response.data ?? {}) as Record<string, unknown>;
    if (typeof data.id !== 'string') throw graphError(502, undefined, undefined, undefined);
    const text = (name: string): string | null => (typeof data[name] === 'string' ? data[name] : null);
    return { id: data.id, displayName: text('displayName'), givenName: text('givenName'), surname: text('surname'), mail: text('mail'), userPrincipalName: text('userPrincipalName') };
  }

  /** The `value` array of a 200 answer; any other answer becomes the matching GraphError. */
  #values(response: AxiosResponse): unknown[] {
    if (response.status !== 200) {
      throw graphError(response.status, response.data, response.headers['retry-after'], claimsChallengeOf(response.headers['www-authenticate']));
    }
    const value = (response.data as { value?: unknown })?.value;
    if (!Array.isArray(value)) throw graphError(502, undefined, undefined, undefined);
    return value;
  }
}
