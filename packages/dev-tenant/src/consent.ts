import type Provider from 'oidc-provider';

import { DEFAULT_GRAPH_GRANT, delegatedPermissions, GRAPH_RESOURCE, isGraphScope, splitScope } from './scopes.ts';

/** The Graph permissions an admin consented to for the app, for every user (like DEFAULT_GRAPH_GRANT). */
export const ADMIN_CONSENTED: readonly string[] = DEFAULT_GRAPH_GRANT;

/**
 * What each user consented to for the app, by oid, for the tenant's lifetime (in memory):
 * Entra remembers a user's consent, so later sign-ins need not ask for it again
 * (https://learn.microsoft.com/entra/identity-platform/permissions-consent-overview).
 */
export class ConsentBook {
  readonly #byOid = new Map<string, Set<string>>();
  readonly #tenantWide = new Set<string>(ADMIN_CONSENTED);

  /** Delegated Graph permissions the user consented to so far (admin-consented ones excluded). */
  consented(oid: string): string[] {
    return [...(this.#byOid.get(oid) ?? [])];
  }

  /** Records the user's consent to `permissions` (names without resource prefix). */
  add(oid: string, permissions: readonly string[]): void {
    const set = this.#byOid.get(oid) ?? new Set<string>();
    for (const p of permissions) if (!this.#tenantWide.has(p)) set.add(p);
    this.#byOid.set(oid, set);
  }

  /** The permissions an admin consented to for every user of the tenant (ADMIN_CONSENTED and later grants). */
  adminConsented(): string[] {
    return [...this.#tenantWide];
  }

  /**
   * Tenant-wide admin consent (an `AllPrincipals` oauth2PermissionGrant): every user's sign-ins and
   * refreshes may include `permission` from now on without being asked
   * (https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent).
   */
  grantTenantWide(permission: string): void {
    this.#tenantWide.add(permission);
  }
}

/** Both spellings Entra takes for each permission (`User.Read`, `https://graph.microsoft.com/User.Read`) plus `.default`. */
export function graphScopeStrings(permissions: Iterable<string>): string[] {
  const names = [...new Set(permissions)];
  return [...names, ...names.map((p) => `${GRAPH_RESOURCE}/${p}`), `${GRAPH_RESOURCE}/.default`];
}

/**
 * Incremental consent: the Graph permissions `requestedScope` asks for that `user` has not granted
 * yet (neither by an earlier consent nor by an administrator). Entra asks the user only for these
 * (https://learn.microsoft.com/entra/identity-platform/consent-types-developer#incremental-and-dynamic-user-consent).
 */
export function permissionsToConsent(requestedScope: unknown, book: ConsentBook, oid: string): string[] {
  const held = new Set([...book.consented(oid), ...book.adminConsented()]);
  return delegatedPermissions(splitScope(requestedScope)).filter((p) => !held.has(p));
}

/** What the picker shows: the Graph permissions of this grant, marked admin-consented or not. */
export interface ConsentView {
  permission: string;
  admin: boolean;
}

/** The permissions a sign-in for `requestedScope` will hold, admin-consented first, then the ones asked now. */
export function consentView(requestedScope: unknown, adminConsented: readonly string[] = ADMIN_CONSENTED): ConsentView[] {
  const scopes = splitScope(requestedScope);
  const asked = delegatedPermissions(scopes).filter((p) => !adminConsented.includes(p));
  return [
    ...adminConsented.map((permission) => ({ permission, admin: true })),
    ...asked.map((permission) => ({ permission, admin: false })),
    ...scopes.filter((s) => !isGraphScope(s)).map((permission) => ({ permission, admin: false })),
  ];
}

/** Inputs of {@link saveGrant}. */
export interface GrantInput {
  accountId: string;
  clientId: string;
  oid: string;
  /** The authorize request's scope parameter. */
  scope: unknown;
  /** OIDC claims oidc-provider reports missing (prompt details), granted as asked. */
  claims: unknown;
  book: ConsentBook;
}

/**
 * Saves the grant of an interactive sign-in like Entra forms it: the admin-consented Graph
 * permissions, plus every permission this user consented to earlier for this client, plus what
 * this authorize asked for (now remembered as consented); every other scope (openid, profile,
 * offline_access, unknown ones) as an OIDC scope so a refresh may ask for it again.
 */
export async function saveGrant(provider: Provider, input: GrantInput): Promise<string> {
  const scopes = splitScope(input.scope);
  input.book.add(input.oid, delegatedPermissions(scopes));
  const grant = new provider.Grant({ accountId: input.accountId, clientId: input.clientId });
  grant.addOIDCScope(scopes.filter((s) => !isGraphScope(s)));
  const permissions = [...input.book.adminConsented(), ...input.book.consented(input.oid)];
  grant.addResourceScope(GRAPH_RESOURCE, [...new Set([...scopes.filter(isGraphScope), ...graphScopeStrings(permissions)])]);
  if (Array.isArray(input.claims)) grant.addOIDCClaims(input.claims.map(String));
  return grant.save();
}

interface GrantShape {
  openid?: { scope?: string };
  resources?: Record<string, string>;
}

/**
 * Refresh tokens carry the whole grant (not only what the authorize asked for), so a refresh may
 * ask for any consented permission — User.ReadBasic.All after a sign-in that asked for openid
 * only works, like with Entra; a permission never consented fails oidc-provider's scope check,
 * which token-errors.ts turns into AADSTS65001 `consent_required`.
 */
export function refreshTokensCarryGrant(provider: Provider): void {
  const proto = provider.RefreshToken.prototype as unknown as { save(...args: unknown[]): Promise<string>; grantId?: string; scope?: string; resource?: string | string[] };
  const save = proto.save;
  proto.save = async function saveWithGrant(this: typeof proto, ...args: unknown[]): Promise<string> {
    const grant = this.grantId ? await provider.Grant.find(this.grantId) as unknown as GrantShape | undefined : undefined;
    const graph = grant?.resources?.[GRAPH_RESOURCE];
    if (grant) this.scope = [...new Set([...splitScope(this.scope), ...splitScope(grant.openid?.scope), ...splitScope(graph)])].join(' ');
    if (graph) this.resource = GRAPH_RESOURCE;
    return save.apply(this, args);
  };
}
