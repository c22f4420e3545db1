/**
 * shape 'external_id': Microsoft Entra External ID for customers. The tenant
 * `devtenantcustomers` serves Entra's v2.0 endpoints under both `/devtenantcustomers.onmicrosoft.com`
 * and `/{tenantId}` (issuer `…/{tenantId}/v2.0` for both, like `*.ciamlogin.com`), signs in demo
 * customers, and lets people sign up from the sign-in page or straight away with `prompt=create`.
 */
import express from 'express';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

import { CLIENT_NAME } from '../context.ts';
import type { TenantContext } from '../context.ts';
import { details, expired, USER_CANCELLED } from '../interactions.ts';
import { errorPage } from '../pages.ts';
import { splitScope } from '../scopes.ts';
import type { Next } from '../shims.ts';
import { subjectFor } from '../users.ts';
import { createCustomerDirectory } from './directory.ts';
import type { CustomerDirectory } from './directory.ts';
import { classifierFor, finishSignIn, finishWithError, formField, interactionUrlAtMount, isAuthorize, mountProvider, setQuery } from './mounts.ts';
import { customerSignInPage } from './pages.ts';
import { addSignUpRoutes, renderSignUp } from './signup.ts';
import type { ShapeInput } from './shape-input.ts';
import type { TenantShape } from './types.ts';

/** The External ID tenant's subdomain name (`<name>.ciamlogin.com` in the real service). */
export const EXTERNAL_ID_TENANT = 'devtenantcustomers';
/** Domain of the demo customers' e-mail addresses. */
export const CUSTOMER_EMAIL_DOMAIN = 'devtenantcustomers.example';
/** Authorization parameter carrying `prompt=create` into the interaction (oidc-provider knows no `create`). */
export const CREATE_PARAM = 'dt_create';

/**
 * Strips `create` from `prompt` on authorize and records it as `dt_create=1` (any `dt_create`
 * the client sent is dropped), so the sign-in pages can open with the sign-up form.
 */
export function carryPromptCreate(ctx: KoaContextWithOIDC, next: Next): Promise<unknown> {
  if (isAuthorize(ctx) && !Array.isArray(ctx.query['prompt'])) {
    const prompts = splitScope(ctx.query['prompt']);
    const create = prompts.includes('create');
    if (create || ctx.query[CREATE_PARAM] !== undefined) {
      const rest = prompts.filter((p) => p !== 'create');
      setQuery(ctx, { ...ctx.query, prompt: rest.length > 0 ? rest.join(' ') : undefined, [CREATE_PARAM]: create ? '1' : undefined });
    }
  }
  return next();
}

function pagesRouter(provider: Provider, tenant: TenantContext, directory: CustomerDirectory) {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '8kb' }));

  router.get('/:uid', async (req, res) => {
    const interaction = await details(provider, req, res);
    if (!interaction) return expired(res, tenant);
    if (interaction.params[CREATE_PARAM] === '1' && req.query['signin'] === undefined) return renderSignUp(req, res, tenant, interaction.uid);
    const base = `${req.baseUrl}/${interaction.uid}`;
    res.set('Cache-Control', 'no-store').type('html').send(customerSignInPage({
      users: directory.named,
      moreUsers: directory.generated,
      clientName: CLIENT_NAME,
      selectAction: `${base}/select`,
      cancelAction: `${base}/cancel`,
      signUpHref: `${base}/signup`,
      footer: tenant.footer,
    }));
  });

  router.post('/:uid/select', async (req, res) => {
    const interaction = await details(provider, req, res);
    if (!interaction) return expired(res, tenant);
    const user = directory.byOid(formField(req, 'oid'));
    if (!user) {
      res.status(400).type('html').send(errorPage({ error: 'invalid_request', description: 'AADSTS50034: The user account does not exist in this directory.', footer: tenant.footer }));
      return;
    }
    await finishSignIn(provider, req, res, interaction, directory.subjectOf(user));
  });

  router.post('/:uid/cancel', async (req, res) => {
    const interaction = await details(provider, req, res);
    if (!interaction) return expired(res, tenant);
    await finishWithError(provider, req, res, 'access_denied', USER_CANCELLED);
  });

  addSignUpRoutes(router, { provider, tenant, directory });
  return router;
}

/** Builds the External ID shape for one running tenant. */
export function externalIdShape(input: ShapeInput): TenantShape {
  const { secrets, origin } = input;
  const domainMount = `/${EXTERNAL_ID_TENANT}.onmicrosoft.com`;
  const idMount = `/${secrets.tenantId}`;
  const directory = createCustomerDirectory(CUSTOMER_EMAIL_DOMAIN, (oid) => subjectFor(oid, secrets.clientId), input.extraUsers);
  const tenant: TenantContext = {
    tenantId: secrets.tenantId,
    clientId: secrets.clientId,
    origin,
    mountPath: domainMount,
    issuer: `${origin}/${secrets.tenantId}/v2.0`,
    graphEndpoint: `${origin}/v1.0`,
    users: directory,
    footer: `External ID tenant ${EXTERNAL_ID_TENANT} (${secrets.tenantId}) · development only`,
    accessTokenTtl: input.accessTokenTtl,
    customers: true,
  };
  const mounts = [domainMount, idMount];
  return {
    tenant,
    directory,
    provider: { extraParams: [CREATE_PARAM], interactionUrl: interactionUrlAtMount, middleware: carryPromptCreate as (ctx: KoaContextWithOIDC, next: Next) => Promise<void> },
    app: {
      classify: classifierFor(mounts),
      mount: (app, provider) => {
        for (const mount of mounts) mountProvider(app, mount, provider, pagesRouter(provider, tenant, directory));
      },
    },
    api: () => ({
      externalId: { tenantName: EXTERNAL_ID_TENANT, authorities: { domain: `${origin}${domainMount}`, tenantId: `${origin}${idMount}` } },
    }),
  };
}

