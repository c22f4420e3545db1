/**
 * ROLE_TENANT_IDS / `app_roles.trusted_tenants`: the tenants whose app-role assignments the app
 * trusts for authorization. The rule that uses it, and why, is in auth/effective-roles.ts.
 */
import { isGuid } from '../guid.ts';
import { ConfigError } from './errors.ts';
import type { AuthorityType, RawSettings, RoleTenants } from './types.ts';

const KEY = 'ROLE_TENANT_IDS';
const NAMES = 'ROLE_TENANT_IDS (app_roles.trusted_tenants in aad.config.json)';

/** The listed ids in lower case; undefined when the setting is absent. A JSON list or a comma-separated string. */
function idsOf(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(list) || !list.every((id) => typeof id === 'string')) {
    throw new ConfigError(KEY, `${NAMES} must be tenant ids (GUIDs), comma-separated or a JSON list, e.g. ["<home-tenant-id>"]`);
  }
  return (list as string[]).map((id) => id.trim().toLowerCase()).filter(Boolean);
}

/**
 * Validates the trusted role tenants against the authority type. Unset: a multi-tenant app trusts
 * no tenant's roles (an empty list); every other type trusts the one tenant its authority names.
 * Refused with B2C, which issues no app roles and no `tid`
 * (https://learn.microsoft.com/azure/active-directory-b2c/tokens-overview#claims). A tenant that
 * ALLOWED_TENANT_IDS keeps from signing in is refused too: its roles could never count.
 */
export function roleTenantsOf(raw: RawSettings, type: AuthorityType, allowedTenants: readonly string[]): RoleTenants {
  const ids = idsOf(raw.roleTenantIds);
  if (ids === undefined) return type === 'MULTI_TENANT' ? Object.freeze([]) : 'issuer';
  if (type === 'B2C') {
    throw new ConfigError(KEY, `${NAMES} cannot be used with Azure AD B2C (B2C tokens carry no app roles and no tid): remove it`);
  }
  const bad = ids.find((id) => !isGuid(id));
  if (bad !== undefined) {
    throw new ConfigError(KEY, `${NAMES} has "${bad}", which is not a tenant id (GUID): use the Directory (tenant) ID from the app registration's Overview page`);
  }
  const barred = ids.find((id) => allowedTenants.length > 0 && !allowedTenants.includes(id));
  if (barred !== undefined) {
    throw new ConfigError(KEY, `${NAMES} names ${barred}, whose users ALLOWED_TENANT_IDS does not let sign in: add it to ALLOWED_TENANT_IDS, or remove it from ROLE_TENANT_IDS`);
  }
  return Object.freeze([...new Set(ids)]);
}
