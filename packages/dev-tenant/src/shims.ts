import type { IncomingMessage } from 'node:http';

import type { KoaContextWithOIDC } from 'oidc-provider';

import { ROUTES } from './context.ts';
import type { TenantContext } from './context.ts';
import { entraErrorBody, withAadsts } from './entra-errors.ts';
import { userTenant } from './organizations.ts';
import { autoSubmitPage } from './pages.ts';
import { splitScope } from './scopes.ts';
import { entraTokenError } from './token-errors.ts';

/** Koa's `next`. */
export type Next = () => Promise<unknown>;

/**
 * Maps the `prompt` msal sends to one oidc-provider accepts, keeping Entra's behaviour:
 * - `none` is left alone (silent; `login_required` without a session, as OIDC Core §3.1.2.6 says);
 * - anything else (no prompt, `select_account`, `login`, `consent`) gets `consent`, and
 *   `select_account` (which oidc-provider does not support) is replaced by it.
 * oidc-provider only keeps `offline_access` when `prompt=consent` is present (OIDC Core §11),
 * so this is what makes refresh tokens appear. The account picker is shown on every
 * interactive authorize anyway, like Entra's "Pick an account".
 */
export function entraPrompt(prompt: string | undefined): string {
  const requested = splitScope(prompt);
  if (requested.includes('none')) return prompt ?? 'none';
  const mapped = new Set(requested.map((p) => (p === 'select_account' ? 'consent' : p)));
  mapped.add('consent');
  return [...mapped].join(' ');
}

/**
 * Rewrites `prompt` on GET authorize in oidc-provider's Koa context (Express 5's `req.query`
 * is a read-only getter). Koa's query setter rewrites `req.url`; `req.originalUrl` is updated to
 * match because oidc-provider derives its mount path from the pair.
 */
export function rewriteAuthorizePrompt(ctx: KoaContextWithOIDC, next: Next): Promise<unknown> {
  if (ctx.method === 'GET' && ctx.path === ROUTES.authorization) {
    const { prompt } = ctx.query;
    if (!Array.isArray(prompt)) {
      const mapped = entraPrompt(prompt);
      if (mapped !== prompt) {
        ctx.query = { ...ctx.query, prompt: mapped };
        const req = ctx.req as IncomingMessage & { originalUrl?: string; baseUrl?: string };
        req.originalUrl = `${req.baseUrl ?? ''}${req.url ?? ''}`;
      }
    }
  }
  return next();
}

function rawParam(ctx: KoaContextWithOIDC, name: string): string | undefined {
  const value = ctx.oidc?.body?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** base64url(JSON {"uid": oid, "utid": tenantId}): what msal builds `oid.tid` account ids from. */
export function clientInfo(oid: string, tenantId: string): string {
  return Buffer.from(JSON.stringify({ uid: oid, utid: tenantId })).toString('base64url');
}

function responseScope(ctx: KoaContextWithOIDC, granted: unknown): string {
  const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
  const asked = rawParam(ctx, 'grant_type') === 'refresh_token' && rawParam(ctx, 'scope')
    ? splitScope(rawParam(ctx, 'scope'))
    : [...(source?.scopes ?? [])];
  const oidc = asked.filter((s) => s === 'openid' || s === 'profile' || s === 'email');
  return [...splitScope(granted), ...oidc].join(' ');
}

/**
 * Gives a successful token response Entra's shape: `token_type: "Bearer"`, `scope` (Graph
 * permissions plus the OIDC scopes), `expires_in`, `ext_expires_in`, and `client_info` when the
 * request carried `client_info=1` (msal always does).
 */
export function decorateTokenResponse(ctx: KoaContextWithOIDC, tenant: TenantContext): void {
  const body = ctx.body as Record<string, unknown>;
  const sub = ctx.oidc.entities.Account?.accountId;
  const user = sub === undefined ? undefined : tenant.users.bySubject(sub);
  const wantsClientInfo = rawParam(ctx, 'client_info') === '1' && user !== undefined;
  const decorated: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: responseScope(ctx, body['scope']),
    expires_in: body['expires_in'],
    ext_expires_in: body['expires_in'],
    access_token: body['access_token'],
    refresh_token: body['refresh_token'],
    id_token: body['id_token'],
    client_info: wantsClientInfo ? clientInfo(user.oid, userTenant(tenant, user).tenantId) : undefined,
  };
  ctx.body = Object.fromEntries(Object.entries(decorated).filter(([, v]) => v !== undefined));
}

function isErrorBody(body: unknown): body is { error: string; error_description?: string } {
  return typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string';
}

const FORM = /<form method="post" action="([^"]*)">/;
const INPUT = /<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g;
const UNESCAPE: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (m) => UNESCAPE[m] ?? m);
}

/**
 * oidc-provider's self-posting forms (response_mode=form_post, sign-out hand-offs) use an inline
 * script; re-render them as our own page whose script is an external file, so no dev-tenant page
 * needs inline script (and the page carries the banner).
 */
export function externalizeAutoSubmit(ctx: KoaContextWithOIDC, tenant: TenantContext, csp: string): void {
  if (typeof ctx.body !== 'string' || !ctx.body.includes('<title>Submitting Callback</title>')) return;
  const action = FORM.exec(ctx.body)?.[1];
  if (action === undefined) return;
  const inputs = [...ctx.body.matchAll(INPUT)].map((m): [string, string] => [unescapeHtml(m[1] ?? ''), unescapeHtml(m[2] ?? '')]);
  const error = inputs.find(([name]) => name === 'error')?.[1];
  for (const input of inputs) {
    if (error && input[0] === 'error_description') input[1] = withAadsts(error, input[1]);
  }
  ctx.body = autoSubmitPage(unescapeHtml(action), inputs, tenant.footer);
  ctx.set('Content-Security-Policy', csp);
}

/**
 * Error redirects to the app (`?error=…&error_description=…`) get Entra's `AADSTSnnnnn: `
 * prefix on the description, like the JSON errors. A user who declines (AADSTS65004, also when
 * leaving "Need admin approval") comes back with `error_subcode=cancel` as well (observed shape,
 * https://github.com/MicrosoftDocs/azure-docs/issues/41053; not in Microsoft's reference pages).
 */
export function prefixRedirectError(ctx: KoaContextWithOIDC): void {
  if (ctx.status !== 303 && ctx.status !== 302) return;
  const route = ctx.oidc?.route;
  if (route !== 'authorization' && route !== 'resume') return;
  const target = URL.parse(ctx.response.get('location'));
  const error = target?.searchParams.get('error');
  if (!target || !error) return;
  target.searchParams.set('error_description', withAadsts(error, target.searchParams.get('error_description') ?? undefined));
  // The user left without consenting: Entra adds error_subcode=cancel, which MSAL reads as "user cancelled".
  if (error === 'access_denied' && target.searchParams.get('error_description')?.startsWith('AADSTS65004:')) target.searchParams.set('error_subcode', 'cancel');
  ctx.set('location', target.href);
}

/**
 * Entra's and B2C's discovery say `subject_types_supported: ["pairwise"]`; the dev tenant's `sub` is
 * per application too (users.ts `subjectFor`), but oidc-provider can only compute its own pairwise
 * values, so the document is corrected here. learn.microsoft.com/entra/identity-platform/v2-protocols-oidc#sample-response
 */
export function pairwiseSubjects(ctx: KoaContextWithOIDC): void {
  if (ctx.oidc?.route !== 'discovery' || ctx.status !== 200) return;
  (ctx.body as Record<string, unknown>)['subject_types_supported'] = ['pairwise'];
}

/** Rewrites the ID token of a successful token response (hostile mode); gets the token and the grant type. */
export type AlterIdToken = (idToken: string, grantType: string) => Promise<string>;

/** Inputs of {@link entraShims}. */
export interface ShimOptions {
  tenant: TenantContext;
  countGrant: (grantType: string) => void;
  /** Content-Security-Policy of the re-rendered pages. */
  csp: string;
  alterIdToken?: AlterIdToken | undefined;
}

async function alterResponseIdToken(ctx: KoaContextWithOIDC, grantType: string, alter: AlterIdToken | undefined): Promise<void> {
  const body = ctx.body as Record<string, unknown>;
  if (alter && typeof body['id_token'] === 'string') body['id_token'] = await alter(body['id_token'], grantType);
}

/**
 * The Koa middleware the tenant adds in front of oidc-provider's router: prompt rewriting before,
 * and after: token-response decoration (and, in hostile mode, ID-token alteration), Entra-style
 * JSON errors, grant counting, form re-rendering.
 */
export function entraShims({ tenant, countGrant, csp, alterIdToken }: ShimOptions) {
  return async (ctx: KoaContextWithOIDC, next: Next): Promise<void> => {
    await rewriteAuthorizePrompt(ctx, next);
    const isToken = ctx.method === 'POST' && ctx.path === ROUTES.token;
    const grantType = rawParam(ctx, 'grant_type') ?? 'unknown';
    if (isToken) countGrant(grantType);
    if (isToken && ctx.status === 200 && typeof (ctx.body as { access_token?: unknown })?.access_token === 'string') {
      decorateTokenResponse(ctx, tenant);
      await alterResponseIdToken(ctx, grantType, alterIdToken);
    } else if (ctx.status >= 400 && isErrorBody(ctx.body)) {
      ctx.body = entraTokenError(ctx, tenant.clientId) ?? entraErrorBody(ctx.body.error, ctx.body.error_description);
    } else {
      prefixRedirectError(ctx);
    }
    pairwiseSubjects(ctx);
    externalizeAutoSubmit(ctx, tenant, csp);
  };
}
