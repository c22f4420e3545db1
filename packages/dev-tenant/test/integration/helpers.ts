/**
 * Helpers for the development tenant's integration tests: a temp data dir, a started tenant per
 * describe, PKCE, and the raw-HTTP authorization-code flow (with the tests' cookie-keeping Agent).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import tls from 'node:tls';

import { startDevTenant } from '../../src/index.ts';
import type { DevTenant, DevTenantOptions } from '../../src/index.ts';
import { Agent, parseForm } from '../../src/agent.ts';

/** A started tenant plus the temp directory to remove afterwards. */
export interface TestTenant {
  tenant: DevTenant;
  dataDir: string;
  stop(): Promise<void>;
}

/** CAs already trusted in this process (a dataDir reused across starts keeps its CA). */
const trusted = new Set<string>();

/** Trusts `pem` for every outgoing https request of this process (fetch included); checks stay on. */
export function trustCertificateAuthority(pem: string): void {
  if (trusted.has(pem)) return;
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), pem]);
  trusted.add(pem);
}

/** Makes a fresh temp data dir. */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'devtenant-test-'));
}

/** Starts a tenant on port 0 with a fresh temp dataDir (unless given) and trusts its CA. */
export async function startTestTenant(options: DevTenantOptions = {}): Promise<TestTenant> {
  const dataDir = options.dataDir ?? await tempDir();
  const tenant = await startDevTenant({ port: 0, ...options, dataDir });
  trustCertificateAuthority(tenant.caPem);
  return {
    tenant,
    dataDir,
    stop: async () => {
      await tenant.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A tenant started for the enclosing describe; the properties are set once its `before` hook ran. */
export interface TenantUnderTest {
  readonly tenant: DevTenant;
  readonly dataDir: string;
}

/**
 * Registers before/after hooks that start a tenant (see {@link startTestTenant}) for the
 * enclosing describe and stop it afterwards.
 */
export function useTestTenant(options: DevTenantOptions = {}): TenantUnderTest {
  const context = {} as { tenant: DevTenant; dataDir: string };
  let started: TestTenant | undefined;
  before(async () => {
    started = await startTestTenant(options);
    context.tenant = started.tenant;
    context.dataDir = started.dataDir;
  });
  after(() => started?.stop());
  return context;
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
  agent: Agent;
  verifier: string;
}

/**
 * Submits the form holding `button` on a tenant page (`html` at `url`), then follows the
 * tenant's own redirects; returns the first redirect away from the tenant (to the app).
 */
export async function submitOnTenant(agent: Agent, tenant: DevTenant, html: string, button: RegExp, url: string): Promise<URL> {
  const form = parseForm(html, button, url);
  let response = await agent.post(form.action, form.fields);
  let current = form.action;
  for (let hops = 0; hops < 5 && response.status >= 300 && response.status < 400; hops++) {
    const next = location(response, current);
    if (!next.startsWith(tenant.authority)) return new URL(next);
    current = next;
    response = await agent.raw(next);
  }
  throw new Error(`the flow did not leave the tenant (status ${response.status} at ${current}): ${(await response.text()).slice(0, 500)}`);
}

/**
 * The authorization-code flow by raw HTTP: GET authorize → 303 to the picker → GET picker →
 * POST the chosen user → 303 back to authorize/resume → 303 to the redirect_uri.
 */
export async function signIn(tenant: DevTenant, user = 'Megan Bowen', params: Record<string, string> = {}, agent = new Agent()): Promise<SignInResult> {
  const { verifier, challenge } = pkce();
  const start = authorizeUrl(tenant, { code_challenge: challenge, code_challenge_method: 'S256', state: 'state-123', nonce: 'nonce-456', ...params });
  const toPicker = await agent.raw(start);
  if (toPicker.status !== 303) throw new Error(`authorize answered ${toPicker.status}: ${await toPicker.text()}`);
  const pickerUrl = location(toPicker, start);
  const picker = await agent.raw(pickerUrl);
  const redirect = await submitOnTenant(agent, tenant, await picker.text(), new RegExp(user), pickerUrl);
  return { redirect, agent, verifier };
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
