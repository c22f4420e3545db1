import { AppError, ErrorCode } from '../errors.ts';
import { isGuid } from '../guid.ts';
import { fetchFromAuthority, readJson } from './upstream.ts';

/** The parts of the OpenID Provider metadata the app relies on (OpenID Connect Discovery 1.0 §3). */
export interface AuthorityMetadata {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly end_session_endpoint: string | undefined;
  /** The authority promises `iss` on every authorization response (RFC 9207 §3). */
  readonly authorization_response_iss_parameter_supported: boolean;
  /** The document as received, handed to MSAL as `authorityMetadata` so MSAL never fetches it. */
  readonly json: string;
}


const TENANT = '{tenantid}';

/**
 * The issuer of tenant `tid` under the metadata's issuer: the issuer itself for a single tenant, or
 * Entra's multi-tenant template (`https://login.microsoftonline.com/{tenantid}/v2.0`) filled with
 * `tid`. Undefined when the template needs a tenant and `tid` is not a tenant id.
 */
export function issuerForTenant(template: string, tid: unknown): string | undefined {
  if (!template.includes(TENANT)) return template;
  return isGuid(tid) ? template.replace(TENANT, tid) : undefined;
}

/** True when `iss` is the metadata's issuer, or its multi-tenant template filled with some tenant id. */
export function issuerMatches(template: string, iss: string): boolean {
  const at = template.indexOf(TENANT);
  if (at < 0) return iss === template;
  const tid = iss.slice(at, iss.length - (template.length - at - TENANT.length));
  return issuerForTenant(template, tid) === iss;
}

/** Entra's v2.0 discovery document location for an authority. */
export function discoveryUrl(authority: string): string {
  return `${authority}/v2.0/.well-known/openid-configuration`;
}

function httpsUrl(doc: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const value = doc[key];
  if (value === undefined && !required) return undefined;
  if (typeof value === 'string' && value.startsWith('https://')) return value;
  throw new AppError(ErrorCode.IDP_UNAVAILABLE, 502, `authority metadata has no valid https "${key}"`,
    { detail: 'The identity provider published unusable metadata.' });
}

/** Fetches and checks the authority's metadata (one request, bounded by `timeoutMs`). */
export async function fetchAuthorityMetadata(authority: string, timeoutMs: number): Promise<AuthorityMetadata> {
  const response = await fetchFromAuthority(discoveryUrl(authority), { headers: { accept: 'application/json' } }, timeoutMs);
  if (!response.ok) {
    await response.body?.cancel();
    throw new AppError(ErrorCode.IDP_UNAVAILABLE, response.status >= 500 ? 503 : 502,
      `authority metadata answered HTTP ${response.status}`,
      { detail: 'The identity provider is not available right now. Please try again in a moment.' });
  }
  const doc = await readJson(response, 'authority metadata');
  if (!doc || typeof doc !== 'object') {
    throw new AppError(ErrorCode.IDP_UNAVAILABLE, 502, 'authority metadata is not a JSON object');
  }
  const d = doc as Record<string, unknown>;
  const issuer = d.issuer;
  if (typeof issuer !== 'string' || issuer === '') {
    throw new AppError(ErrorCode.IDP_UNAVAILABLE, 502, 'authority metadata has no issuer');
  }
  return Object.freeze({
    issuer,
    authorization_endpoint: httpsUrl(d, 'authorization_endpoint', true)!,
    token_endpoint: httpsUrl(d, 'token_endpoint', true)!,
    jwks_uri: httpsUrl(d, 'jwks_uri', true)!,
    end_session_endpoint: httpsUrl(d, 'end_session_endpoint', false),
    authorization_response_iss_parameter_supported: d.authorization_response_iss_parameter_supported === true,
    json: JSON.stringify(doc),
  });
}

/**
 * Holds the authority metadata for the life of the process: fetched once (at start-up),
 * shared by every request. A failed fetch is not cached, so the next caller retries.
 */
export class MetadataSource {
  readonly #load: () => Promise<AuthorityMetadata>;
  #pending: Promise<AuthorityMetadata> | undefined;
  #value: AuthorityMetadata | undefined;

  constructor(load: () => Promise<AuthorityMetadata>) {
    this.#load = load;
  }

  /** The metadata if already loaded, without waiting. */
  get current(): AuthorityMetadata | undefined {
    return this.#value;
  }

  /** The metadata, loading it on first use (or after a failed load). */
  get(): Promise<AuthorityMetadata> {
    if (this.#value) return Promise.resolve(this.#value);
    this.#pending ??= this.#load().then(
      (value) => { this.#value = value; return value; },
      (error: unknown) => { this.#pending = undefined; throw error; },
    );
    return this.#pending;
  }
}
