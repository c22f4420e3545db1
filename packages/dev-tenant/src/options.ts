import { CLIENT_AUTH_METHODS } from './client-auth.ts';
import type { ClientAuth } from './client-auth.ts';
import { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';
import { checkExtraClients, checkFrontChannelUri, checkUris } from './registrations.ts';
import type { ExtraClientSettings } from './registrations.ts';
import { B2C_FLOW_CLAIMS, policyNamed } from './shapes/b2c-policies.ts';
import type { B2cFlowClaim, B2cPolicy } from './shapes/b2c-policies.ts';
import type { DevTenantOptions, DevTenantShape } from './types.ts';
import { MAX_EXTRA_USERS } from './users.ts';

/** Options after defaults and validation. */
export interface ResolvedOptions {
  port: number;
  dataDir: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  accessTokenTtlSeconds: number;
  extraUsers: number;
  shape: DevTenantShape;
  clientAuth: ClientAuth;
  b2cFlowClaim: Partial<Record<B2cPolicy, B2cFlowClaim>>;
  /** The optional ID-token claim `login_hint` is configured (DevTenantOptions.optionalClaims). */
  loginHintClaim: boolean;
  /** Single-tenant authorities promise and send RFC 9207 `iss` (DevTenantOptions.authorizationResponseIss). */
  authorizationResponseIss: boolean;
  /** The main client's Front-channel logout URL (DevTenantOptions.frontChannelLogoutUri). */
  frontChannelLogoutUri: string | undefined;
  /** More app registrations (DevTenantOptions.extraClients), without credentials yet. */
  extraClients: ExtraClientSettings[];
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

function checkClientAuth(value: unknown): ClientAuth {
  if (value === undefined) return 'client_secret';
  if (!CLIENT_AUTH_METHODS.includes(value as ClientAuth)) throw invalid(`clientAuth must be one of ${CLIENT_AUTH_METHODS.join(', ')}, got ${String(value)}`);
  return value as ClientAuth;
}

/** The identity services the tenant can imitate. */
export const DEV_TENANT_SHAPES: readonly DevTenantShape[] = ['entra', 'external_id', 'b2c'];

function checkShape(value: unknown): DevTenantShape {
  if (value === undefined) return 'entra';
  if (!DEV_TENANT_SHAPES.includes(value as DevTenantShape)) throw invalid(`shape must be one of ${DEV_TENANT_SHAPES.join(', ')}, got ${String(value)}`);
  return value as DevTenantShape;
}

/** DevTenantOptions.b2cFlowClaim: known policy ids (any case) to 'tfp' | 'acr' | 'none'; shape 'b2c' only. */
function checkFlowClaims(value: unknown, shape: DevTenantShape): Partial<Record<B2cPolicy, B2cFlowClaim>> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('b2cFlowClaim must be an object keyed by user-flow id');
  if (shape !== 'b2c') throw invalid(`b2cFlowClaim is for shape 'b2c' only, got shape ${shape}`);
  const result: Partial<Record<B2cPolicy, B2cFlowClaim>> = {};
  for (const [name, claim] of Object.entries(value)) {
    const policy = policyNamed(name);
    if (!policy) throw invalid(`b2cFlowClaim: "${name}" is not a user flow of the tenant`);
    if (!B2C_FLOW_CLAIMS.includes(claim as B2cFlowClaim)) throw invalid(`b2cFlowClaim.${name} must be one of ${B2C_FLOW_CLAIMS.join(', ')}, got ${String(claim)}`);
    result[policy] = claim as B2cFlowClaim;
  }
  return result;
}

/** DevTenantOptions.optionalClaims: only 'login_hint', not for 'b2c' (its user flows choose their claims); true when listed. */
function checkOptionalClaims(value: unknown, shape: DevTenantShape): boolean {
  if (value === undefined) return false;
  if (!Array.isArray(value) || value.some((c) => c !== 'login_hint')) throw invalid(`optionalClaims must list only 'login_hint', got ${JSON.stringify(value)}`);
  if (shape === 'b2c' && value.length > 0) throw invalid("optionalClaims is not for shape 'b2c': B2C user flows choose their own claims");
  return value.length > 0;
}

/** A boolean option: default false. */
function checkFlag(name: string, value: unknown): boolean {
  if (value !== undefined && typeof value !== 'boolean') throw invalid(`${name} must be true or false, got ${String(value)}`);
  return value === true;
}

/** Applies the defaults of {@link DevTenantOptions} and validates every value. */
export function resolveOptions(options: DevTenantOptions): ResolvedOptions {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw invalid(`port must be an integer 0..65535, got ${String(port)}`);
  const extraUsers = options.extraUsers ?? 0;
  if (!Number.isInteger(extraUsers) || extraUsers < 0 || extraUsers > MAX_EXTRA_USERS) {
    throw invalid(`extraUsers must be an integer 0..${MAX_EXTRA_USERS}, got ${String(extraUsers)}`);
  }
  const shape = checkShape(options.shape);
  return {
    port,
    dataDir: options.dataDir ?? '.devtenant',
    redirectUris: checkUris('redirectUris', options.redirectUris ?? ['http://localhost:8000/auth/redirect']),
    postLogoutRedirectUris: checkUris('postLogoutRedirectUris', options.postLogoutRedirectUris ?? ['http://localhost:8000/auth/post_sign_out']),
    accessTokenTtlSeconds: checkTtl(options.accessTokenTtlSeconds ?? 3600),
    extraUsers,
    shape,
    clientAuth: checkClientAuth(options.clientAuth),
    b2cFlowClaim: checkFlowClaims(options.b2cFlowClaim, shape),
    loginHintClaim: checkOptionalClaims(options.optionalClaims, shape),
    authorizationResponseIss: checkFlag('authorizationResponseIss', options.authorizationResponseIss),
    frontChannelLogoutUri: checkFrontChannelUri('frontChannelLogoutUri', options.frontChannelLogoutUri),
    extraClients: checkExtraClients(options.extraClients),
  };
}
