/**
 * The user's groups as the ID token states them: listed in `groups`, absent, or too many for the
 * token — the groups overage, where Entra sends `_claim_names.groups` pointing at a Graph source
 * instead (OIDC Core §5.6.2 distributed claims), and the app must ask Graph.
 */
export type TokenGroups =
  | { readonly kind: 'listed'; readonly ids: readonly string[] }
  | { readonly kind: 'overage' }
  | { readonly kind: 'none' };

export function groupsOf(claims: Readonly<Record<string, unknown>>): TokenGroups {
  const groups = claims['groups'];
  if (Array.isArray(groups)) return { kind: 'listed', ids: groups.filter((g): g is string => typeof g === 'string') };
  const names = claims['_claim_names'];
  if (names && typeof names === 'object' && typeof (names as Record<string, unknown>)['groups'] === 'string') return { kind: 'overage' };
  return { kind: 'none' };
}
