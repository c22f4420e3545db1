/**
 * How the app's memory grows with signed-in sessions, per store. Starts a development tenant in
 * this process, spawns the app as `npm start` runs it (SQLite in a temp DATA_DIR; then Redis when
 * REDIS_URL is set), signs N distinct users in over HTTP (one cookie jar each), and prints the
 * app's RSS (VmRSS from /proc/<pid>/status) and live heap before and after.
 *
 * The live heap is read after a full GC, triggered without app code: the app runs with
 * `--expose-gc --inspect=127.0.0.1:<port>` in NODE_OPTIONS and this script calls `gc()` and reads
 * `process.memoryUsage()` through the inspector protocol (loopback only).
 *
 *   npm run bench:memory -- [--sessions 1000] [--concurrency 10]
 *
 * With Redis, every session is signed out at the end, so the app deletes what it wrote there.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDevTenant } from '@contoso/dev-tenant';
import type { DemoUser, DevTenant } from '@contoso/dev-tenant';
import { newKeyEntry } from '../src/stores/crypto.ts';
import { MAX_EXTRA_USERS } from '@contoso/dev-tenant';
import { trustCertificateAuthority } from '../src/tls.ts';
import { Agent } from '@contoso/dev-tenant/agent';
import { freePort, launchApp } from '../test/helpers/processes.ts';
import type { Launched } from '../test/helpers/processes.ts';

const WARM_UP = 20;
const SESSION_SECRET = 'bench-memory-session-secret-0123456789abcdef';

interface Memory {
  /** VmRSS, bytes. */
  readonly rss: number;
  /** heapUsed after a full GC, bytes. */
  readonly heap: number;
  /** heapTotal then: what V8 has reserved for its heap, bytes. */
  readonly heapTotal: number;
}

interface Result {
  readonly store: string;
  readonly sessions: number;
  readonly ready: Memory;
  readonly before: Memory;
  readonly after: Memory;
  readonly signedOut: Memory | undefined;
  readonly seconds: number;
}

/** The app's inspector: `gc()` and `process.memoryUsage()` in the app, over the DevTools protocol. */
class Inspector {
  readonly #socket: WebSocket;
  readonly #pending = new Map<number, (result: unknown) => void>();
  #nextId = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
      if (message.id !== undefined) this.#pending.get(message.id)?.(message.result);
    });
  }

  static async connect(port: number): Promise<Inspector> {
    const [target] = await (await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(5000) })).json() as { webSocketDebuggerUrl: string }[];
    const socket = new WebSocket(target!.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      socket.addEventListener('open', resolve, { once: true });
      socket.addEventListener('error', reject, { once: true });
    });
    return new Inspector(socket);
  }

  #send(method: string, params: Record<string, unknown>): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method} timed out`)), 30_000);
      this.#pending.set(id, (result) => { clearTimeout(timer); this.#pending.delete(id); resolve(result); });
      this.#socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** heapUsed and heapTotal after two full collections. */
  async heapAfterGc(): Promise<{ heap: number; heapTotal: number }> {
    const expression = '(gc(), gc(), (({ heapUsed, heapTotal }) => ({ heap: heapUsed, heapTotal }))(process.memoryUsage()))';
    const answer = await this.#send('Runtime.evaluate', { expression, returnByValue: true }) as { result: { value: { heap: number; heapTotal: number } } };
    return answer.result.value;
  }

  close(): void {
    this.#socket.close();
  }
}

function rssOf(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}

async function measure(app: Launched, inspector: Inspector): Promise<Memory> {
  const heap = await inspector.heapAfterGc();
  return { rss: rssOf(app.child.pid!), ...heap };
}

/** Runs `work` for each item with at most `limit` at a time; the first failure stops the run. */
async function withLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => { for (let i = next++; i < items.length; i = next++) await work(items[i]!); };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** The whole sign-in, lean: app → tenant picker → POST the user's oid → callback → home. Returns the sign-out token. */
async function signIn(agent: Agent, origin: string, user: DemoUser): Promise<string> {
  const picker = await agent.go(`${origin}/auth/sign_in`);
  const action = /<form method="post" action="([^"]+\/select)"/.exec(picker.body)?.[1];
  if (picker.status !== 200 || !action) throw new Error(`no account picker: ${picker.status} at ${picker.url}`);
  const home = await agent.go(new URL(action.replace(/&amp;/g, '&'), picker.url).href, {
    method: 'POST', body: new URLSearchParams({ oid: user.oid }), headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)?.[1];
  if (home.status !== 200 || home.url !== `${origin}/` || !home.body.includes(`Hello ${user.displayName}!`) || !csrf) {
    throw new Error(`sign-in of ${user.displayName} ended with ${home.status} at ${home.url}`);
  }
  return csrf;
}

async function signOut(agent: Agent, origin: string, csrf: string): Promise<void> {
  const response = await agent.raw(`${origin}/auth/sign_out`, {
    method: 'POST', body: new URLSearchParams({ _csrf: csrf }), headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  await response.body?.cancel();
  if (response.status !== 303) throw new Error(`sign-out answered ${response.status}`);
}

async function run(tenant: DevTenant, store: string, env: Record<string, string>, sessions: number, concurrency: number): Promise<Result> {
  const [port, inspectPort] = [await freePort(), await freePort()];
  const origin = `http://localhost:${port}`;
  const app = await launchApp({
    AUTHORITY: tenant.authority, CLIENT_ID: tenant.clientId, CLIENT_SECRET: tenant.clientSecret, GRAPH_ENDPOINT: tenant.graphEndpoint,
    NODE_EXTRA_CA_CERTS: tenant.caFile, REDIRECT_URI: `${origin}/auth/redirect`, PORT: String(port), SESSION_SECRET,
    TOKEN_CACHE_KEYS: newKeyEntry('k1'), AUTH_RATE_LIMIT_PER_MINUTE: '100000', AUTH_CALLBACK_RATE_LIMIT_PER_MINUTE: '100000', LOG_LEVEL: 'warn', NODE_ENV: 'test',
    REDIS_URL: '', DATA_DIR: '', NODE_OPTIONS: `--expose-gc --inspect=127.0.0.1:${inspectPort}`, ...env,
  }, `${origin}/readyz`, 30_000);
  const inspector = await Inspector.connect(inspectPort).catch(async (error: unknown) => { await app.stop(); throw error; });
  try {
    const ready = await measure(app, inspector);
    const users = tenant.users;
    const jobs = Array.from({ length: WARM_UP + sessions }, (_, i) => ({ agent: new Agent(), user: users[i % users.length]!, csrf: '' }));
    const signInAll = (list: typeof jobs) => withLimit(list, concurrency, async (job) => { job.csrf = await signIn(job.agent, origin, job.user); });
    await signInAll(jobs.slice(0, WARM_UP));
    const before = await measure(app, inspector);
    const started = performance.now();
    await signInAll(jobs.slice(WARM_UP));
    const seconds = (performance.now() - started) / 1000;
    const after = await measure(app, inspector);
    let signedOut: Memory | undefined;
    if (store === 'redis') {
      await withLimit(jobs, concurrency, (job) => signOut(job.agent, origin, job.csrf));
      signedOut = await measure(app, inspector);
    }
    return { store, sessions, ready, before, after, signedOut, seconds };
  } finally {
    inspector.close();
    await app.stop();
  }
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const perSession = (delta: number, n: number) => `${Math.round(delta / n)} B (${(delta / n / 1024).toFixed(2)} KB)`;

function print(results: readonly Result[]): void {
  const rows = results.map((r) => [
    r.store, String(r.sessions), mb(r.ready.rss), mb(r.before.rss), mb(r.after.rss), perSession(r.after.rss - r.before.rss, r.sessions),
    mb(r.before.heap), mb(r.after.heap), perSession(r.after.heap - r.before.heap, r.sessions), mb(r.after.heapTotal), `${r.seconds.toFixed(1)} s`,
  ]);
  const head = ['store', 'sessions', 'RSS ready', 'RSS before', 'RSS after', 'RSS / session', 'heap before', 'heap after', 'heap / session',
    'V8 reserved after', 'sign-ins took'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`\n${line(head)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`);
  process.stdout.write(`\n"before" is after ${WARM_UP} warm-up sign-ins; heap = heapUsed after a full GC; V8 reserved = heapTotal.\n`);
  for (const r of results) {
    if (r.signedOut) process.stdout.write(`${r.store}: after signing all out, RSS ${mb(r.signedOut.rss)}, heap ${mb(r.signedOut.heap)}\n`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sessions: { type: 'string', default: '1000' }, concurrency: { type: 'string', default: '10' } } });
  const sessions = Number(values.sessions);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(sessions) || sessions < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error('--sessions and --concurrency must be positive integers');
  }
  const tenantDir = await mkdtemp(join(tmpdir(), 'bench-memory-tenant-'));
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-memory-data-'));
  const tenant = await startDevTenant({ dataDir: tenantDir, port: 0, extraUsers: Math.min(MAX_EXTRA_USERS, WARM_UP + sessions) });
  trustCertificateAuthority(tenant.caPem);
  try {
    const results = [await run(tenant, 'sqlite', { DATA_DIR: dataDir }, sessions, concurrency)];
    const redisUrl = process.env['REDIS_URL'];
    if (redisUrl) results.push(await run(tenant, 'redis', { REDIS_URL: redisUrl }, sessions, concurrency));
    else process.stdout.write('REDIS_URL is not set: Redis skipped.\n');
    print(results);
  } finally {
    await tenant.close();
    await rm(tenantDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:memory failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
