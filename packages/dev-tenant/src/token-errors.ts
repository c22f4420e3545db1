import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

import { ASSERTION_PROBLEMS } from './client-auth.ts';
import { CLIENT_NAME, ROUTES } from './context.ts';
import { entraErrorBody } from './entra-errors.ts';
import type { EntraErrorBody } from './entra-errors.ts';
import { isGraphScope, splitScope } from './scopes.ts';

const STATE_KEY = 'devtenantTokenError';

interface ProviderError {
  error?: string;
  error_detail?: string;
  scope?: string;
}

/** Keeps the token endpoint's error on the Koa context, so the shims can word it like Entra. */
export function rememberTokenErrors(provider: Provider): void {
  provider.on('grant.error', (ctx: KoaContextWithOIDC, err: unknown) => {
    ctx.state[STATE_KEY] = err;
  });
}

function param(ctx: KoaContextWithOIDC, name: string): string | undefined {
  const value = ctx.oidc?.body?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** AADSTS wording of a failed client authentication (RFC 6749 §5.2 invalid_client). */
function clientAuthDescription(ctx: KoaContextWithOIDC, detail: string, clientId: string): string {
  const secretText = `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`;
  const unknownCert = `AADSTS700027: The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`;
  if (detail === 'invalid secret provided') return secretText;
  if (detail.startsWith('the provided authentication mechanism')) return param(ctx, 'client_secret') ? secretText : unknownCert;
  if (detail === ASSERTION_PROBLEMS.unknownCertificate || detail.startsWith('no applicable key')) return unknownCert;
  if (detail === 'signature verification failed') return 'AADSTS700027: Client assertion contains an invalid signature. [Reason - The key used to sign the assertion does not match the registered certificate.]';
  if (detail === ASSERTION_PROBLEMS.replayed) return 'AADSTS700027: Client assertion failed validation: its jti was already used by another assertion.';
  if (detail === 'jwt expired' || detail === 'jwt not active yet' || detail === ASSERTION_PROBLEMS.tooLong) {
    return `AADSTS700024: Client assertion is not within its valid time range (${detail}).`;
  }
  return `AADSTS700027: Client assertion failed validation (${detail}).`;
}

/**
 * Entra's answer to a refresh asking for a Graph permission the grant does not hold (oidc-provider
 * says `invalid_scope` "refresh token missing requested scope"): `invalid_grant` AADSTS65001 with
 * `suberror: consent_required`, which msal maps to InteractionRequiredAuthError.
 */
function consentRequired(clientId: string): EntraErrorBody & { suberror: string } {
  const description = `AADSTS65001: The user or administrator has not consented to use the application with ID '${clientId}' named '${CLIENT_NAME}'. Send an interactive authorization request for this user and resource.`;
  return { ...entraErrorBody('invalid_grant', description), suberror: 'consent_required' };
}

/**
 * The Entra-shaped body for a token-endpoint error that needs more than the generic mapping
 * (client authentication failures, missing consent on refresh); undefined for the others.
 */
export function entraTokenError(ctx: KoaContextWithOIDC, clientId: string): (EntraErrorBody & { suberror?: string }) | undefined {
  const err = ctx.state[STATE_KEY] as ProviderError | undefined;
  if (!err || ctx.path !== ROUTES.token) return undefined;
  if (err.error === 'invalid_client') {
    return entraErrorBody('invalid_client', clientAuthDescription(ctx, err.error_detail ?? '', clientId));
  }
  if (err.error === 'invalid_scope' && param(ctx, 'grant_type') === 'refresh_token' && splitScope(err.scope).some(isGraphScope)) {
    ctx.status = 400;
    return consentRequired(clientId);
  }
  return undefined;
}
