/**
 * Compares a discovery document the development tenant serves with a recorded real one
 * (test/fixtures/discovery): same fields, same JSON types, URLs with the same structure relative to
 * the authority, and the same values where the value is part of the shape.
 */

import { readFileSync } from 'node:fs';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Metadata = Record<string, Json>;

/** Where a document is served: the authority it describes and the tenant id that may appear in it. */
export interface Place {
  readonly authority: string;
  readonly tenantId: string;
}

/** Differences between the development tenant and the real service that a test accepts, each with its reason. */
export interface KnownDifferences {
  /** Fields of the real document the development tenant does not serve. */
  readonly missing: Readonly<Record<string, string>>;
  /** Fields the development tenant serves with another value (of the same JSON type). */
  readonly value: Readonly<Record<string, string>>;
  /** Fields only the development tenant serves. */
  readonly extra: Readonly<Record<string, string>>;
}

/** Reads one recorded real document from test/fixtures/discovery. */
export function fixture(name: string): Metadata {
  return JSON.parse(readFileSync(new URL(`../fixtures/discovery/${name}`, import.meta.url), 'utf8')) as Metadata;
}

/** Fetches `{authority}/v2.0/.well-known/openid-configuration` (Entra's, External ID's and B2C's path). */
export async function served(authority: string): Promise<Metadata> {
  const response = await fetch(`${authority}/v2.0/.well-known/openid-configuration`);
  if (response.status !== 200) throw new Error(`discovery of ${authority} answered ${response.status}`);
  return await response.json() as Metadata;
}

function jsonType(value: Json | undefined): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/**
 * A URL written relative to `place`: `{authority}` (matched case-insensitively, as B2C matches
 * policy names), else `{origin}`; then every occurrence of the tenant id as `{tid}`.
 */
export function relativeUrl(url: string, place: Place): string {
  const origin = new URL(place.authority).origin;
  let relative = url;
  if (url.toLowerCase().startsWith(place.authority.toLowerCase())) relative = `{authority}${url.slice(place.authority.length)}`;
  else if (url.startsWith(`${origin}/`)) relative = `{origin}${url.slice(origin.length)}`;
  return relative.split(place.tenantId).join('{tid}');
}

function sameSet(a: Json[], b: Json[]): boolean {
  const left = new Set(a.map((v) => JSON.stringify(v)));
  return left.size === new Set(b.map((v) => JSON.stringify(v))).size && b.every((v) => left.has(JSON.stringify(v)));
}

function compareField(name: string, real: Json, mine: Json, places: { real: Place; mine: Place }, valueMayDiffer: boolean): string | undefined {
  if (jsonType(real) !== jsonType(mine)) return `${name}: ${jsonType(mine)} instead of ${jsonType(real)}`;
  if (Array.isArray(real) && Array.isArray(mine)) {
    const kinds = (list: Json[]) => [...new Set(list.map(jsonType))].sort().join();
    if (kinds(real) !== kinds(mine)) return `${name}: an array of ${kinds(mine)} instead of ${kinds(real)}`;
    if (!valueMayDiffer && !sameSet(real, mine)) return `${name}: ${JSON.stringify(mine)} instead of ${JSON.stringify(real)}`;
    return undefined;
  }
  if (valueMayDiffer) return undefined;
  if (typeof real === 'string' && typeof mine === 'string') {
    // Host names and region codes name the instance, not the shape: only URLs are compared.
    if (!real.startsWith('https://')) return undefined;
    const [want, got] = [relativeUrl(real, places.real), relativeUrl(mine, places.mine)];
    return want === got ? undefined : `${name}: ${got} instead of ${want}`;
  }
  return real === mine ? undefined : `${name}: ${JSON.stringify(mine)} instead of ${JSON.stringify(real)}`;
}

/**
 * Every way `mine` (served by the development tenant at `places.mine`) differs from `real`
 * (recorded at `places.real`) that `known` does not list; empty when the shapes match. A known
 * difference that no longer holds is reported too, so the list stays true.
 */
export function shapeDifferences(real: Metadata, mine: Metadata, places: { real: Place; mine: Place }, known: KnownDifferences): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(real)) {
    if (name in known.missing) {
      if (name in mine) problems.push(`${name}: served now, remove it from the known missing fields`);
    } else if (!(name in mine)) {
      problems.push(`${name}: missing`);
    } else {
      const problem = compareField(name, value, mine[name] as Json, places, name in known.value);
      if (problem) problems.push(problem);
    }
  }
  for (const name of Object.keys(mine)) {
    if (!(name in real) && !(name in known.extra)) problems.push(`${name}: served, but not in the real document`);
  }
  return problems;
}
