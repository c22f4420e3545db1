/**
 * What the benchmark runs against: the development tenant (in this process, its CA trusted here),
 * the app spawned as `npm start` runs it, and the baseline; each child on a fixed loopback port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SignedInUser } from '../src/auth/identity.ts';
import { startDevTenant } from '@contoso/dev-tenant';
import type { DevTenant } from '@contoso/dev-tenant';
import { newKeyEntry } from '../src/stores/crypto.ts';
import { trustCertificateAuthority } from '../src/tls.ts';
import { spawnNode, waitUntilReady } from './children.ts';
import type { Child } from './children.ts';

/** Kept between runs so the tenant's certificate authority is made once. */
export const BENCH_TENANT_DIR = resolve(tmpdir(), 'contoso-identity-devtenant-bench');
const SESSION_SECRET = 'bench-session-secret-0123456789abcdefghijklmnop';
const TOKEN_CACHE_KEYS = newKeyEntry('bench1');
const trusted = new Set<string>();

/** Which store the app runs with. */
export type StoreKind = 'sqlite' | 'redis';

export interface AppTarget {
  readonly store: StoreKind;
  readonly redisUrl?: string | undefined;
}

/** A development tenant on an ephemeral port that accepts the app at `appPort`; its CA is trusted here. */
export async function startTenant(appPort: number, extraUsers = 0): Promise<DevTenant> {
  const tenant = await startDevTenant({
    dataDir: BENCH_TENANT_DIR, port: 0, extraUsers,
    redirectUris: [`http://localhost:${appPort}/auth/redirect`],
    postLogoutRedirectUris: [`http://localhost:${appPort}/auth/post_sign_out`],
  });
  if (!trusted.has(tenant.caPem)) {
    trustCertificateAuthority(tenant.caPem);
    trusted.add(tenant.caPem);
  }
  return tenant;
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * The environment `npm start` gets when pointed at `tenant`: every setting the bench relies on is
 * set explicitly (an empty REDIS_URL shadows one in `.env`, so the embedded store is used).
 */
export function appEnv(tenant: DevTenant, port: number, dataDir: string, target: AppTarget): Record<string, string> {
  return {
    AUTHORITY: tenant.authority,
    CLIENT_ID: tenant.clientId,
    CLIENT_SECRET: tenant.clientSecret,
    GRAPH_ENDPOINT: tenant.graphEndpoint,
    NODE_EXTRA_CA_CERTS: tenant.caFile,
    PORT: String(port),
    REDIRECT_URI: `http://localhost:${port}/auth/redirect`,
    SESSION_SECRET,
    TOKEN_CACHE_KEYS,
    DATA_DIR: dataDir,
    // The most the app accepts (1000000 is refused); far more than the bench sends.
    AUTH_RATE_LIMIT_PER_MINUTE: '100000',
    AUTH_CALLBACK_RATE_LIMIT_PER_MINUTE: '100000',
    LOG_LEVEL: 'info',
    REDIS_URL: target.store === 'redis' ? target.redisUrl ?? '' : '',
  };
}

/** A running child and the origin it serves. */
export interface Served {
  readonly child: Child;
  readonly origin: string;
  /** Milliseconds from spawn to the first 200. */
  readonly readyAfterMs: number;
}

/** Spawns `script` (default: src/start.ts, what `npm start` runs) and waits for a 200 on `/`. */
export async function serveApp(env: Record<string, string>, options: { script?: string; execArgv?: string[]; ipc?: boolean } = {}): Promise<Served> {
  const child = spawnNode(options.script ?? 'src/start.ts', { env, execArgv: options.execArgv ?? [], ipc: options.ipc ?? false });
  const origin = `http://localhost:${env['PORT']}`;
  try {
    return { child, origin, readyAfterMs: await waitUntilReady(child, `${origin}/`) };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

/** Spawns the baseline (bench/baseline.ts) for `user` with the fixed `accessToken`. */
export async function serveBaseline(tenant: DevTenant, port: number, user: SignedInUser, accessToken: string): Promise<Served> {
  return serveApp({
    PORT: String(port), SESSION_SECRET, GRAPH_ENDPOINT: tenant.graphEndpoint, NODE_EXTRA_CA_CERTS: tenant.caFile,
    BASELINE_ACCESS_TOKEN: accessToken, BASELINE_USER: JSON.stringify(user),
  }, { script: 'bench/baseline.ts' });
}
