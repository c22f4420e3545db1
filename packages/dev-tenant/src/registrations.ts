/**
 * The tenant's app registrations: the main client plus DevTenantOptions.extraClients, each with at
 * most one Front-channel logout URL. Validates the options and generates the extra clients'
 * credentials (like the portal's "New registration" and "New client secret").
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';
import type { DevTenantExtraClientOptions } from './registration-types.ts';

/** Most extra app registrations a tenant may have. */
export const MAX_EXTRA_CLIENTS = 10;

/** One extra app registration after validation. */
export interface ExtraClientSettings {
  readonly name: string;
  readonly redirectUris: string[];
  readonly postLogoutRedirectUris: string[];
  readonly frontChannelLogoutUri: string | undefined;
}

/** One extra app registration with its generated credentials. */
export interface ExtraClient extends ExtraClientSettings {
  readonly clientId: string;
  readonly clientSecret: string;
}

function invalid(message: string): DevTenantError {
  return new DevTenantError(DEV_TENANT_ERROR_CODES.invalidOption, message);
}

/** Registered redirect URIs: at least one, each an absolute http(s) URI without fragment. */
export function checkUris(name: string, uris: readonly string[]): string[] {
  if (!Array.isArray(uris) || uris.length === 0) throw invalid(`${name} must list at least one URI`);
  for (const uri of uris) {
    const url = typeof uri === 'string' ? URL.parse(uri) : null;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hash) {
      throw invalid(`${name}: "${String(uri)}" is not an absolute http(s) URI without fragment`);
    }
  }
  return [...uris];
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A Front-channel logout URL: absolute, https (http only on localhost: the rule Entra documents for
 * redirect URIs, https://learn.microsoft.com/entra/identity-platform/reply-url#localhost-exceptions;
 * for this field only third-party guides say "must be HTTPS"), no fragment
 * (OpenID Connect Front-Channel Logout 1.0 §2: "MUST NOT include any fragment component"); a
 * query is kept and `iss`/`sid` are added to it. undefined stays undefined.
 */
export function checkFrontChannelUri(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const url = typeof value === 'string' ? URL.parse(value) : null;
  const secure = url?.protocol === 'https:' || (url?.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
  if (!url || !secure || url.hash) throw invalid(`${name}: "${String(value)}" must be an https URL (http only on localhost) without fragment`);
  return value as string;
}

function checkExtraClient(value: unknown, index: number): ExtraClientSettings {
  const name = `extraClients[${index}]`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${name} must be an object`);
  const entry = value as Partial<Record<keyof DevTenantExtraClientOptions, unknown>>;
  if (entry.name !== undefined && (typeof entry.name !== 'string' || entry.name.trim() === '')) throw invalid(`${name}.name must be a non-empty string`);
  return {
    name: typeof entry.name === 'string' ? entry.name : `Extra app ${index + 1}`,
    redirectUris: checkUris(`${name}.redirectUris`, entry.redirectUris as string[]),
    postLogoutRedirectUris: checkUris(`${name}.postLogoutRedirectUris`, entry.postLogoutRedirectUris as string[]),
    frontChannelLogoutUri: checkFrontChannelUri(`${name}.frontChannelLogoutUri`, entry.frontChannelLogoutUri),
  };
}

/** DevTenantOptions.extraClients: an array of at most {@link MAX_EXTRA_CLIENTS} registrations. */
export function checkExtraClients(value: unknown): ExtraClientSettings[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('extraClients must be an array');
  if (value.length > MAX_EXTRA_CLIENTS) throw invalid(`extraClients may list at most ${MAX_EXTRA_CLIENTS} apps, got ${value.length}`);
  return value.map(checkExtraClient);
}

/** Generates each extra registration's client id (a GUID, like Entra's application id) and secret. */
export function registerExtraClients(settings: readonly ExtraClientSettings[]): ExtraClient[] {
  // Entra client secrets are ~40 printable characters, like keys.ts's main secret.
  return settings.map((s) => Object.freeze({ ...s, clientId: randomUUID(), clientSecret: randomBytes(30).toString('base64url') }));
}
