import type { Request } from 'express';
import { AppError, ErrorCode } from '../errors.ts';
import { single } from './query.ts';

/**
 * Delegated Microsoft Graph permissions this app may ask for that need an administrator's consent
 * ("Admin consent required: Yes", https://learn.microsoft.com/graph/permissions-reference). A user
 * who is not an administrator cannot consent to them.
 */
export const ADMIN_ONLY_PERMISSIONS: readonly string[] = ['User.Read.All', 'GroupMember.Read.All', 'Directory.Read.All'];

/** Where an administrator grants tenant-wide admin consent. */
const ADMIN_CONSENT_DOC = 'https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent';

/** Scope values that are not Graph permissions. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/**
 * Entra's consent refusals (https://learn.microsoft.com/entra/identity/enterprise-apps/application-sign-in-unexpected-user-consent-error):
 * AADSTS90094 (only an admin can grant), AADSTS90093 (a policy stops users granting), and
 * AADSTS65001 (nobody consented).
 */
const CONSENT_REFUSALS = /^AADSTS(90094|90093|65001)\b/;

/** A scope's permission name: `https://graph.microsoft.com/User.Read.All` and `User.Read.All` are the same permission. */
function permissionName(scope: string): string {
  return scope.replace(/^https:\/\/[^/]+\//i, '');
}

/** The admin-only Graph permissions among `scopes` (either spelling), in ADMIN_ONLY_PERMISSIONS order. */
export function adminOnlyPermissions(scopes: readonly string[]): string[] {
  const names = new Set(scopes.map(permissionName));
  return ADMIN_ONLY_PERMISSIONS.filter((p) => names.has(p));
}

function isConsentRefusal(error: string, description: string): boolean {
  return error === 'consent_required' || CONSENT_REFUSALS.test(description);
}

/**
 * The 403 ADMIN_CONSENT_REQUIRED page for a sign-in the authority refused for want of admin consent,
 * or undefined when its error means something else. Two answers qualify: Entra's consent refusals
 * (above), and `access_denied` for a sign-in that asked for admin-only permissions — what "Return to
 * the application without granting consent" on Entra's "Need admin approval" page sends, without
 * saying why. The page names the permissions and where an administrator grants them.
 */
export function adminConsentRequired(query: Request['query'], scopes: readonly string[], clientId: string): AppError | undefined {
  const error = single(query.error) ?? '';
  const description = single(query.error_description) ?? '';
  const adminOnly = adminOnlyPermissions(scopes);
  if (!isConsentRefusal(error, description) && !(error === 'access_denied' && adminOnly.length > 0)) return undefined;
  const asked = scopes.map(permissionName).filter((s) => !OIDC_SCOPES.has(s));
  const needed = adminOnly.length > 0 ? adminOnly : asked;
  const list = needed.length > 0 ? needed.join(', ') : 'the permissions listed in the app registration';
  return new AppError(ErrorCode.ADMIN_CONSENT_REQUIRED, 403, `admin consent required for ${list}`, {
    detail: `This page needs the Microsoft Graph permission ${list}, which only an administrator can grant. `
      + 'Ask an administrator of your organization to grant admin consent for this app, then open the page again. You are still signed in.',
    facts: {
      'Permission needed': list,
      'Where an administrator grants it': `Microsoft Entra admin center › Entra ID › Enterprise apps › the app with client ID ${clientId} › Permissions › Grant admin consent for your organization`,
      'Documentation': ADMIN_CONSENT_DOC,
      Error: error || 'unknown_error',
      ...(description ? { Description: description.slice(0, 1000) } : {}),
    },
  });
}
