/**
 * Sign-ins for the benchmark, over HTTP exactly as a browser walks them (test/helpers: Agent,
 * signIn, pickAccount), with each request timed on the client side so the app's own share of a
 * sign-in can be told apart from the time spent inside the identity provider.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SignedInUser } from '../src/auth/identity.ts';
import type { DevTenant, DevTenantCounts } from '@contoso/dev-tenant';
import { claimsOf, redeemCode, signIn as tenantSignIn } from '../packages/dev-tenant/test/integration/helpers.ts';
import { Agent, signIn } from '../test/helpers/stack.ts';
import { sum } from './stats.ts';

/** An Agent that remembers how long each request took (until its response headers arrived). */
export class TimedAgent extends Agent {
  readonly requests: Array<{ url: string; ms: number }> = [];

  override async raw(url: string, init: RequestInit = {}): Promise<Response> {
    const started = performance.now();
    const response = await super.raw(url, init);
    this.requests.push({ url, ms: performance.now() - started });
    return response;
  }
}

/** Tenant endpoints the app calls itself (server to server) during a sign-in. */
const BACK_CHANNEL = new Set(['token', 'jwks', 'discovery']);

/** One measured sign-in. */
export interface TimedSignIn {
  readonly agent: Agent;
  /** sign_in → authorize → picker → callback → home, client side. */
  readonly totalMs: number;
  /** The app's hops (/auth/sign_in, /auth/redirect, /) minus the tenant's time on the app's back-channel requests. */
  readonly appMs: number;
  /** Requests the tenant saw during this sign-in. */
  readonly counts: DevTenantCounts;
}

/** Signs `user` in to the app at `origin` and checks that the flow ended on the app's home page. */
export async function signInTo(origin: string, user: string, agent: Agent = new Agent()): Promise<Agent> {
  const page = await signIn(agent, { origin }, user);
  if (page.status !== 200 || page.url !== `${origin}/`) {
    throw new Error(`sign-in of ${user} ended at ${page.status} ${page.url}: ${page.body.slice(0, 300)}`);
  }
  return agent;
}

/**
 * A sign-in of `user` with the tenant's counters and timings reset first; one at a time, since
 * the tenant's counters are global.
 */
export async function timedSignIn(tenant: DevTenant, origin: string, user = 'Megan Bowen'): Promise<TimedSignIn> {
  tenant.resetCounts();
  const agent = new TimedAgent();
  const started = performance.now();
  await signInTo(origin, user, agent);
  const totalMs = performance.now() - started;
  // The tenant records a request when its response has closed: give the last one a moment.
  await sleep(1);
  const appHops = sum(agent.requests.filter((r) => r.url.startsWith(`${origin}/`)).map((r) => r.ms));
  const inTenant = sum(tenant.timings().filter((t) => BACK_CHANNEL.has(t.target)).map((t) => t.ms));
  return { agent, totalMs, appMs: appHops - inTenant, counts: tenant.counts() };
}

/** The session cookie header for `origin` held by `agent`. */
export function sessionCookie(agent: Agent, origin: string): string {
  const sid = agent.cookie(origin, 'sid');
  if (!sid) throw new Error(`no session cookie for ${origin}`);
  return `sid=${sid}`;
}

/**
 * A real access token and signed-in user for the baseline, obtained once straight from the tenant
 * (authorization code + PKCE, registered `redirectUri`), the way the app would get them.
 */
export async function fixedSignIn(tenant: DevTenant, redirectUri: string): Promise<{ accessToken: string; user: SignedInUser }> {
  const result = await tenantSignIn(tenant, 'Megan Bowen', { redirect_uri: redirectUri });
  const { status, body } = await redeemCode(tenant, result);
  if (status !== 200) throw new Error(`token request for the baseline failed: ${status} ${JSON.stringify(body)}`);
  const claims = claimsOf(body['id_token']);
  const user: SignedInUser = {
    homeAccountId: `${String(claims['oid'])}.${String(claims['tid'])}`,
    cacheKey: 'baseline-no-token-cache',
    name: String(claims['name']),
    username: String(claims['preferred_username']),
    claims,
  };
  return { accessToken: String(body['access_token']), user };
}
