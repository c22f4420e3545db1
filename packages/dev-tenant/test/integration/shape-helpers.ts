/**
 * Helpers for the External ID and B2C shapes: the raw-HTTP authorization-code flow against any
 * authority of the tenant, walking the tenant's pages until the browser is sent back to the app.
 */
import { parseForm } from '../../src/agent.ts';
import type { Agent, Page } from '../../src/agent.ts';
import type { DevTenant } from '../../src/index.ts';
import { authorizeUrl, pkce } from './helpers.ts';

/** Where a step ended: a page of the tenant, or a redirect away from it (to the app). */
export type Outcome = { page: Page; left?: undefined } | { left: URL; page?: undefined };

/** Follows redirects while they stay on the tenant's origin. */
export async function walk(agent: Agent, tenant: DevTenant, url: string, init: RequestInit = {}): Promise<Outcome> {
  const origin = new URL(tenant.authority).origin;
  agent.stopBefore = (next) => new URL(next).origin !== origin;
  const page = await agent.go(url, init);
  const last = page.hops.at(-1);
  if (last?.location && new URL(last.location, last.url).origin !== origin) return { left: new URL(last.location, last.url) };
  return { page };
}

/** The page of an outcome (throws when the flow left the tenant). */
export function pageOf(outcome: Outcome): Page {
  if (!outcome.page) throw new Error(`expected a tenant page, the flow went to ${outcome.left.href}`);
  return outcome.page;
}

/** The app URL of an outcome (throws when the flow is still on a tenant page). */
export function leftTo(outcome: Outcome): URL {
  if (!outcome.left) throw new Error(`expected a redirect to the app, got a tenant page (${outcome.page.status}): ${outcome.page.body.slice(0, 800)}`);
  return outcome.left;
}

/** Starts an authorize request at `authority` (msal's parameters, PKCE, state and nonce). */
export async function startAt(agent: Agent, tenant: DevTenant, authority: string, params: Record<string, string> = {}): Promise<{ outcome: Outcome; verifier: string }> {
  const { verifier, challenge } = pkce();
  const url = new URL(authorizeUrl(tenant, { code_challenge: challenge, code_challenge_method: 'S256', state: 'state-123', nonce: 'nonce-456', ...params }));
  const target = new URL(`${authority}/oauth2/v2.0/authorize`);
  target.search = url.search;
  return { outcome: await walk(agent, tenant, target.href), verifier };
}

/** Submits the form holding `button` with `values` set (e.g. typed fields), then walks on. */
export async function submitWith(agent: Agent, tenant: DevTenant, page: Page, button: RegExp, values: Record<string, string> = {}): Promise<Outcome> {
  const form = parseForm(page.body, button, page.url);
  for (const [name, value] of Object.entries(values)) form.fields.set(name, value);
  if (form.method === 'GET') return walk(agent, tenant, `${form.action.split('?')[0]}?${form.fields}`);
  return walk(agent, tenant, form.action, { method: 'POST', body: form.fields, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** Follows the link whose text matches `text` on a tenant page. */
export function followLink(agent: Agent, tenant: DevTenant, page: Page, text: RegExp): Promise<Outcome> {
  const link = [...page.body.matchAll(/<a href="([^"]*)">([^<]*)<\/a>/g)].find(([, , label]) => text.test((label ?? '').replace(/&#39;/g, "'")));
  if (!link?.[1]) throw new Error(`no link ${text} on ${page.url}`);
  return walk(agent, tenant, new URL(link[1].replace(/&amp;/g, '&'), page.url).href);
}

/** Redeems a code at `authority`'s token endpoint the way msal-node does. */
export async function redeemAt(tenant: DevTenant, authority: string, redirect: URL, verifier: string, scope = 'openid profile offline_access User.Read'): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: tenant.clientId,
      client_secret: tenant.clientSecret,
      client_info: '1',
      grant_type: 'authorization_code',
      code: redirect.searchParams.get('code') ?? '',
      redirect_uri: `${redirect.origin}${redirect.pathname}`,
      code_verifier: verifier,
      scope,
    }),
  });
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

/** Decodes base64url JSON (client_info). */
export function decodeJson(value: unknown): Record<string, unknown> {
  return JSON.parse(Buffer.from(String(value), 'base64url').toString('utf8')) as Record<string, unknown>;
}
