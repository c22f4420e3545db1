/**
 * Helpers for the development tenant's integration tests: a temp data dir, a cookie-keeping
 * client that follows nothing by itself, PKCE, and the raw-HTTP authorization-code flow.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';

import { startDevTenant } from '../../../src/devtenant/index.ts';
import type { DevTenant, DevTenantOptions } from '../../../src/devtenant/index.ts';

/** A started tenant plus the temp directory to remove afterwards. */
export interface TestTenant {
  tenant: DevTenant;
  dataDir: string;
  stop(): Promise<void>;
}

const trusted = new Set<string>();

/** Trusts a CA in this process the way the app does (no certificate check is ever disabled). */
export function trustCa(caPem: string): void {
  if (trusted.has(caPem)) return;
  trusted.add(caPem);
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), caPem]);
}

/** Makes a fresh temp data dir. */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'devtenant-test-'));
}

/** Starts a tenant on port 0 with a fresh temp dataDir (unless given) and trusts its CA. */
export async function startTestTenant(options: DevTenantOptions = {}): Promise<TestTenant> {
  const dataDir = options.dataDir ?? await tempDir();
  const tenant = await startDevTenant({ port: 0, ...options, dataDir });
  trustCa(tenant.caPem);
  return {
    tenant,
    dataDir,
    stop: async () => {
      await tenant.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A minimal path-aware cookie jar over fetch; never follows redirects. */
export class Browser {
  readonly #cookies = new Map<string, { value: string; path: string }>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const { pathname } = new URL(url);
    const cookie = [...this.#cookies]
      .filter(([, c]) => pathname.startsWith(c.path))
      .map(([key, c]) => `${key.split('|')[0]}=${c.value}`)
      .join('; ');
    const headers = new Headers(init.headers);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) this.#store(line);
    return response;
  }

  #store(line: string): void {
    const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
    const expired = attrs.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now());
    if (expired) this.#cookies.delete(`${name}|${path}`);
    else this.#cookies.set(`${name}|${path}`, { value: pair.slice(eq + 1), path });
  }

  /** POSTs an urlencoded form. */
  post(url: string, fields: Record<string, string>): Promise<Response> {
    return this.request(url, { method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }
}

/** A PKCE pair (RFC 7636, S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Absolute URL of a redirect's Location. */
export function location(response: Response, base: string): string {
  const value = response.headers.get('location');
  if (!value) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(value, base).href;
}

/** The action of the form containing a button whose text matches `button`. */
export function formAction(html: string, button: RegExp, base: string): { action: string; fields: Record<string, string> } {
  for (const [, attrs = '', inner = ''] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const buttonTag = [...inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/g)].find(([, , text]) => button.test((text ?? '').replace(/<[^>]+>/g, ' ')));
    if (!buttonTag) continue;
    const fields: Record<string, string> = {};
    for (const [, name = '', value = ''] of inner.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"/g)) fields[name] = value;
    const name = /name="([^"]*)"/.exec(buttonTag[1] ?? '')?.[1];
    const value = /value="([^"]*)"/.exec(buttonTag[1] ?? '')?.[1];
    if (name) fields[name] = value ?? '';
    const action = /action="([^"]*)"/.exec(attrs)?.[1] ?? '';
    return { action: new URL(action.replace(/&amp;/g, '&'), base).href, fields };
  }
  throw new Error(`no form with a button matching ${button}`);
}

/** Parameters msal-node sends on authorize (plus the app's own). */
export function authorizeUrl(tenant: DevTenant, params: Record<string, string>): string {
  const url = new URL(`${tenant.authority}/oauth2/v2.0/authorize`);
  const all = {
    client_id: tenant.clientId,
    scope: 'User.ReadBasic.All openid profile offline_access',
    redirect_uri: 'http://localhost:8000/auth/redirect',
    response_type: 'code',
    response_mode: 'query',
    prompt: 'select_account',
    client_info: '1',
    'x-client-SKU': 'msal.js.node',
    'x-client-VER': '7.2.1',
    'x-client-OS': 'linux',
    'x-client-CPU': 'x64',
    'x-ms-lib-capability': 'retry-after, h429',
    'x-client-current-telemetry': '5|865,0,,,|,',
    'x-client-last-telemetry': '5|0|||0,0',
    clidata: '1',
    ...params,
  };
  for (const [k, v] of Object.entries(all)) url.searchParams.set(k, v);
  return url.href;
}

/** Result of {@link signIn}: where the tenant finally redirected the browser. */
export interface SignInResult {
  redirect: URL;
  browser: Browser;
  verifier: string;
  pickerHtml: string;
}

/**
 * The authorization-code flow by raw HTTP: GET authorize → 303 to the picker → GET picker →
 * POST the chosen user → 303 back to authorize/resume → 303 to the redirect_uri.
 */
export async function signIn(tenant: DevTenant, user = 'Megan Bowen', params: Record<string, string> = {}, browser = new Browser()): Promise<SignInResult> {
  const { verifier, challenge } = pkce();
  const start = authorizeUrl(tenant, { code_challenge: challenge, code_challenge_method: 'S256', state: 'state-123', nonce: 'nonce-456', ...params });
  const toPicker = await browser.request(start);
  if (toPicker.status !== 303) throw new Error(`authorize answered ${toPicker.status}: ${await toPicker.text()}`);
  const pickerUrl = location(toPicker, start);
  const picker = await browser.request(pickerUrl);
  const pickerHtml = await picker.text();
  const form = formAction(pickerHtml, new RegExp(user), pickerUrl);
  let response = await browser.post(form.action, form.fields);
  let url = form.action;
  for (let hops = 0; hops < 5 && response.status >= 300 && response.status < 400; hops++) {
    const next = location(response, url);
    if (!next.startsWith(tenant.authority)) return { redirect: new URL(next), browser, verifier, pickerHtml };
    url = next;
    response = await browser.request(next);
  }
  throw new Error(`the flow did not end at the redirect_uri (status ${response.status}): ${(await response.text()).slice(0, 500)}`);
}

/** POSTs to the token endpoint the way msal-node does (client_secret_post). */
export async function tokenRequest(tenant: DevTenant, fields: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${tenant.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: tenant.clientId, client_secret: tenant.clientSecret, client_info: '1', ...fields }),
  });
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

/** Exchanges the code of a finished {@link signIn}. */
export function redeemCode(tenant: DevTenant, result: SignInResult, extra: Record<string, string> = {}) {
  return tokenRequest(tenant, {
    grant_type: 'authorization_code',
    code: result.redirect.searchParams.get('code') ?? '',
    redirect_uri: `${result.redirect.origin}${result.redirect.pathname}`,
    code_verifier: result.verifier,
    scope: 'User.ReadBasic.All openid profile offline_access',
    ...extra,
  });
}

/** Decodes a JWT's payload without verifying it (tests verify separately where it matters). */
export function claimsOf(jwt: unknown): Record<string, unknown> {
  const payload = String(jwt).split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
