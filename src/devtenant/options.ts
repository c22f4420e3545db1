import { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';
import type { DevTenantOptions } from './types.ts';
import { MAX_EXTRA_USERS } from './users.ts';

/** Options after defaults and validation. */
export interface ResolvedOptions {
  port: number;
  dataDir: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  accessTokenTtlSeconds: number;
  extraUsers: number;
}

function invalid(message: string): DevTenantError {
  return new DevTenantError(DEV_TENANT_ERROR_CODES.invalidOption, message);
}

/** Throws DEV_TENANT_IN_PRODUCTION when `nodeEnv` is "production". */
export function refuseProduction(nodeEnv: string | undefined): void {
  if (nodeEnv === 'production') {
    throw new DevTenantError(
      DEV_TENANT_ERROR_CODES.inProduction,
      'The development tenant refuses to run when NODE_ENV=production: it is not Microsoft Entra ID and signs in demo accounts without a password.',
    );
  }
}

/** Checks a TTL in seconds (positive integer, at most 24 h like Entra's maximum). */
export function checkTtl(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
    throw invalid(`accessTokenTtlSeconds must be an integer between 1 and 86400, got ${String(seconds)}`);
  }
  return seconds;
}

function checkUris(name: string, uris: readonly string[]): string[] {
  if (!Array.isArray(uris) || uris.length === 0) throw invalid(`${name} must list at least one URI`);
  for (const uri of uris) {
    const url = typeof uri === 'string' ? URL.parse(uri) : null;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hash) {
      throw invalid(`${name}: "${String(uri)}" is not an absolute http(s) URI without fragment`);
    }
  }
  return [...uris];
}

/** Applies the defaults of {@link DevTenantOptions} and validates every value. */
export function resolveOptions(options: DevTenantOptions): ResolvedOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw invalid(`port must be an integer 0..65535, got ${String(port)}`);
  const extraUsers = options.extraUsers ?? 0;
  if (!Number.isInteger(extraUsers) || extraUsers < 0 || extraUsers > MAX_EXTRA_USERS) {
    throw invalid(`extraUsers must be an integer 0..${MAX_EXTRA_USERS}, got ${String(extraUsers)}`);
  }
  return {
    port,
    dataDir: options.dataDir ?? '.devtenant',
    redirectUris: checkUris('redirectUris', options.redirectUris ?? ['http://localhost:8000/auth/redirect']),
    postLogoutRedirectUris: checkUris('postLogoutRedirectUris', options.postLogoutRedirectUris ?? ['http://localhost:8000/auth/post_sign_out']),
    accessTokenTtlSeconds: checkTtl(options.accessTokenTtlSeconds ?? 3600),
    extraUsers,
  };
}
