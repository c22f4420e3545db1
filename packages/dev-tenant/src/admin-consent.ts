/**
 * Admin-only permissions: who may consent to them, and how tenant-wide admin consent reaches
 * tokens issued later (refreshes included), like an `AllPrincipals` grant in Entra.
 */
import type Provider from 'oidc-provider';

import { graphScopeStrings } from './consent.ts';
import type { ConsentBook } from './consent.ts';
import type { TenantContext } from './context.ts';
import type { RealTenantControls } from './control-types.ts';
import { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';
import { ADMIN_ONLY_PERMISSIONS, delegatedPermissions, GRAPH_RESOURCE, GRAPH_SCOPES, splitScope } from './scopes.ts';
import type { DemoUser } from './types.ts';

/**
 * Directory roles that may grant consent on behalf of the organisation for delegated Microsoft
 * Graph permissions (https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent,
 * "Prerequisites"; Global Administrator holds every permission).
 */
export const CONSENTING_ROLES: readonly string[] = [
  'Global Administrator', 'Privileged Role Administrator', 'Cloud Application Administrator', 'Application Administrator',
];

/** True for a user holding a directory role that may consent to admin-only permissions. */
export function isAdministrator(user: DemoUser): boolean {
  return (user.directoryRoles ?? []).some((role) => CONSENTING_ROLES.includes(role));
}

/**
 * The admin-only permissions an authorize request asks for that this user cannot get: neither
 * granted tenant-wide by an admin nor consented earlier by this user (an admin consenting for
 * themselves). Empty for administrators, who may consent. Entra then shows "Need admin approval"
 * (AADSTS90094, https://learn.microsoft.com/entra/identity/enterprise-apps/application-sign-in-unexpected-user-consent-error).
 */
export function adminApprovalNeeded(requestedScope: unknown, book: ConsentBook, user: DemoUser): string[] {
  if (isAdministrator(user)) return [];
  const held = new Set([...book.adminConsented(), ...book.consented(user.oid)]);
  return delegatedPermissions(splitScope(requestedScope)).filter((p) => ADMIN_ONLY_PERMISSIONS.includes(p) && !held.has(p));
}

interface ScopedModel {
  scope?: string;
  resource?: string | string[];
  resources?: Record<string, string>;
  addResourceScope?(resource: string, scope: string): void;
}

type Finder = (...args: unknown[]) => Promise<ScopedModel | undefined>;

function wrapFind(model: { find: Finder }, extend: (found: ScopedModel) => void): void {
  const find = model.find.bind(model);
  model.find = async (...args: unknown[]) => {
    const found = await find(...args);
    if (found) extend(found);
    return found;
  };
}

/**
 * Tenant-wide admin consent applies at once to every user's existing grant and refresh token, as
 * Entra evaluates the app's permission grants at each token request: grants and refresh tokens
 * read back from the store hold the admin-consented Graph permissions of that moment, so a refresh
 * asking for a newly admin-consented permission succeeds without interaction.
 */
export function adminConsentReachesTokens(provider: Provider, book: ConsentBook): void {
  const scopes = (): string[] => graphScopeStrings(book.adminConsented());
  wrapFind(provider.Grant as unknown as { find: Finder }, (grant) => {
    if (grant.resources?.[GRAPH_RESOURCE] !== undefined) grant.addResourceScope?.(GRAPH_RESOURCE, scopes().join(' '));
  });
  wrapFind(provider.RefreshToken as unknown as { find: Finder }, (token) => {
    if (token.resource !== GRAPH_RESOURCE) return;
    token.scope = [...new Set([...splitScope(token.scope), ...scopes()])].join(' ');
  });
}

/** The `grantAdminConsent` control of {@link RealTenantControls} for one tenant. */
export function adminConsentControls(tenant: TenantContext): Pick<RealTenantControls, 'grantAdminConsent'> {
  return {
    grantAdminConsent: (permission) => {
      if (!tenant.consents) throw new DevTenantError(DEV_TENANT_ERROR_CODES.invalidOption, 'this tenant shape has no user consent, so no admin consent to grant');
      if (!(GRAPH_SCOPES as readonly string[]).includes(permission)) {
        throw new DevTenantError(DEV_TENANT_ERROR_CODES.invalidOption, `grantAdminConsent: unknown Graph permission '${permission}' (known: ${GRAPH_SCOPES.join(', ')})`);
      }
      tenant.consents.grantTenantWide(permission);
    },
  };
}
