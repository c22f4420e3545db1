/**
 * `npm run bench` (`node bench/run.ts [--quick]`): measures the app against the goals B1–B7 with
 * the development tenant as identity provider, everything on loopback. Prints a table and writes
 * bench/results/latest.json. Full mode exits 0 with the verdicts printed; `--quick` (under a
 * minute) exits 1 when an exact count (B2's token requests, B3, B7) is wrong. A measurement that
 * could not be made exits 2 in either mode.
 */
import { resolve } from 'node:path';
import os from 'node:os';
import type { DevTenant } from '@contoso/dev-tenant';
import { freePort } from '../test/helpers/processes.ts';
import { killAllNow, stopAll, waitUntilReady } from './children.ts';
import { coldStartRow } from './cold-start.ts';
import { memoryRows } from './memory.ts';
import { planFor } from './plan.ts';
import type { Plan } from './plan.ts';
import { refreshRow } from './refresh.ts';
import { errorRow, exitCode, table, writeJson } from './report.ts';
import type { Row } from './report.ts';
import { fixedSignIn } from './signin.ts';
import { signInRows } from './signins.ts';
import { appEnv, serveApp, serveBaseline, startTenant, tempDir } from './stack.ts';
import type { AppTarget, Served } from './stack.ts';
import { throughputRows } from './throughput.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS = resolve(ROOT, 'bench/results/latest.json');
/** Generated users of B5's tenant: sign-ins spread over this many accounts (token caches). */
const MEMORY_USERS_MAX = 1000;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** Runs `measure`, turning a failure into an error row so the other measurements still run. */
async function guarded(id: string, store: string, metric: string, measure: () => Promise<Row | Row[]>): Promise<Row[]> {
  log(`${id} (${store})…`);
  try {
    const rows = await measure();
    return Array.isArray(rows) ? rows : [rows];
  } catch (error) {
    log(`${id} (${store}) failed: ${(error as Error)?.stack ?? String(error)}`);
    return [errorRow(id, store, metric, error)];
  }
}

function targetsOf(plan: Plan): AppTarget[] {
  return [{ store: 'sqlite' }, ...(plan.redisUrl ? [{ store: 'redis' as const, redisUrl: plan.redisUrl }] : [])];
}

/** B3/B4 (on the fresh app), B1/B2 and B7 against the app spawned with `target`'s store. */
async function appRows(tenant: DevTenant, baseline: Served, port: number, target: AppTarget, plan: Plan): Promise<Row[]> {
  const dir = tempDir('bench-app-');
  const { store } = target;
  let app: Served | undefined;
  try {
    app = await serveApp(appEnv(tenant, port, dir.path, target));
    const origin = app.origin;
    // Ready means the authority metadata is loaded too: its start-up fetch must not land in B3's first sign-in.
    await waitUntilReady(app.child, `${origin}/readyz`);
    return [
      ...await guarded('B3/B4', store, 'sign-ins', () => signInRows(tenant, origin, store, plan)),
      ...await guarded('B1/B2', store, 'throughput', () => throughputRows({ tenant, appOrigin: origin, baselineOrigin: baseline.origin, store, plan })),
      ...await guarded('B7', store, 'token refresh under load', () => refreshRow(tenant, origin, store, plan)),
    ];
  } catch (error) {
    return [errorRow('B1-B4,B7', store, 'app start', error)];
  } finally {
    await app?.child.stop();
    dir.remove();
  }
}

async function measureAll(plan: Plan, tenants: DevTenant[]): Promise<Row[]> {
  const [appPort, baselinePort] = [await freePort(), await freePort()];
  const tenant = await startTenant(appPort);
  tenants.push(tenant);
  const fixed = await fixedSignIn(tenant, `http://localhost:${appPort}/auth/redirect`);
  const baseline = await serveBaseline(tenant, baselinePort, fixed.user, fixed.accessToken);
  const rows: Row[] = [];
  for (const target of targetsOf(plan)) rows.push(...await appRows(tenant, baseline, appPort, target, plan));
  await baseline.child.stop();
  rows.push(...await guarded('B6', 'sqlite', 'cold start', () => coldStartRow(tenant, appPort, plan)));
  // B5 gets its own tenant with generated users; its big account picker would skew B4's timings.
  const users = Math.min(MEMORY_USERS_MAX, Math.max(...plan.memoryCheckpoints));
  const memoryTenant = await startTenant(appPort, users);
  tenants.push(memoryTenant);
  for (const target of targetsOf(plan)) {
    rows.push(...await guarded('B5', target.store, 'memory per session', () => memoryRows(memoryTenant, appPort, target, plan)));
  }
  return rows.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

async function main(): Promise<number> {
  process.chdir(ROOT);
  const plan = planFor(process.argv.slice(2), process.env);
  const started = performance.now();
  log(`${plan.quick ? 'quick' : 'full'} run; stores: ${targetsOf(plan).map((t) => t.store).join(', ')}`);
  const tenants: DevTenant[] = [];
  try {
    const rows = await measureAll(plan, tenants);
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    process.stdout.write(`\n${table(rows, plan.quick)}\n\n${plan.quick ? 'quick' : 'full'} run in ${seconds} s; results in ${RESULTS}\n`);
    writeJson(RESULTS, plan, rows, {
      finishedAt: new Date().toISOString(), seconds, node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model,
    });
    return exitCode(rows, plan);
  } finally {
    await stopAll();
    await Promise.all(tenants.map((t) => t.close()));
  }
}

process.once('exit', killAllNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAllNow();
    process.exit(130);
  });
}
main().then((code) => {
  process.exitCode = code;
}, (error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 2;
}).finally(() => {
  // Nothing should keep the process alive now; if something does, do not hang.
  setTimeout(() => process.exit(), 2_000).unref();
});
