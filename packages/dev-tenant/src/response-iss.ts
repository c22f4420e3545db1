/**
 * RFC 9207 the way Microsoft's services leave it out. Entra ID (`/{tid}`, `/organizations`,
 * `/common`), External ID and B2C publish no `authorization_response_iss_parameter_supported` in
 * their discovery documents, and their authorization responses carry `code` and `state` (or
 * `error`, `error_description`, `state`), never `iss`:
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response,
 * https://learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#find-your-apps-openid-configuration-document-uri,
 * https://learn.microsoft.com/azure/active-directory-b2c/authorization-code-flow.
 * oidc-provider always promises and sends `iss`; this takes both away. DevTenantOptions
 * `authorizationResponseIss` keeps them on single-tenant authorities (an RFC 9207 authority that
 * is not Microsoft's).
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

import type { Next } from './shims.ts';

const ISS_INPUT = /<input type="hidden" name="iss" value="[^"]*"\/>\n?/g;

/** The discovery document without the RFC 9207 §3 promise. */
function dropIssPromise(ctx: KoaContextWithOIDC): void {
  if (ctx.oidc?.route !== 'discovery' || ctx.status !== 200) return;
  delete (ctx.body as Record<string, unknown>)['authorization_response_iss_parameter_supported'];
}

/** `iss` out of a redirect's query or fragment (RFC 9207 §2), success and error alike. */
function withoutIss(location: string): string | undefined {
  const target = URL.parse(location);
  if (!target) return undefined;
  if (target.searchParams.has('iss')) {
    target.searchParams.delete('iss');
    return target.href;
  }
  const fragment = new URLSearchParams(target.hash.slice(1));
  if (!fragment.has('iss')) return undefined;
  fragment.delete('iss');
  target.hash = fragment.toString();
  return target.href;
}

/** `iss` out of the authorization response: the redirect's Location, or the self-posting form (form_post). */
function dropIssParameter(ctx: KoaContextWithOIDC): void {
  const route = ctx.oidc?.route;
  if (route !== 'authorization' && route !== 'resume') return;
  if (typeof ctx.body === 'string' && ctx.body.includes('name="iss"')) ctx.body = ctx.body.replace(ISS_INPUT, '');
  if (ctx.status !== 303 && ctx.status !== 302) return;
  const location = withoutIss(ctx.response.get('location'));
  if (location) ctx.set('location', location);
}

/** Makes one response of the provider Microsoft's: no RFC 9207 promise in discovery, no `iss` on authorization responses. */
export function dropResponseIss(ctx: KoaContextWithOIDC): void {
  dropIssPromise(ctx);
  dropIssParameter(ctx);
}

/** Installs {@link dropResponseIss} on every response of `provider`. */
export function withoutResponseIss(provider: Provider): void {
  const shim = async (ctx: KoaContextWithOIDC, next: Next): Promise<void> => {
    await next();
    dropResponseIss(ctx);
  };
  provider.use(shim as Parameters<Provider['use']>[0]);
}
