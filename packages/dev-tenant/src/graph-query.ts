import type { DemoUser } from './types.ts';

/** Properties of microsoft.graph.user the emulator returns, in Graph's default order. */
export const USER_PROPERTIES = [
  'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone',
  'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id',
] as const;

type UserProperty = (typeof USER_PROPERTIES)[number];

const BY_LOWER = new Map(USER_PROPERTIES.map((p) => [p.toLowerCase(), p]));

/** A demo user as Graph returns it. */
export function toGraphUser(user: DemoUser): Record<UserProperty, unknown> {
  return {
    businessPhones: [],
    displayName: user.displayName,
    givenName: user.givenName,
    jobTitle: user.jobTitle,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: 'en-US',
    surname: user.surname,
    userPrincipalName: user.userPrincipalName,
    id: user.oid,
  };
}

/** Result of parsing a query option: the value, or Graph's error message for a 400. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * `$select`: comma-separated property names (case-insensitive, like Graph). Unknown names give
 * Graph's "Could not find a property named 'x' on type 'microsoft.graph.user'.".
 */
export function parseSelect(raw: string | undefined): Parsed<UserProperty[] | undefined> {
  if (raw === undefined) return { ok: true, value: undefined };
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const selected: UserProperty[] = [];
  for (const name of names) {
    const property = BY_LOWER.get(name.toLowerCase());
    if (!property) return { ok: false, message: `Could not find a property named '${name}' on type 'microsoft.graph.user'.` };
    if (!selected.includes(property)) selected.push(property);
  }
  return { ok: true, value: selected.length > 0 ? selected : undefined };
}

/** `$top`: an integer 1..999; default 100 (Graph's default page size for users). */
export function parseTop(raw: string | undefined): Parsed<number> {
  if (raw === undefined) return { ok: true, value: 100 };
  const top = /^\d{1,4}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isInteger(top) || top < 1 || top > 999) {
    return { ok: false, message: `Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.` };
  }
  return { ok: true, value: top };
}

/** `$skiptoken`: the opaque paging token of an `@odata.nextLink` (base64url offset). */
export function parseSkipToken(raw: string | undefined): Parsed<number> {
  if (raw === undefined) return { ok: true, value: 0 };
  const text = /^[A-Za-z0-9_-]+$/.test(raw) ? Buffer.from(raw, 'base64url').toString('utf8') : '';
  const offset = /^o:\d{1,6}$/.test(text) ? Number(text.slice(2)) : Number.NaN;
  if (!Number.isInteger(offset)) {
    return { ok: false, message: "Invalid value for '$skiptoken'." };
  }
  return { ok: true, value: offset };
}

/** The `$skiptoken` value for a page starting at `offset`. */
export function skipTokenFor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

/** Keeps only the selected properties (all of them when nothing was selected). */
export function project(user: DemoUser, select: readonly UserProperty[] | undefined): Record<string, unknown> {
  const full = toGraphUser(user);
  if (!select) return full;
  return Object.fromEntries(select.map((p) => [p, full[p]]));
}
