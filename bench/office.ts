/**
 * `npm run bench:office` (`node bench/office.ts`): an office behind one address and a flood from
 * one client, against the app spawned as `npm start` runs it with the DEFAULT sign-in limits and
 * the embedded SQLite store. Everything comes from 127.0.0.1. Each phase gets a freshly started app
 * (fresh limit windows, empty store). Prints a table and writes bench/results/office.json.
 *
 * O1: 300 users, each with their own cookies, sign in and open Call Graph (16 at a time).
 * O2: one client without cookies starts 2,000 sign-ins: store rows and token requests.
 * O3: one client with one cookie jar starts 1,000 sign-ins, then sends 1,000 junk callbacks.
 * O4: 620 callbacks carrying a live sign-in each (made-up codes): token requests and 429s.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import type { DevTenant } from '@contoso/dev-tenant';
import { freePort } from '../test/helpers/processes.ts';
import { hammer, junkCallback, liveCallbacks, officeSignIns, sqliteRows } from '../test/helpers/office.ts';
import type { StatusCounts } from '../test/helpers/office.ts';
import { Agent } from '../test/helpers/stack.ts';
import { killAllNow, stopAll, waitUntilReady } from './children.ts';
import { appEnv, serveApp, startTenant, tempDir } from './stack.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = resolve(ROOT, 'bench/results/office.json');
const OFFICE = 300;
const log = (line: string) => process.stderr.write(`[bench:office] ${line}\n`);

interface Result {
  readonly id: string;
  readonly metric: string;
  readonly value: string;
  readonly data: Record<string, unknown>;
}

const text = (counts: StatusCounts) => Object.entries(counts).map(([status, n]) => `${n}× ${status}`).join(', ');

/** Starts the app with the default limits (the empty values shadow any in `.env`), runs `phase`, stops it. */
async function withFreshApp<T>(tenant: DevTenant, port: number, phase: (origin: string, dataDir: string) => Promise<T>): Promise<T> {
  const dir = tempDir('bench-office-');
  const env = { ...appEnv(tenant, port, dir.path, { store: 'sqlite' }), AUTH_RATE_LIMIT_PER_MINUTE: '', AUTH_CALLBACK_RATE_LIMIT_PER_MINUTE: '', LOG_LEVEL: 'warn' };
  const app = await serveApp(env);
  try {
    await waitUntilReady(app.child, `${app.origin}/readyz`);
    return await phase(app.origin, dir.path);
  } finally {
    await app.child.stop();
    dir.remove();
  }
}

async function office(tenant: DevTenant, port: number): Promise<Result> {
  const users = tenant.users.map((u) => u.displayName).filter((name) => name.startsWith('Test User '));
  return withFreshApp(tenant, port, async (origin, dataDir) => {
    tenant.resetCounts();
    const run = await officeSignIns(origin, users, 16);
    const rows = sqliteRows(dataDir);
    return {
      id: 'O1', metric: `${users.length} users from one address sign in and open Call Graph (16 at a time)`,
      value: `${users.length - run.failed.length}/${users.length} succeeded in ${(run.ms / 1000).toFixed(1)} s = ${run.perMinute} sign-ins/min; `
        + `session rows ${rows.sessions}; token requests by grant ${JSON.stringify(tenant.counts().tokenByGrant)}`,
      data: { ms: run.ms, perMinute: run.perMinute, failed: run.failed, rows, tokenRequests: tenant.counts().tokenByGrant },
    };
  });
}

async function floodWithoutCookies(tenant: DevTenant, port: number): Promise<Result> {
  return withFreshApp(tenant, port, async (origin, dataDir) => {
    tenant.resetCounts();
    const started = performance.now();
    const statuses = await hammer(() => `${origin}/auth/sign_in`, 2000, 20);
    const ms = performance.now() - started;
    const rows = sqliteRows(dataDir);
    return {
      id: 'O2', metric: '2,000 sign-in starts from one client without cookies',
      value: `${text(statuses)} in ${(ms / 1000).toFixed(1)} s; session rows ${rows.sessions}, tombstones ${rows.tombstones}; token requests ${tenant.counts().token}`,
      data: { statuses, ms, rows, tokenRequests: tenant.counts().token },
    };
  });
}

async function floodWithOneJar(tenant: DevTenant, port: number): Promise<Result> {
  return withFreshApp(tenant, port, async (origin, dataDir) => {
    tenant.resetCounts();
    const agent = new Agent();
    const starts = await hammer(() => `${origin}/auth/sign_in`, 1000, 10, agent);
    const cookieBytes = agent.cookie(origin, 'signin')?.length ?? 0;
    const junk = await hammer(() => junkCallback(origin), 1000, 20, agent);
    const rows = sqliteRows(dataDir);
    return {
      id: 'O3', metric: 'one cookie jar: 1,000 sign-in starts, then 1,000 junk callbacks',
      value: `starts ${text(starts)}; transaction cookie ${cookieBytes} bytes; callbacks ${text(junk)}; `
        + `session rows ${rows.sessions}; token requests ${tenant.counts().token}`,
      data: { starts, cookieBytes, junk, rows, tokenRequests: tenant.counts().token },
    };
  });
}

async function liveCallbackCeiling(tenant: DevTenant, port: number): Promise<Result> {
  return withFreshApp(tenant, port, async (origin, dataDir) => {
    tenant.resetCounts();
    const statuses = await liveCallbacks(origin, 620, 16);
    const rows = sqliteRows(dataDir);
    return {
      id: 'O4', metric: '620 callbacks from one address, each with a live sign-in and a made-up code',
      value: `${text(statuses)}; token requests ${tenant.counts().token}; session rows ${rows.sessions}`,
      data: { statuses, rows, tokenRequests: tenant.counts().token },
    };
  });
}

async function main(): Promise<void> {
  process.chdir(ROOT);
  const port = await freePort();
  const tenant = await startTenant(port, OFFICE);
  const started = performance.now();
  try {
    const results: Result[] = [];
    for (const [name, phase] of [['O1', office], ['O2', floodWithoutCookies], ['O3', floodWithOneJar], ['O4', liveCallbackCeiling]] as const) {
      log(`${name}…`);
      results.push(await phase(tenant, port));
    }
    for (const r of results) process.stdout.write(`${r.id}  ${r.metric}\n    ${r.value}\n`);
    mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(RESULTS, `${JSON.stringify({
      finishedAt: new Date().toISOString(), seconds: Math.round((performance.now() - started) / 100) / 10,
      limits: 'defaults', node: process.version, cpus: os.cpus().length, results,
    }, null, 2)}\n`);
    process.stdout.write(`\nresults in ${RESULTS}\n`);
  } finally {
    await stopAll();
    await tenant.close();
  }
}

process.once('exit', killAllNow);
main().catch((error: unknown) => {
  process.stderr.write(`bench:office failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 2;
}).finally(() => {
  setTimeout(() => process.exit(), 2_000).unref();
});
