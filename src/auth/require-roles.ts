import type { RequestHandler } from 'express';
import { AppError, ErrorCode } from '../errors.ts';
import { loginRequired } from './login-required.ts';

/** The app roles in a user's ID token claims (`roles`, an array of role values); [] when none. */
export function rolesOf(claims: Readonly<Record<string, unknown>>): string[] {
  const roles = claims['roles'];
  return Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [];
}

/**
 * Lets through signed-in users holding every one of `roles` (app roles from the ID token's
 * `roles` claim, assigned in Entra ID under Enterprise applications > Users and groups).
 * Not signed in: 401 with a Sign In button. Signed in without a role: 403 naming the missing roles.
 */
export function requireRoles(...roles: string[]): RequestHandler[] {
  if (roles.length === 0) throw new TypeError('requireRoles needs at least one role');
  const check: RequestHandler = (req, _res, next) => {
    const held = new Set(rolesOf(req.session.user!.claims));
    const missing = roles.filter((role) => !held.has(role));
    if (missing.length === 0) return next();
    const names = missing.map((r) => `“${r}”`).join(' and ');
    next(new AppError(ErrorCode.ROLE_MISSING, 403, `missing app role ${missing.join(', ')}`, {
      detail: `This page is only for users with the app role ${names}. Ask an administrator to assign it to you, then sign in again.`,
      facts: { 'Missing role': missing.join(', '), 'Your roles': held.size > 0 ? [...held].join(', ') : 'none' },
    }));
  };
  return [loginRequired, check];
}
