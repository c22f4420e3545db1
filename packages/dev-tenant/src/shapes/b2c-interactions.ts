import express from 'express';
import type { Request, Response, Router } from 'express';
import type Provider from 'oidc-provider';

import { CLIENT_NAME } from '../context.ts';
import type { TenantContext } from '../context.ts';
import { details, expired } from '../interactions.ts';
import type { Interaction } from '../interactions.ts';
import { errorPage } from '../pages.ts';
import type { DemoUser } from '../types.ts';
import { profileEditPage, profilePickPage, resetPage, susiPage } from './b2c-pages.ts';
import { B2C_ERRORS, B2C_POLICIES, policyNamed } from './b2c-policies.ts';
import type { B2cPolicy } from './b2c-policies.ts';
import type { CustomerDirectory } from './directory.ts';
import { finishSignIn, finishWithError, formField } from './mounts.ts';
import { addSignUpRoutes } from './signup.ts';

/** The user flow an interaction belongs to (set on authorize by b2cMiddleware). */
function policyOf(interaction: Interaction): B2cPolicy {
  return policyNamed(interaction.params['dt_policy']) ?? B2C_POLICIES.susi;
}

function unknownUser(res: Response, tenant: TenantContext): void {
  res.status(400).type('html').send(errorPage({ error: 'invalid_request', description: 'AADB2C99002: This user does not exist.', footer: tenant.footer }));
}

interface PageDeps {
  provider: Provider;
  tenant: TenantContext;
  directory: CustomerDirectory;
}

function sendHtml(res: Response, page: string): void {
  res.set('Cache-Control', 'no-store').type('html').send(page);
}

/** The user whose profile is edited: the one picked (`?oid=`), else the browser's session user. */
function profileUser(req: Request, interaction: Interaction, deps: PageDeps): DemoUser | undefined {
  const picked = typeof req.query['oid'] === 'string' ? deps.directory.byOid(req.query['oid']) : undefined;
  const sessionSub = interaction.session?.accountId;
  return picked ?? (sessionSub === undefined ? undefined : deps.directory.bySubject(sessionSub));
}

function showPage(req: Request, res: Response, interaction: Interaction, deps: PageDeps): void {
  const { tenant, directory } = deps;
  const base = `${req.baseUrl}/${interaction.uid}`;
  const cancelAction = `${base}/cancel`;
  const policy = policyOf(interaction);
  if (policy === B2C_POLICIES.password) {
    return sendHtml(res, resetPage({ users: directory.users, action: `${base}/reset`, cancelAction, footer: tenant.footer }));
  }
  if (policy === B2C_POLICIES.profile) {
    const user = profileUser(req, interaction, deps);
    if (user) return sendHtml(res, profileEditPage({ user, action: `${base}/profile`, cancelAction, footer: tenant.footer }));
    return sendHtml(res, profilePickPage({ users: directory.named, moreUsers: directory.generated, action: base, cancelAction, footer: tenant.footer }));
  }
  sendHtml(res, susiPage({
    users: directory.named,
    moreUsers: directory.generated,
    clientName: CLIENT_NAME,
    selectAction: `${base}/select`,
    forgotHref: `${base}/forgot`,
    signUpHref: `${base}/signup`,
    cancelAction,
    footer: tenant.footer,
  }));
}

/**
 * The B2C user-flow pages (mounted under every policy's `/oauth2/v2.0/interaction`): GET `/:uid`
 * shows the flow's page; POST `/:uid/select` (susi), `/:uid/reset`, `/:uid/profile` sign the user
 * in with the flow as `tfp`; GET `/:uid/forgot` ends with AADB2C90118; POST `/:uid/cancel` with
 * AADB2C90091; `/:uid/signup` creates a consumer.
 */
export function b2cPagesRouter(provider: Provider, tenant: TenantContext, directory: CustomerDirectory): Router {
  const deps: PageDeps = { provider, tenant, directory };
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '8kb' }));
  const withInteraction = (handle: (req: Request, res: Response, interaction: Interaction) => Promise<void> | void) =>
    async (req: Request, res: Response): Promise<void> => {
      const interaction = await details(provider, req, res);
      if (!interaction) return expired(res, tenant);
      await handle(req, res, interaction);
    };

  router.get('/:uid', withInteraction((req, res, interaction) => showPage(req, res, interaction, deps)));

  router.post('/:uid/select', withInteraction(async (req, res, interaction) => {
    const user = directory.byOid(formField(req, 'oid'));
    if (!user) return unknownUser(res, tenant);
    await finishSignIn(provider, req, res, interaction, directory.subjectOf(user), policyOf(interaction));
  }));

  router.post('/:uid/reset', withInteraction(async (req, res, interaction) => {
    const oid = formField(req, 'oid');
    const user = directory.byOid(oid);
    const error = !user ? 'Choose your account.' : formField(req, 'newPassword') === '' ? 'Enter a new password.' : undefined;
    if (error || !user) {
      const base = `${req.baseUrl}/${interaction.uid}`;
      res.status(400);
      return sendHtml(res, resetPage({ users: directory.users, action: `${base}/reset`, cancelAction: `${base}/cancel`, chosen: oid, error, footer: tenant.footer }));
    }
    await finishSignIn(provider, req, res, interaction, directory.subjectOf(user), policyOf(interaction));
  }));

  router.post('/:uid/profile', withInteraction(async (req, res, interaction) => {
    const user = directory.byOid(formField(req, 'oid'));
    if (!user) return unknownUser(res, tenant);
    const displayName = formField(req, 'displayName');
    if (displayName === '' || displayName.length > 256) {
      const base = `${req.baseUrl}/${interaction.uid}`;
      res.status(400);
      return sendHtml(res, profileEditPage({ user, action: `${base}/profile`, cancelAction: `${base}/cancel`, error: 'Enter a display name (at most 256 characters).', footer: tenant.footer }));
    }
    const updated = directory.rename(user.oid, displayName) ?? user;
    await finishSignIn(provider, req, res, interaction, directory.subjectOf(updated), policyOf(interaction));
  }));

  router.get('/:uid/forgot', withInteraction((req, res) => finishWithError(provider, req, res, 'access_denied', B2C_ERRORS.forgotPassword)));
  router.post('/:uid/cancel', withInteraction((req, res) => finishWithError(provider, req, res, 'access_denied', B2C_ERRORS.cancelled)));
  addSignUpRoutes(router, { provider, tenant, directory, acrOf: policyOf });
  return router;
}
