import type { KoaContextWithOIDC, ErrorOut } from 'oidc-provider';

import type { TenantContext } from './context.ts';
import { withAadsts } from './entra-errors.ts';
import { hintNamesSession, signOutHandOff } from './logout.ts';
import { errorPage, signedOutPage, signOutPage } from './pages.ts';

function requestedRedirectUri(ctx: KoaContextWithOIDC): string {
  const fromParams = ctx.oidc?.params?.['redirect_uri'];
  if (typeof fromParams === 'string') return fromParams;
  const fromQuery = ctx.query['redirect_uri'];
  return typeof fromQuery === 'string' ? fromQuery : '';
}

function describe(ctx: KoaContextWithOIDC, tenant: TenantContext, out: ErrorOut): string {
  if (out.error === 'invalid_redirect_uri') {
    return `AADSTS50011: The redirect URI '${requestedRedirectUri(ctx)}' specified in the request does not match `
      + `the redirect URIs configured for the application '${tenant.clientId}'.`;
  }
  return withAadsts(out.error, out.error_description);
}

/**
 * The pages oidc-provider renders itself (errors that cannot be sent back to the app, the
 * sign-out account picker or, for a hinted sign-out, its hand-off, and the signed-out page), in the dev tenant's look.
 */
export function providerPages(tenant: TenantContext) {
  return {
    renderError(ctx: KoaContextWithOIDC, out: ErrorOut): void {
      ctx.type = 'html';
      ctx.body = errorPage({ error: out.error, description: describe(ctx, tenant, out), footer: tenant.footer });
    },
    logoutSource(ctx: KoaContextWithOIDC, form: string): void {
      const sub = ctx.oidc.session?.accountId;
      const user = sub === undefined ? undefined : tenant.users.bySubject(sub);
      ctx.type = 'html';
      // A logout_hint or id_token_hint naming the signed-in account skips "Pick an account" (logout.ts).
      ctx.body = hintNamesSession(ctx, tenant) ? signOutHandOff(ctx, tenant) : signOutPage({ form, user, footer: tenant.footer });
    },
    postLogoutSuccessSource(ctx: KoaContextWithOIDC): void {
      ctx.type = 'html';
      ctx.body = signedOutPage(tenant.footer);
    },
  };
}
