/**
 * The `groups` claim of ID tokens, as Entra emits it for an app whose `groupMembershipClaims` is
 * "SecurityGroup": the user's group object ids, or — for more than {@link MAX_GROUPS_IN_TOKEN}
 * groups — the groups overage: a distributed claim (OpenID Connect Core §5.6.2) naming a Graph
 * source instead (https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference#groups-overage-claim).
 */

/** Most group ids a JWT may list; more give the overage claims instead. */
export const MAX_GROUPS_IN_TOKEN = 200;

/** Entra's source for the overage: an identifier here; apps call their own Graph endpoint. */
export function overageEndpoint(oid: string): string {
  return `https://graph.microsoft.com/v1.0/users/${oid}/getMemberObjects`;
}

/** The claims a user's group ids give: none, `groups`, or `_claim_names` + `_claim_sources`. */
export function groupClaims(oid: string, groupIds: readonly string[]): Record<string, unknown> {
  if (groupIds.length === 0) return {};
  if (groupIds.length <= MAX_GROUPS_IN_TOKEN) return { groups: [...groupIds] };
  return {
    _claim_names: { groups: 'src1' },
    _claim_sources: { src1: { endpoint: overageEndpoint(oid) } },
  };
}
