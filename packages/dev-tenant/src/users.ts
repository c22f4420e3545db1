import { createHash } from 'node:crypto';

import type { DemoUser } from './types.ts';

/** Domain of the demo accounts; the reserved `.example` TLD makes clear they are not real. */
export const DEMO_DOMAIN = 'devtenant.example';

type Seed = [oid: string, given: string, surname: string, jobTitle: string, roles: string[]];

// Microsoft's demo-tenant cast. The oids are fixed so that tokens, caches and tests stay stable.
const SEEDS: readonly Seed[] = [
  ['b52b43cf-be1a-4a5a-a6b8-ca479fe3657f', 'Megan', 'Bowen', 'Marketing Manager', ['Employee']],
  ['d0f66305-cb65-4352-8e71-4503096309aa', 'Adele', 'Vance', 'Retail Manager', ['Employee']],
  ['5423ad16-cc81-475b-8d13-1c5084d6c5cb', 'Alex', 'Wilber', 'Marketing Assistant', ['Client']],
  ['a27bef5d-d46f-4753-9080-108a36101343', 'Diego', 'Siciliani', 'HR Manager', ['Employee']],
  ['9f6a9dc2-04f9-4989-bdba-3a4251f6241f', 'Grady', 'Archie', 'Designer', []],
  ['d158da36-8e44-4755-b550-1f940262069e', 'Isaiah', 'Langer', 'Sales Rep', ['Client']],
  ['2ddeb275-e6d2-47f2-be0c-d5a764b9d9c5', 'Johanna', 'Lorenz', 'Senior Engineer', []],
  ['98f368ab-45c8-47ad-9fcc-3323eb2c6041', 'Lee', 'Gu', 'Director', ['Employee']],
  ['b1b7c0f0-7cbc-4536-94b6-813154b029c5', 'Lidia', 'Holloway', 'Product Manager', []],
  ['6feeb1f9-650d-44da-8284-77242a35f3a7', 'Nestor', 'Wilke', 'Director of Operations', ['Client']],
  ['2338c59e-f786-4b6a-90d0-ea511bad03b2', 'Patti', 'Fernandez', 'President', []],
];

/**
 * Directory roles by oid: Johanna Lorenz is the tenant's Global Administrator, the one demo user who
 * may consent to admin-only permissions (scopes.ts ADMIN_ONLY_PERMISSIONS); everyone else is a plain user.
 */
const DIRECTORY_ROLES: Readonly<Record<string, readonly string[]>> = {
  '2ddeb275-e6d2-47f2-be0c-d5a764b9d9c5': ['Global Administrator'],
};

function toUser([oid, givenName, surname, jobTitle, roles]: Seed): DemoUser {
  const upn = `${givenName}${surname.charAt(0)}@${DEMO_DOMAIN}`;
  const directoryRoles = DIRECTORY_ROLES[oid];
  return Object.freeze({
    ...(directoryRoles ? { directoryRoles: Object.freeze([...directoryRoles]) as string[] } : {}),
    oid,
    displayName: `${givenName} ${surname}`,
    userPrincipalName: upn,
    givenName,
    surname,
    mail: upn,
    jobTitle,
    roles: Object.freeze([...roles]) as string[],
  });
}

/** The demo accounts, Megan Bowen first. Frozen. */
export const DEMO_USERS: readonly DemoUser[] = Object.freeze(SEEDS.map(toUser));

/** Most generated users a tenant may have (see DevTenantOptions.extraUsers). */
export const MAX_EXTRA_USERS = 9999;

/**
 * A name-based GUID (RFC 9562 §5.5, version 5 layout): the same name always gives the same id.
 * `kind` keeps the object kinds apart ('users' for oids, 'groups' for group ids).
 */
export function stableGuid(name: string, kind = 'users'): string {
  const bytes = createHash('sha1').update(`devtenant.example/${kind}/${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * `count` generated demo users for load and isolation tests: "Test User 001" (UPN
 * `testuser001@devtenant.example`), … with stable oids and no roles. Numbers have at least three
 * digits, more when `count` needs them. Frozen.
 */
export function generatedUsers(count: number): readonly DemoUser[] {
  const width = Math.max(3, String(count).length);
  return Object.freeze(Array.from({ length: count }, (_, i) => {
    const number = String(i + 1).padStart(width, '0');
    const upn = `testuser${number}@${DEMO_DOMAIN}`;
    return Object.freeze({
      oid: stableGuid(upn),
      displayName: `Test User ${number}`,
      userPrincipalName: upn,
      givenName: 'Test',
      surname: `User ${number}`,
      mail: upn,
      jobTitle: 'Test account',
      roles: Object.freeze([] as string[]) as string[],
    });
  }));
}

/**
 * The `sub` of a user for one app. Entra's `sub` is pairwise (different per application);
 * we derive it the same way for every token: base64url(sha256(oid + clientId)).
 * The dev tenant uses it as oidc-provider's accountId, so ID and access tokens carry it as `sub`.
 */
export function subjectFor(oid: string, clientId: string): string {
  return createHash('sha256').update(`${oid}${clientId}`).digest('base64url');
}

/** Lookups of demo users by oid and by the app-specific subject. */
export interface UserDirectory {
  /** Every user: the named demo accounts, then the generated ones. */
  readonly users: readonly DemoUser[];
  /** The named demo accounts (DEMO_USERS). */
  readonly named: readonly DemoUser[];
  /** The generated test users (DevTenantOptions.extraUsers), possibly none. */
  readonly generated: readonly DemoUser[];
  byOid(oid: string): DemoUser | undefined;
  bySubject(sub: string): DemoUser | undefined;
  subjectOf(user: DemoUser): string;
}

/** Builds the directory for one client id (subjects depend on it), with `extraUsers` generated users. */
export function createUserDirectory(clientId: string, extraUsers = 0): UserDirectory {
  const generated = generatedUsers(extraUsers);
  const users = Object.freeze([...DEMO_USERS, ...generated]);
  const byOid = new Map(users.map((u) => [u.oid, u]));
  const bySub = new Map(users.map((u) => [subjectFor(u.oid, clientId), u]));
  return {
    users,
    named: DEMO_USERS,
    generated,
    byOid: (oid) => byOid.get(oid),
    bySubject: (sub) => bySub.get(sub),
    subjectOf: (user) => subjectFor(user.oid, clientId),
  };
}
