import express from 'express';
import type { Request, Response, Router } from 'express';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';

import { CLIENT_NAME, ROUTES } from './context.ts';
import type { TenantContext } from './context.ts';
import { errorPage, pickAccountPage } from './pages.ts';
import { adminApprovalNeeded } from './admin-consent.ts';
import { needAdminApprovalPage } from './approval-page.ts';
import { ConsentBook, consentView, permissionsToConsent, saveGrant } from './consent.ts';
import { foreignUserDescription } from './organizations.ts';
import { claimsToGrant } from './requested-claims.ts';
import { GRAPH_RESOURCE, isGraphScope, splitScope } from './scopes.ts';
import { stepUpAtSignIn } from './step-up.ts';
import type { DemoUser } from './types.ts';

/** Entra's description when the user cancels the sign-in. */
export const USER_CANCELLED = 'AADSTS65004: User declined to consent to access the app.';

/** oidc-provider's interaction details. */
export type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** Multi-tenant authorities list their accounts per organisation; undefined on a single-tenant one. */
function organisationGroups(tenant: TenantContext): Array<{ label: string; users: DemoUser[] }> | undefined {
  const groups = (tenant.organizations?.all ?? [])
    .map((org) => ({ label: org.label, users: org.users.filter((u) => tenant.users.named.includes(u)) }))
    .filter((group) => group.users.length > 0);
  return groups.length > 1 ? groups : undefined;
}

/**
 * Grants everything the app asked for, as an admin-consented Entra app gets it: Graph
 * permissions on the Graph resource, every other scope (openid, profile, offline_access, and
 * unknown ones, which change nothing) as OIDC scopes so a refresh may ask for them again.
 */
export async function grantRequested(provider: Provider, details: Interaction, accountId: string): Promise<string> {
  const scopes = splitScope(details.params['scope']);
  const grant = new provider.Grant({ accountId, clientId: String(details.params['client_id']) });
  grant.addOIDCScope(scopes.filter((s) => !isGraphScope(s)));
  const graph = scopes.filter(isGraphScope);
  if (graph.length > 0) grant.addResourceScope(GRAPH_RESOURCE, graph);
  grant.addOIDCClaims(claimsToGrant(details.params, details.prompt.details['missingOIDCClaims']));
  return grant.save();
}

/** The interaction named by the `:uid` route parameter, or undefined when it is missing, expired or not this browser's. */
export async function details(provider: Provider, req: Request, res: Response): Promise<Interaction | undefined> {
  try {
    const interaction = await provider.interactionDetails(req, res);
    return interaction.uid === req.params['uid'] ? interaction : undefined;
  } catch {
    return undefined; // cookie missing or interaction expired
  }
}

/** The user signed in at the tenant already (its session), whose earlier consents tell an incremental-consent visit apart. */
function sessionUser(tenant: TenantContext, interaction: Interaction): DemoUser | undefined {
  const accountId = interaction.session?.accountId;
  if (accountId === undefined) return undefined;
  return [...tenant.users.named, ...tenant.users.generated].find((u) => tenant.users.subjectOf(u) === accountId);
}

/** The 400 page for an expired or foreign sign-in request. */
export function expired(res: Response, tenant: TenantContext): void {
  res.status(400).type('html').send(errorPage({
    error: 'invalid_request',
    description: 'AADSTS90014: This sign-in request has expired or was started in another browser. Go back to the app and sign in again.',
    footer: tenant.footer,
  }));
}

/**
 * "Need admin approval" instead of signing in: the picker again for an admin account, or back to
 * the app through …/cancel (`access_denied`, AADSTS65004: the shape of Entra's redirect is unconfirmed).
 */
function needApproval(res: Response, tenant: TenantContext, uid: string, user: DemoUser, permissions: string[]): void {
  const base = `${tenant.mountPath}${ROUTES.interaction}/${uid}`;
  res.status(200).set('Cache-Control', 'no-store').type('html').send(needAdminApprovalPage({
    clientName: CLIENT_NAME, user, permissions, pickAccountHref: base, returnAction: `${base}/cancel`, footer: tenant.footer,
  }));
}

/**
 * The sign-in pages oidc-provider sends the browser to (`/{tenant}/oauth2/v2.0/interaction/:uid`):
 * GET shows "Pick an account"; POST …/select signs the chosen demo user in and grants the
 * admin-consented, earlier consented and requested permissions (consent.ts; no separate consent
 * page) — or, for a user who is not an administrator asked for admin-only permissions without
 * tenant-wide admin consent, shows "Need admin approval" (admin-consent.ts), or, when the
 * authorize request carries a step-up policy's claims, "Verify your identity" first (step-up.ts);
 * POST …/cancel ends with `access_denied` and Entra's AADSTS65004 description.
 */
export function interactionRouter(provider: Provider, tenant: TenantContext): Router {
  const router = express.Router();
  const base = `${tenant.mountPath}${ROUTES.interaction}`;
  const consents = tenant.consents ?? new ConsentBook();
  router.use(express.urlencoded({ extended: false, limit: '8kb' }));

  router.get('/:uid', async (req, res) => {
    const interaction = await details(provider, req, res);
    if (!interaction) return expired(res, tenant);
    const returning = sessionUser(tenant, interaction);
    res.set('Cache-Control', 'no-store').type('html').send(pickAccountPage({
      newPermissions: returning ? permissionsToConsent(interaction.params['scope'], consents, returning.oid) : undefined,
      users: tenant.users.named,
      moreUsers: tenant.users.generated,
      clientName: CLIENT_NAME,
      permissions: consentView(interaction.params['scope'], consents.adminConsented()).map((c) => c.permission),
      adminConsented: consents.adminConsented(),
      groups: organisationGroups(tenant),
      selectAction: `${base}/${interaction.uid}/select`,
      cancelAction: `${base}/${interaction.uid}/cancel`,
      footer: tenant.footer,
    }));
  });

  router.post('/:uid/select', async (req, res) => {
    const interaction = await details(provider, req, res);
    if (!interaction) return expired(res, tenant);
    const oid = (req.body as Record<string, unknown> | undefined)?.['oid'];
    const user = typeof oid === 'string' ? tenant.users.byOid(oid) : undefined;
    if (!user) {
      const foreign = typeof oid === 'string' ? foreignUserDescription(tenant, oid) : undefined;
      const description = foreign ?? 'AADSTS50034: The user account does not exist in this directory.';
      res.status(400).type('html').send(errorPage({ error: 'invalid_request', description, footer: tenant.footer }));
      return;
    }
    const approval = adminApprovalNeeded(interaction.params['scope'], consents, user);
    if (approval.length > 0) return needApproval(res, tenant, interaction.uid, user, approval);
    const stepUp = stepUpAtSignIn(tenant, interaction.params, user, req.body, `${base}/${interaction.uid}/select`);
    if ('page' in stepUp) return void res.set('Cache-Control', 'no-store').type('html').send(stepUp.page);
    const accountId = tenant.users.subjectOf(user);
    const result: InteractionResults = {
      login: { accountId, amr: ['pwd'] },
      consent: {
        grantId: await saveGrant(provider, {
          accountId, clientId: String(interaction.params['client_id']), oid: user.oid, scope: interaction.params['scope'],
          claims: claimsToGrant(interaction.params, interaction.prompt.details['missingOIDCClaims']), book: consents,
        }),
      },
    };
    tenant.access?.recordSignIn(String(result.consent?.grantId), stepUp.evidence);
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  });

  router.post('/:uid/cancel', async (req, res) => {
    const interaction = await details(provider, req, res);
    if (!interaction) return expired(res, tenant);
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: USER_CANCELLED }, { mergeWithLastSubmission: false });
  });

  return router;
}
