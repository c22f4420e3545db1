import { createHash } from 'node:crypto';

import type { DemoUser } from '../types.ts';
import { generatedUsers } from '../users.ts';
import type { UserDirectory } from '../users.ts';

type Seed = [given: string, surname: string, roles: string[]];

// Demo customers (consumers, not employees): some hold the app role "Client", none "Employee".
const CUSTOMER_SEEDS: readonly Seed[] = [
  ['Ana', 'Customer', ['Client']],
  ['Bruno', 'Shopper', []],
  ['Chloe', 'Buyer', ['Client']],
  ['Diego', 'Visitor', []],
];

/** A name-based GUID (RFC 9562 §5.5 layout) from a customer's e-mail address: stable across restarts. */
export function customerOid(email: string): string {
  const bytes = createHash('sha1').update(`devtenant.example/customers/${email.toLowerCase()}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function customer(email: string, displayName: string, roles: readonly string[]): DemoUser {
  const [givenName = displayName, ...rest] = displayName.split(/\s+/);
  return Object.freeze({
    oid: customerOid(email),
    displayName,
    userPrincipalName: email,
    givenName,
    surname: rest.join(' '),
    mail: email,
    jobTitle: 'Customer',
    roles: Object.freeze([...roles]) as string[],
  });
}

/** Why a sign-up was refused (shown on the form). */
export type SignUpProblem = { ok: false; field: 'email' | 'displayName'; message: string };

const EMAIL = /^[^\s@<>"',;]+@[^\s@<>"',;]+\.[^\s@<>"',;]+$/;

/** Checks the sign-up form: a plausible e-mail address (at most 254 characters) and a display name. */
export function checkSignUp(email: string, displayName: string): SignUpProblem | { ok: true } {
  if (!EMAIL.test(email) || email.length > 254) return { ok: false, field: 'email', message: 'Enter a valid email address, like someone@example.com.' };
  if (displayName.length === 0 || displayName.length > 256) return { ok: false, field: 'displayName', message: 'Enter a display name (at most 256 characters).' };
  return { ok: true };
}

/** The live directory of a customer tenant: the demo customers plus everyone who signed up. */
export interface CustomerDirectory extends UserDirectory {
  /** A user by sign-in name (the e-mail address), case-insensitively. */
  byUpn(userPrincipalName: string): DemoUser | undefined;
  /** Creates a customer (kept in memory for the tenant's lifetime); refuses duplicates and bad input. */
  signUp(email: string, displayName: string): { ok: true; user: DemoUser } | SignUpProblem;
  /** Replaces a user's display name; returns the updated user. */
  rename(oid: string, displayName: string): DemoUser | undefined;
}

/**
 * Builds a customer directory on `domain` (e.g. "devtenantcustomers.example"). `subjectOf` maps
 * an oid to the token `sub`: pairwise like Entra's for External ID, the oid itself for B2C.
 */
export function createCustomerDirectory(domain: string, subject: (oid: string) => string, extraUsers = 0): CustomerDirectory {
  let generated = generatedUsers(extraUsers);
  const seeded = CUSTOMER_SEEDS.map(([given, surname, roles]) => customer(`${given}.${surname}@${domain}`.toLowerCase(), `${given} ${surname}`, roles));
  let named: readonly DemoUser[] = Object.freeze(seeded);
  const byOid = new Map<string, DemoUser>();
  const bySub = new Map<string, string>();
  const index = (user: DemoUser): void => {
    byOid.set(user.oid, user);
    bySub.set(subject(user.oid), user.oid);
  };
  [...seeded, ...generated].forEach(index);
  const swap = (list: readonly DemoUser[], user: DemoUser) => Object.freeze(list.map((u) => (u.oid === user.oid ? user : u)));
  const replace = (user: DemoUser): void => {
    if (generated.some((u) => u.oid === user.oid)) generated = swap(generated, user);
    else named = named.some((u) => u.oid === user.oid) ? swap(named, user) : Object.freeze([...named, user]);
    index(user);
  };
  const directory: CustomerDirectory = {
    get users() {
      return Object.freeze([...named, ...generated]);
    },
    get named() {
      return named;
    },
    get generated() {
      return generated;
    },
    byOid: (oid) => byOid.get(oid),
    bySubject: (sub) => byOid.get(bySub.get(sub) ?? ''),
    subjectOf: (user) => subject(user.oid),
    byUpn: (upn) => directory.users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase()),
    signUp(email, displayName) {
      const address = email.trim().toLowerCase();
      const name = displayName.trim();
      const problem = checkSignUp(address, name);
      if (!problem.ok) return problem;
      if (directory.byUpn(address)) return { ok: false, field: 'email', message: 'An account with this email address already exists. Sign in instead.' };
      const user = customer(address, name, []);
      replace(user);
      return { ok: true, user };
    },
    rename(oid, displayName) {
      const current = byOid.get(oid);
      if (!current) return undefined;
      const user = Object.freeze({ ...customer(current.userPrincipalName, displayName, current.roles), oid: current.oid, jobTitle: current.jobTitle });
      replace(user);
      return user;
    },
  };
  return directory;
}
