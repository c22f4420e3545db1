import type { Request, Response, Router } from 'express';
import type Provider from 'oidc-provider';

import { CLIENT_NAME } from '../context.ts';
import type { TenantContext } from '../context.ts';
import { details, expired } from '../interactions.ts';
import type { Interaction } from '../interactions.ts';
import type { CustomerDirectory } from './directory.ts';
import { finishSignIn, formField } from './mounts.ts';
import { signUpPage } from './pages.ts';

/** Inputs of {@link addSignUpRoutes}. */
export interface SignUpDeps {
  provider: Provider;
  tenant: TenantContext;
  directory: CustomerDirectory;
  /** The `acr` to sign the new customer in with (B2C: the user flow); none for External ID. */
  acrOf?: ((interaction: Interaction) => string) | undefined;
}

function render(req: Request, res: Response, tenant: TenantContext, uid: string, form: { email?: string; displayName?: string; error?: string } = {}): void {
  const base = `${req.baseUrl}/${uid}`;
  res.set('Cache-Control', 'no-store').type('html').send(signUpPage({
    clientName: CLIENT_NAME,
    action: `${base}/signup`,
    cancelAction: `${base}/cancel`,
    signInHref: `${base}?signin=1`,
    email: form.email,
    displayName: form.displayName,
    error: form.error,
    footer: tenant.footer,
  }));
}

/** The sign-up page of one interaction, for routers that show it from their GET `/:uid`. */
export function renderSignUp(req: Request, res: Response, tenant: TenantContext, uid: string): void {
  render(req, res, tenant, uid);
}

/**
 * GET `/:uid/signup` shows "Create account"; POST `/:uid/signup` creates the customer (refusing a
 * duplicate or invalid address with a message on the form, status 400), signs them in and grants
 * what the app asked for.
 */
export function addSignUpRoutes(router: Router, deps: SignUpDeps): void {
  const { provider, tenant, directory } = deps;
  router.get('/:uid/signup', async (req, res) => {
    const interaction = await details(provider, req, res);
    if (!interaction) return expired(res, tenant);
    render(req, res, tenant, interaction.uid);
  });

  router.post('/:uid/signup', async (req, res) => {
    const interaction = await details(provider, req, res);
    if (!interaction) return expired(res, tenant);
    const email = formField(req, 'email');
    const displayName = formField(req, 'displayName');
    const created = directory.signUp(email, displayName);
    if (!created.ok) {
      res.status(400);
      return render(req, res, tenant, interaction.uid, { email, displayName, error: created.message });
    }
    await finishSignIn(provider, req, res, interaction, directory.subjectOf(created.user), deps.acrOf?.(interaction));
  });
}
