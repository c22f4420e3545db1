import express from 'express';
import type { Request, Response, Router } from 'express';
import type Provider from 'oidc-provider';
import type { InteractionResults } from 'oidc-provider';

import { CLIENT_NAME, ROUTES } from './context.ts';
import type { TenantContext } from './context.ts';
import { errorPage, pickAccountPage } from './pages.ts';
import { delegatedPermissions, GRAPH_RESOURCE, isGraphScope, splitScope } from './scopes.ts';

/** Entra's description when the user cancels the sign-in. */
export const USER_CANCELLED = 'AADSTS65004: User declined to consent to access the app.';

type Interaction = Awaited<ReturnType<Provider['interactionDetails']>>;

/** Permissions to show on the picker: Graph ones by name, then the OIDC ones asked for. */
function requestedPermissions(scope: unknown): string[] {
  const scopes = splitScope(scope);
  return [...delegatedPermissions(scopes), ...scopes.filter((s) => !isGraphScope(s))];
}

/**
 * Grants everything the app asked for, as an admin-consented Entra app gets it: Graph
 * permissions on the Graph resource, every other scope (openid, profile, offline_access, and
 * unknown ones, which change nothing) as OIDC scopes so a refresh may ask for them again.
 */
async function grantRequested(provider: Provider, details: Interaction, accountId: string): Promise<string> {
  const scopes = splitScope(details.params['scope']);
  const grant = new provider.Grant({ accountId, clientId: String(details.params['client_id']) });
  grant.addOIDCScope(scopes.filter((s) => !isGraphScope(s)));
  const graph = scopes.filter(isGraphScope);
  if (graph.length > 0) grant.addResourceScope(GRAPH_RESOURCE, graph);
  const claims = details.prompt.details['missingOIDCClaims'];
  if (Array.isArray(claims)) grant.addOIDCClaims(claims.map(String));
  return grant.save();
}

async function details(provider: Provider, req: Request, res: Response): Promise<Interaction | undefined> {
  try {
    const interaction = await provider.interactionDetails(req, res);
    return interaction.uid === req.params['uid'] ? interaction : undefined;
  } catch {
    return undefined; // cookie missing or interaction expired
  }
}

function expired(res: Response, tenant: TenantContext): void {
  res.status(400).type('html').send(errorPage({
    error: 'invalid_request',
    description: 'AADSTS90014: This sign-in request has expired or was started in another browser. Go back to the app and sign in again.',
    footer: tenant.footer,
  }));
}

/**
 * The sign-in pages oidc-provider sends the browser to (`/{tenant}/oauth2/v2.0/interaction/:uid`):
 * GET shows "Pick an account"; POST …/select signs the chosen demo user in and grants the
 * requested scopes (no separate consent page); POST …/cancel ends with `access_denied` and
 * Entra's AADSTS65004 description.
 */
export function interactionRouter(provider: Provider, tenant: TenantContext): Router {
  const router = express.Router();
  const base = `${tenant.mountPath}${ROUTES.interaction}`;
  router.use(express.urlencoded({ extended: false, limit: '8kb' }));

  router.get('/:uid', async (req, res) => {
    const interaction = await details(provider, req, res);
    if (!interaction) return expired(res, tenant);
    res.set('Cache-Control', 'no-store').type('html').send(pickAccountPage({
      users: tenant.users.named,
      moreUsers: tenant.users.generated,
      clientName: CLIENT_NAME,
      permissions: requestedPermissions(interaction.params['scope']),
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
      res.status(400).type('html').send(errorPage({ error: 'invalid_request', description: 'AADSTS50034: The user account does not exist in this directory.', footer: tenant.footer }));
      return;
    }
    const accountId = tenant.users.subjectOf(user);
    const result: InteractionResults = {
      login: { accountId, amr: ['pwd'] },
      consent: { grantId: await grantRequested(provider, interaction, accountId) },
    };
    await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  });

  router.post('/:uid/cancel', async (req, res) => {
    const interaction = await details(provider, req, res);
    if (!interaction) return expired(res, tenant);
    await provider.interactionFinished(req, res, { error: 'access_denied', error_description: USER_CANCELLED }, { mergeWithLastSubmission: false });
  });

  return router;
}
