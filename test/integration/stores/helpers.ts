/**
 * Helpers for the store tests: each spawns `node src/start.ts` (what `npm start` runs) against a
 * development tenant started in the test process, with its state in SQLite or Redis.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DevTenant } from '@contoso/dev-tenant';
import { launchApp } from '../../helpers/processes.ts';
import type { Launched } from '../../helpers/processes.ts';
import { Agent, signIn } from '../../helpers/stack.ts';
import type { Page } from '@contoso/dev-tenant/agent';

/** The same for every instance and every restart, so a session cookie stays valid. */
export const SESSION_SECRET = 'stores-integration-tests-session-secret-0123456789';

/** A fresh token-cache key ring entry, `id:base64(32 bytes)`. */
export function keyEntry(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export function originOf(port: number): string {
  return `http://localhost:${port}`;
}

/**
 * The launcher's environment for an app on `port` signing in at `tenant`. Every store setting is
 * given explicitly (empty means unset), so neither the test runner's REDIS_URL nor a developer's
 * `.env` picks the store.
 */
export function appEnv(tenant: DevTenant, port: number, more: Record<string, string> = {}): Record<string, string> {
  return {
    AUTHORITY: tenant.authority, CLIENT_ID: tenant.clientId, CLIENT_SECRET: tenant.clientSecret,
    GRAPH_ENDPOINT: tenant.graphEndpoint, NODE_EXTRA_CA_CERTS: tenant.caFile,
    REDIRECT_URI: `${originOf(port)}/auth/redirect`, PORT: String(port),
    SESSION_SECRET, AUTH_RATE_LIMIT_PER_MINUTE: '100000', AUTH_CALLBACK_RATE_LIMIT_PER_MINUTE: '100000', NODE_ENV: 'test', LOG_LEVEL: 'info',
    REDIS_URL: '', DATA_DIR: '', TOKEN_CACHE_KEYS: '', SESSION_IDLE_TIMEOUT_SECONDS: '', SESSION_MAX_AGE_SECONDS: '',
    ...more,
  };
}

/** Spawns the app and waits until `/readyz` answers 200 (store reachable, authority metadata loaded). */
export function spawnApp(tenant: DevTenant, port: number, more: Record<string, string> = {}): Promise<Launched> {
  return launchApp(appEnv(tenant, port, more), `${originOf(port)}/readyz`);
}

/** Signs `user` in through the app at `origin`, visits Call Graph once, and returns the page the sign-in ended on. */
export async function signInAt(agent: Agent, origin: string, user: string): Promise<Page> {
  const home = await signIn(agent, { origin } as never, user);
  if (home.status !== 200 || !home.url.startsWith(origin)) throw new Error(`sign-in of ${user} ended with ${home.status} at ${home.url}`);
  // The shipped aad.config.json asks Graph scopes at first use: one Call Graph puts a Graph token in the user's cache.
  const graph = await agent.raw(`${origin}/call_ms_graph`);
  await graph.body?.cancel();
  if (graph.status !== 200) throw new Error(`first Call Graph of ${user} answered ${graph.status}`);
  return home;
}

/** The sign-out form's synchronizer token on a page of a signed-in session. */
export function csrfOf(page: Page): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!token) throw new Error(`no _csrf on ${page.url} (status ${page.status})`);
  return token;
}

/** A temp directory, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Polls `check` every `everyMs` until it returns true or `timeoutMs` has passed; returns the last answer. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return true;
    if (performance.now() >= until) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export { Agent };

/** Runs `work` over `items` with at most `limit` at a time; results in input order, failures included. */
export async function settleWithLimit<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) {
      try {
        results[i] = { status: 'fulfilled', value: await work(items[i]!, i) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
