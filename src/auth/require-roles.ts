import type { RequestHandler } from 'express';
import type { Config } from '../config/index.ts';
import { AppError, ErrorCode } from '../errors.ts';
import { effectiveRoles } from './effective-roles.ts';
import type { EffectiveRoles } from './effective-roles.ts';
import { loginRequired } from './login-required.ts';

export { rolesOf } from './effective-roles.ts';

const SETTING = 'ROLE_TENANT_IDS (app_roles.trusted_tenants in aad.config.json)';

const quoted = (roles: readonly string[]) => roles.map((r) => `“${r}”`).join(' and ');

/** 403 for a user whose roles do not count here: the page says why, and who can change it. */
function untrusted(decision: EffectiveRoles, required: readonly string[]): AppError {
  const ignored = decision.ignored.length > 0 ? decision.ignored.join(', ') : 'none';
  if (decision.untrusted === 'no_trusted_tenants') {
    return new AppError(ErrorCode.ROLES_UNTRUSTED, 403, `app roles not trusted: multi-tenant app without ${SETTING} (tid ${decision.tenantId ?? 'none'})`, {
      detail: `This page is only for users with the app role ${quoted(required)}. This app accepts users from many organizations, and no organization's role assignments count until its operator names the trusted tenant (usually the app's own) in ${SETTING} and restarts the app.`,
      facts: { reason: 'no_trusted_tenants', 'Required role': required.join(', '), 'Roles not trusted here': ignored, Setting: 'ROLE_TENANT_IDS' },
    });
  }
  return new AppError(ErrorCode.ROLES_UNTRUSTED, 403, `app roles of tenant ${decision.tenantId ?? 'none'} not trusted (not in ROLE_TENANT_IDS)`, {
    detail: `This page is only for users with the app role ${quoted(required)}. Roles from your organization are not trusted by this app: only role assignments made in the organizations its operator lists in ${SETTING} count. Ask the app's operator for access.`,
    facts: { reason: 'tenant_not_trusted', 'Your organization (tenant id)': decision.tenantId ?? 'none', 'Roles not trusted here': ignored },
  });
}

/**
 * Lets through signed-in users holding every one of `roles` among their effective roles
 * (effective-roles.ts: app roles from the ID token's `roles` claim, assigned in a tenant the app
 * trusts, in Entra ID under Enterprise applications > Users and groups).
 * Not signed in: 401 with a Sign In button. Roles from a tenant the app does not trust: 403
 * ROLES_UNTRUSTED saying so. Signed in without a role: 403 ROLE_MISSING naming the missing roles.
 */
export function requireRoles(config: Pick<Config, 'roleTenants'>, ...roles: string[]): RequestHandler[] {
  if (roles.length === 0) throw new TypeError('requireRoles needs at least one role');
  const check: RequestHandler = (req, _res, next) => {
    const decision = effectiveRoles(req.session.user!.claims, config);
    const held = new Set(decision.roles);
    const missing = roles.filter((role) => !held.has(role));
    if (missing.length === 0) return next();
    if (decision.untrusted) return next(untrusted(decision, roles));
    next(new AppError(ErrorCode.ROLE_MISSING, 403, `missing app role ${missing.join(', ')}`, {
      detail: `This page is only for users with the app role ${quoted(missing)}. Ask an administrator to assign it to you, then sign in again.`,
      facts: { 'Missing role': missing.join(', '), 'Your roles': held.size > 0 ? [...held].join(', ') : 'none' },
    }));
  };
  return [loginRequired, check];
}
