import type { Account, FindAccount, JWTStructured, KoaContextWithOIDC, AccessToken, ClientCredentials } from 'oidc-provider';

import { accessTokenCapabilities } from './access-shims.ts';
import type { TenantContext } from './context.ts';
import { groupClaims } from './group-claims.ts';
import { userTenant } from './organizations.ts';
import { delegatedPermissions, GRAPH_RESOURCE, splitScope } from './scopes.ts';
import type { DemoUser } from './types.ts';

/**
 * Which claims each scope releases (oidc-provider's `claims` option). Entra puts oid, tid, ver and
 * roles in every ID token; name, preferred_username and email come with `profile`. `groups` (the
 * user's group ids, or the overage's `_claim_names`/`_claim_sources` naming it) comes with `openid`.
 * `nbf` is listed so the account's `nbf` reaches the ID token (oidc-provider does not set one).
 */
export const CLAIMS_BY_SCOPE = {
  openid: ['sub', 'oid', 'tid', 'ver', 'roles', 'nbf', 'groups'],
  profile: ['name', 'preferred_username', 'email'],
  email: ['email'],
};

function accountFor(tenant: TenantContext, sub: string, user: DemoUser): Account {
  return {
    accountId: sub,
    claims() {
      return {
        sub,
        oid: user.oid,
        tid: userTenant(tenant, user).tenantId,
        ver: '2.0',
        nbf: Math.floor(Date.now() / 1000),
        name: user.displayName,
        preferred_username: user.userPrincipalName,
        email: user.mail,
        ...(user.roles.length > 0 ? { roles: [...user.roles] } : {}),
        ...groupClaims(user.oid, tenant.groups?.of(user.oid) ?? []),
      };
    },
  };
}

/** oidc-provider's findAccount: account ids are the app-specific subjects of the demo users. */
export function findAccountFor(tenant: TenantContext): FindAccount {
  return (_ctx, sub) => {
    const user = tenant.users.bySubject(sub);
    return user ? accountFor(tenant, sub, user) : undefined;
  };
}

/**
 * Shapes the Graph access token like Entra's: `scp` (delegated permissions, space-separated)
 * instead of `scope`, `azp` instead of `client_id`, plus `oid`, `tid`, `name`,
 * `preferred_username`, `ver: "2.0"`, `nbf`, `roles` when the user has any, and `xms_cc` when the
 * client declared the CP1 capability (access-shims.ts).
 */
export function accessTokenCustomizer(tenant: TenantContext) {
  return (ctx: KoaContextWithOIDC, token: AccessToken | ClientCredentials, parts: JWTStructured): void => {
    const { payload } = parts;
    const scp = delegatedPermissions(splitScope(payload['scope'])).join(' ');
    delete payload['scope'];
    delete payload['client_id'];
    Object.assign(payload, {
      aud: GRAPH_RESOURCE,
      ver: '2.0',
      tid: tenant.tenantId,
      azp: ctx.oidc?.client?.clientId ?? tenant.clientId,
      azpacr: '1',
      nbf: payload['iat'],
      scp,
    });
    const user = 'accountId' in token && typeof token.accountId === 'string' ? tenant.users.bySubject(token.accountId) : undefined;
    if (user) {
      // Multi-tenant authorities: the user's own tenant issues the token.
      const { tenantId, issuer } = userTenant(tenant, user);
      Object.assign(payload, { iss: issuer, tid: tenantId, oid: user.oid, name: user.displayName, preferred_username: user.userPrincipalName });
      if (user.roles.length > 0) payload['roles'] = [...user.roles];
    }
    const capabilities = accessTokenCapabilities(tenant, ctx, 'grantId' in token ? token.grantId : undefined);
    if (capabilities.length > 0) payload['xms_cc'] = capabilities;
  };
}
