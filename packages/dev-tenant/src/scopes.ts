/** Identifier (and access-token audience) of the emulated Microsoft Graph resource. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

/** Delegated Graph permissions the emulator knows (GroupMember.Read.All: `POST /me/getMemberGroups`, `GET /groups/{id}`). */
export const GRAPH_SCOPES = ['User.Read', 'User.ReadBasic.All', 'User.Read.All', 'GroupMember.Read.All', 'Directory.Read.All'] as const;

/**
 * Delegated permissions only an administrator can consent to ("Admin consent required: Yes" in
 * https://learn.microsoft.com/graph/permissions-reference). A user who is not an administrator
 * gets "Need admin approval" (AADSTS90094) instead of a consent prompt
 * (https://learn.microsoft.com/entra/identity/enterprise-apps/application-sign-in-unexpected-user-consent-error).
 */
export const ADMIN_ONLY_PERMISSIONS: readonly string[] = ['User.Read.All', 'GroupMember.Read.All', 'Directory.Read.All'];

/** What `https://graph.microsoft.com/.default` stands for: the app's admin-consented permissions. */
export const DEFAULT_GRAPH_GRANT = ['User.Read', 'User.ReadBasic.All'] as const;

/** OpenID Connect scopes; anything else that is not a Graph scope is accepted and ignored. */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

const DEFAULT_SCOPE = `${GRAPH_RESOURCE}/.default`;

/**
 * Scope strings the Graph resource server accepts, in both spellings Entra takes:
 * bare (`User.Read`) and resource-qualified (`https://graph.microsoft.com/User.Read`), plus `.default`.
 * Keeping the spelling the app used means a refresh with the same scope string always matches.
 */
export const GRAPH_RESOURCE_SCOPES: readonly string[] = [
  ...GRAPH_SCOPES,
  ...GRAPH_SCOPES.map((s) => `${GRAPH_RESOURCE}/${s}`),
  DEFAULT_SCOPE,
];

const resourceScopeSet = new Set(GRAPH_RESOURCE_SCOPES);

/** True for a scope string that names a Graph permission (either spelling, or `.default`). */
export function isGraphScope(scope: string): boolean {
  return resourceScopeSet.has(scope);
}

/**
 * The delegated permission names (`scp`) a set of granted Graph scope strings stands for:
 * prefixes removed, `.default` expanded, duplicates dropped, in a stable order.
 */
export function delegatedPermissions(scopes: Iterable<string>): string[] {
  const names = new Set<string>();
  for (const scope of scopes) {
    if (scope === DEFAULT_SCOPE) DEFAULT_GRAPH_GRANT.forEach((s) => names.add(s));
    else if (isGraphScope(scope)) names.add(scope.replace(`${GRAPH_RESOURCE}/`, ''));
  }
  return GRAPH_SCOPES.filter((s) => names.has(s));
}

/** Splits a space-separated scope parameter into unique, non-empty values. */
export function splitScope(scope: unknown): string[] {
  return typeof scope === 'string' ? [...new Set(scope.split(' ').filter(Boolean))] : [];
}
