import { ConfigError } from './errors.ts';
import { isGuid } from '../guid.ts';
import type { AuthorityType, RawSettings } from './types.ts';

/* What the app asks for and whom it lets in: scope lists, dashboard roles, allowed tenants. */

/** A list of scope names (JSON array); `fallback` when unset. An empty list is allowed where `allowEmpty`. */
export function scopeList(key: string, value: unknown, fallback: readonly string[], allowEmpty: boolean): string[] {
  if (value === undefined || value === null) return [...fallback];
  const ok = Array.isArray(value) && (allowEmpty || value.length > 0)
    && value.every((s) => typeof s === 'string' && /^\S+$/.test(s));
  if (!ok) {
    throw new ConfigError(key, `${key} in aad.config.json must be a ${allowEmpty ? '' : 'non-empty '}list of scope names, e.g. ["User.ReadBasic.All"]`);
  }
  return [...(value as string[])];
}

/**
 * The Graph scopes used when `auth_request.scopes` / `graph.scopes` are unset (or null, as shipped):
 * External ID customers may read only their own profile (`GET /me`, User.Read;
 * https://learn.microsoft.com/entra/external-id/customers/reference-user-permissions), workforce
 * users list the tenant's users (User.ReadBasic.All, user-consentable). A value set explicitly wins.
 */
export function defaultGraphScopes(type: AuthorityType): string[] {
  return type === 'EXTERNAL_ID' ? ['User.Read'] : ['User.ReadBasic.All'];
}

/** App roles for the claims dashboard: a JSON list or a comma-separated CLAIMS_DASHBOARD_ROLES. */
export function rolesOf(value: unknown): readonly string[] {
  const list = value === undefined ? ['Employee'] : typeof value === 'string' ? value.split(',').map((r) => r.trim()) : value;
  const ok = Array.isArray(list) && list.length > 0 && list.every((r) => typeof r === 'string' && /^[^\s,]+$/.test(r));
  if (!ok) {
    throw new ConfigError('app_roles.claims_dashboard',
      'app_roles.claims_dashboard (or CLAIMS_DASHBOARD_ROLES) must list app role values without spaces, e.g. ["Employee"]');
  }
  return Object.freeze([...(list as string[])]);
}

/**
 * ALLOWED_TENANT_IDS: a comma-separated list of tenant GUIDs, or unset for any tenant. Refused with
 * B2C: its ID tokens carry no `tid` by default
 * (https://learn.microsoft.com/azure/active-directory-b2c/tokens-overview#claims), and everyone who
 * signs in through a B2C tenant is that tenant's own customer, so there is nothing to filter.
 */
export function allowedTenantsOf(raw: RawSettings, type: AuthorityType): readonly string[] {
  const ids = (raw.allowedTenantIds ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (ids.length > 0 && type === 'B2C') {
    throw new ConfigError('ALLOWED_TENANT_IDS', 'ALLOWED_TENANT_IDS cannot be used with Azure AD B2C (B2C tokens carry no tid by default, and all of a B2C tenant\'s users are its own customers): remove ALLOWED_TENANT_IDS');
  }
  const bad = ids.find((id) => !isGuid(id));
  if (bad) throw new ConfigError('ALLOWED_TENANT_IDS', `ALLOWED_TENANT_IDS has "${bad}", which is not a tenant id (GUID)`);
  return Object.freeze(ids);
}
