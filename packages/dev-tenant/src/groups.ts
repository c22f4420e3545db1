/**
 * The home tenant's security groups and who is in them (Entra shape only): a few named groups with
 * fixed ids, and Patti Fernandez in {@link OVERAGE_GROUP_COUNT} groups, more than an ID token may
 * list, so her tokens carry Entra's groups overage instead (see group-claims.ts).
 */
import type { DevTenantGroup } from './types.ts';
import { DEMO_USERS, stableGuid } from './users.ts';

/** The user in more groups than a token may list. */
export const OVERAGE_USER = 'Patti Fernandez';

/** How many groups {@link OVERAGE_USER} is in: the named groups plus generated "Project Team nnn" ones. */
export const OVERAGE_GROUP_COUNT = 250;

type NamedGroup = [id: string, displayName: string, members: readonly string[]];

// Fixed ids so that tokens, app configuration and tests stay stable. Members by display name;
// Patti Fernandez is added to every group below.
const NAMED_GROUPS: readonly NamedGroup[] = [
  ['a1f4aa92-c6e7-4354-bd13-06a58589b52e', 'Claims Adjusters', ['Megan Bowen', 'Adele Vance', 'Johanna Lorenz']],
  ['7af91fe2-1788-4052-9c07-402ddbda0d7e', 'Underwriters', ['Adele Vance', 'Lee Gu', 'Lidia Holloway']],
  ['a7dde0e8-8261-40ac-8830-2053f075bea8', 'All Employees', [
    'Megan Bowen', 'Adele Vance', 'Diego Siciliani', 'Grady Archie', 'Johanna Lorenz', 'Lee Gu', 'Lidia Holloway', 'Nestor Wilke',
  ]],
  ['819bb598-97da-469e-b4d2-1a12c1e7ef75', 'Auditors', ['Diego Siciliani', 'Nestor Wilke']],
];

/** The tenant's groups and memberships. */
export interface GroupDirectory {
  /** Every group: the named ones first, then "Project Team 001", …. */
  readonly groups: readonly DevTenantGroup[];
  byId(id: string): DevTenantGroup | undefined;
  /** Ids of the groups the user (by oid) is a member of, in {@link groups} order; empty for anyone else. */
  of(oid: string): readonly string[];
}

function oidOf(displayName: string): string {
  const user = DEMO_USERS.find((u) => u.displayName === displayName);
  if (!user) throw new Error(`groups.ts names an unknown demo user: ${displayName}`);
  return user.oid;
}

/** "Project Team 001" … with name-based ids, enough to put {@link OVERAGE_USER} in {@link OVERAGE_GROUP_COUNT} groups. */
function projectTeams(count: number): DevTenantGroup[] {
  return Array.from({ length: count }, (_, i) => {
    const displayName = `Project Team ${String(i + 1).padStart(3, '0')}`;
    return Object.freeze({ id: stableGuid(displayName, 'groups'), displayName });
  });
}

/** Builds the group directory of the home tenant (the same for every start). */
export function createGroupDirectory(): GroupDirectory {
  const named = NAMED_GROUPS.map(([id, displayName]) => Object.freeze({ id, displayName }));
  const teams = projectTeams(OVERAGE_GROUP_COUNT - named.length);
  const groups = Object.freeze([...named, ...teams]);
  const members = new Map<string, string[]>();
  const join = (oid: string, groupId: string): void => {
    members.set(oid, [...(members.get(oid) ?? []), groupId]);
  };
  for (const [id, , names] of NAMED_GROUPS) for (const name of names) join(oidOf(name), id);
  const overage = oidOf(OVERAGE_USER);
  for (const group of groups) join(overage, group.id);
  const byId = new Map(groups.map((g) => [g.id.toLowerCase(), g]));
  const memberOf = new Map([...members].map(([oid, ids]) => [oid, Object.freeze(groups.map((g) => g.id).filter((id) => ids.includes(id)))]));
  return {
    groups,
    byId: (id) => byId.get(id.toLowerCase()),
    of: (oid) => memberOf.get(oid) ?? [],
  };
}
