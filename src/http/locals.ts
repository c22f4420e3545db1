import type { RequestHandler } from 'express';
import { effectiveRoles } from '../auth/effective-roles.ts';
import type { Config } from '../config/index.ts';

/** The product name shown in the nav and titles. */
export const APP_NAME = 'Contoso Identity Sample';

/**
 * Values every view needs that never change: set once on `app.locals`, so even an error
 * raised before any middleware ran renders a complete page.
 */
export function staticLocals(config: Config): Record<string, unknown> {
  const e = config.authEndpoints;
  const path = (name: string) => `/${e.prefix}/${name}`;
  return {
    appName: APP_NAME,
    paths: Object.freeze({
      signIn: path(e.signIn), signUp: path(e.signUp), editProfile: path(e.editProfile), signOut: path(e.signOut),
    }),
    /** What this authority type offers: sign-up (External ID), profile editing (B2C), Graph (not B2C). */
    features: Object.freeze({
      signUp: config.authorityType === 'EXTERNAL_ID',
      editProfile: config.userFlows.editProfile !== undefined,
      graph: config.authorityType !== 'B2C',
      /** External ID: Call Graph shows the customer's own profile (`/me`), not a user list. */
      graphProfile: config.authorityType === 'EXTERNAL_ID',
    }),
    accountKind: config.authorityType === 'EXTERNAL_ID' || config.authorityType === 'B2C' ? 'customer account' : 'work account',
    dashboardRoles: config.dashboardRoles,
    roles: [],
    untrustedRoles: [],
    dashboardNeeds: undefined,
    notice: config.notice,
    redirectUri: config.redirectUri,
    user: undefined,
    csrfToken: undefined,
  };
}

/**
 * What a role-gated link says when the user lacks roles it needs (require-roles.ts wants every one of
 * them among the effective roles): "needs the Employee role"; undefined when nothing is missing.
 */
export function rolesNeeded(required: readonly string[], held: readonly string[]): string | undefined {
  const missing = required.filter((r) => !held.includes(r));
  if (missing.length === 0) return undefined;
  const names = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}`;
  return `needs the ${names} role${missing.length === 1 ? '' : 's'}`;
}

/**
 * Per request: who is signed in, the roles that count (effective-roles.ts) and those shown as
 * "not trusted here", and the token for the sign-out form.
 */
export function sessionLocals(config: Pick<Config, 'roleTenants' | 'dashboardRoles'>): RequestHandler {
  return (req, res, next) => {
    res.locals.user = req.session.user;
    if (req.session.user) {
      const { roles, ignored } = effectiveRoles(req.session.user.claims, config);
      res.locals.roles = roles;
      res.locals.untrustedRoles = ignored;
      res.locals.dashboardNeeds = rolesNeeded(config.dashboardRoles, roles);
    }
    res.locals.csrfToken = req.session.csrfToken;
    next();
  };
}
