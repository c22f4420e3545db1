import { CLIENT_NAME } from './context.ts';
import type { TenantContext } from './context.ts';
import type { DemoUser } from './types.ts';
import { subjectFor } from './users.ts';
import type { UserDirectory } from './users.ts';

/** The guest organisation's fixed tenant id: tokens, caches and tests stay stable across starts. */
export const GUEST_TENANT_ID = '5b8e6c1d-3f2a-4d7e-9c0b-8a1f2e3d4c5b';

/** Domain of the guest organisation's accounts (reserved `.example` TLD). */
export const GUEST_DOMAIN = 'fabrikam.devtenant.example';

type Seed = [oid: string, given: string, surname: string, jobTitle: string, roles: string[]];

/**
 * Fabrikam's accounts with the app roles Fabrikam's own administrator assigned them. A multi-tenant
 * app gets a service principal in each tenant that uses it, which "defines … who can access the app"
 * there (https://learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals); the
 * registration's app roles "will be available in all tenants where the application is used"
 * (https://learn.microsoft.com/graph/api/resources/approle), and each tenant's admin assigns them under
 * Enterprise applications › Users and groups
 * (https://learn.microsoft.com/entra/identity-platform/howto-add-app-roles-in-apps). So Nadia's
 * `Employee` reaches her ID token's `roles` exactly like a home user's (claims.ts), with Fabrikam's `tid`.
 */
const GUEST_SEEDS: readonly Seed[] = [
  ['0c7d5e2a-8b14-4f63-a9d2-6e1f3b5c7a90', 'Nadia', 'Okafor', 'Purchasing Lead', ['Employee']],
  ['e4a2b6c8-1d3f-4e5a-b7c9-2f4d6e8a0b1c', 'Tomas', 'Lindqvist', 'External Auditor', []],
];

/** The guest organisation's accounts (Fabrikam), Nadia Okafor first. Frozen. */
export const GUEST_USERS: readonly DemoUser[] = Object.freeze(GUEST_SEEDS.map(([oid, givenName, surname, jobTitle, roles]) => {
  const upn = `${givenName}${surname.charAt(0)}@${GUEST_DOMAIN}`;
  return Object.freeze({ oid, displayName: `${givenName} ${surname}`, userPrincipalName: upn, givenName, surname, mail: upn, jobTitle, roles: Object.freeze([...roles]) as string[] });
}));

/** One directory (Entra tenant) the development tenant hosts. */
export interface Organization {
  readonly tenantId: string;
  /** Shown above its accounts on the multi-tenant picker. */
  readonly label: string;
  /** "https://localhost:<port>/<tenantId>/v2.0": the `iss` of its users' tokens. */
  readonly issuer: string;
  /** Its accounts (the home one's include the generated test users). */
  readonly users: readonly DemoUser[];
}

/** Every directory the tenant hosts: the home tenant first, then the guest organisation. */
export interface Organizations {
  readonly all: readonly Organization[];
  byTenantId(tenantId: string | undefined): Organization | undefined;
  /** The directory a user belongs to. */
  of(user: DemoUser): Organization | undefined;
}

/** The home tenant and the guest organisation "Fabrikam" (fixed tenant id, {@link GUEST_USERS}). */
export function createOrganizations(home: { tenantId: string; issuer: string; origin: string; users: readonly DemoUser[] }): Organizations {
  const all: Organization[] = [
    { tenantId: home.tenantId, label: 'Contoso (home tenant)', issuer: home.issuer, users: home.users },
    { tenantId: GUEST_TENANT_ID, label: 'Fabrikam (guest organisation)', issuer: `${home.origin}/${GUEST_TENANT_ID}/v2.0`, users: GUEST_USERS },
  ];
  const byOid = new Map(all.flatMap((org) => org.users.map((u): [string, Organization] => [u.oid, org])));
  return {
    all,
    byTenantId: (tenantId) => all.find((org) => org.tenantId === tenantId),
    of: (user) => byOid.get(user.oid),
  };
}

/** The tenant id and issuer of a user's tokens: its own directory's (the mount's when unknown). */
export function userTenant(tenant: TenantContext, user: DemoUser | undefined): { tenantId: string; issuer: string } {
  const org = user === undefined ? undefined : tenant.organizations?.of(user);
  return org ? { tenantId: org.tenantId, issuer: org.issuer } : { tenantId: tenant.tenantId, issuer: tenant.issuer };
}

/** One directory over the users of every organisation (subjects stay pairwise per client). */
function combinedDirectory(home: UserDirectory, orgs: Organizations, clientId: string): UserDirectory {
  const guests = orgs.all.slice(1).flatMap((org) => org.users);
  const users = Object.freeze([...home.users, ...guests]);
  const byOid = new Map(users.map((u) => [u.oid, u]));
  const bySub = new Map(users.map((u) => [subjectFor(u.oid, clientId), u]));
  return {
    users,
    named: Object.freeze([...home.named, ...guests]),
    generated: home.generated,
    byOid: (oid) => byOid.get(oid),
    bySubject: (sub) => bySub.get(sub),
    subjectOf: (user) => subjectFor(user.oid, clientId),
  };
}

/** The multi-tenant authorities Entra serves besides `/{tenantId}`. */
export const MULTI_TENANT_MOUNTS = ['organizations', 'common'] as const;

/**
 * The context of a multi-tenant authority (`/organizations` or `/common`): every organisation's
 * users may sign in; the issuer is internal (oidc-provider needs one) and never reaches a token —
 * tokens carry the user's own tenant's issuer (see multi-tenant.ts).
 */
export function multiTenantContext(home: TenantContext, name: (typeof MULTI_TENANT_MOUNTS)[number], orgs: Organizations): TenantContext {
  return {
    ...home,
    mountPath: `/${name}`,
    issuer: `${home.origin}/${name}/v2.0`,
    users: combinedDirectory(home.users, orgs, home.clientId),
    footer: `Multi-tenant authority /${name} · development only`,
    accessTokenTtl: home.accessTokenTtl,
    organizations: orgs,
  };
}

/**
 * Entra's refusal when a user of another directory picks a single-tenant authority's sign-in
 * (AADSTS50020); undefined when `oid` is no user of any hosted directory.
 */
export function foreignUserDescription(tenant: TenantContext, oid: string): string | undefined {
  const user = tenant.organizations?.all.flatMap((org) => org.users).find((u) => u.oid === oid);
  if (!user) return undefined;
  return `AADSTS50020: User account '${user.userPrincipalName}' from identity provider 'https://sts.windows.net/${userTenant(tenant, user).tenantId}/' `
    + `does not exist in tenant '${tenant.tenantId}' and cannot access the application '${tenant.clientId}'(${CLIENT_NAME}) in that tenant.`;
}
