/**
 * Which of a user's app roles count for authorization. The one place that decides it: route guards
 * (require-roles.ts) and every page that shows roles use it.
 */
import type { Config } from '../config/index.ts';

/** The app roles in a user's ID token claims (`roles`, an array of role values); [] when none. */
export function rolesOf(claims: Readonly<Record<string, unknown>>): string[] {
  const roles = claims['roles'];
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}

/**
 * Why a token's roles do not count: the multi-tenant app names no trusted tenant
 * (`no_trusted_tenants`), or the token's tenant is not one of them (`tenant_not_trusted`).
 */
export type RolesUntrusted = 'no_trusted_tenants' | 'tenant_not_trusted';

export interface EffectiveRoles {
  /** The roles that count: all of the token's when its tenant is trusted, else none. */
  readonly roles: readonly string[];
  /** The token's roles that do not count (all of them when the tenant is not trusted). */
  readonly ignored: readonly string[];
  /** Why the token's tenant's role assignments do not count; undefined when they do. */
  readonly untrusted: RolesUntrusted | undefined;
  /** The token's `tid` in lower case; undefined when it has none (B2C). */
  readonly tenantId: string | undefined;
}

/**
 * The roles that count: the ID token's `roles` only when they were assigned in a tenant the app
 * trusts for authorization (`config.roleTenants`).
 *
 * The threat: an app role says who assigned it, not who we are. App roles defined on a multi-tenant
 * registration "will be available in all tenants where the application is used"
 * (https://learn.microsoft.com/graph/api/resources/approle), each customer's tenant gets its own
 * service principal of the app, which "defines what the app can actually do in the specific tenant,
 * who can access the app" (https://learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals),
 * and that tenant's administrator assigns the roles under Enterprise applications › Users and groups
 * (https://learn.microsoft.com/entra/identity-platform/howto-add-app-roles-in-apps). So any customer's
 * admin can give anyone in their directory `Employee`, and Entra emits it in `roles` exactly as for a
 * home user. Microsoft's claims-validation guidance ties authorization to the token's tenant
 * (https://learn.microsoft.com/entra/identity-platform/claims-validation#validate-the-tenant).
 *
 * `'issuer'` (single-tenant, External ID, B2C): the authority names one tenant and the ID-token
 * issuer check binds every token to it, so its roles count (External ID assigns roles in its one external
 * tenant: https://learn.microsoft.com/entra/identity-platform/how-to-web-app-role-based-access-control). A list (ROLE_TENANT_IDS): roles count
 * only when the token's `tid` is listed; an empty list (a multi-tenant app without the setting)
 * trusts nobody's roles. ALLOWED_TENANT_IDS does not replace this: each allowed customer's admin
 * still assigns roles in their own directory.
 */
export function effectiveRoles(claims: Readonly<Record<string, unknown>>, config: Pick<Config, 'roleTenants'>): EffectiveRoles {
  const held = rolesOf(claims);
  const tenantId = typeof claims['tid'] === 'string' ? claims['tid'].toLowerCase() : undefined;
  const trusted = config.roleTenants;
  if (trusted === 'issuer' || (tenantId !== undefined && trusted.includes(tenantId))) {
    return { roles: held, ignored: [], untrusted: undefined, tenantId };
  }
  return { roles: [], ignored: held, untrusted: trusted.length === 0 ? 'no_trusted_tenants' : 'tenant_not_trusted', tenantId };
}
