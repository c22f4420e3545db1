/**
 * B5: memory growth per signed-in session. The app runs in bench/app-host.ts (the app as
 * src/start.ts builds it, plus an IPC "memory" probe that collects garbage first). After a
 * warm-up, real sign-ins (each a fresh browser: its own session and token-cache write, through
 * the whole flow) run with modest concurrency; heapUsed (and RSS) is read at each checkpoint.
 * The host runs with --no-flush-bytecode: otherwise V8 drops the bytecode of start-up-only code
 * some hundreds of sign-ins in, a heap swing of ~4 MB that would swamp a per-session signal.
 */
import { once } from 'node:events';
import type { DevTenant } from '@contoso/dev-tenant';
import type { HostMemory } from './app-host.ts';
import type { Child } from './children.ts';
import type { Plan } from './plan.ts';
import type { Row } from './report.ts';
import { signInTo } from './signin.ts';
import { appEnv, serveApp, tempDir } from './stack.ts';
import type { AppTarget } from './stack.ts';
import { round } from './stats.ts';

const GOAL_BYTES = 2 * 1024;
const HOST_FLAGS = ['--expose-gc', '--no-flush-bytecode'];

/** Memory of the host after GC, asked over IPC. */
async function memoryOf(child: Child): Promise<HostMemory> {
  const answer = once(child.process, 'message');
  child.process.send('memory');
  const [message] = await answer as [HostMemory | { error: string }];
  if ('error' in message) throw new Error(`app host: ${message.error}`);
  return message;
}

/** Signs in `count` more users, `concurrency` at a time, cycling through `users`; `done` counts all so far. */
async function signInMany(origin: string, users: readonly string[], count: number, concurrency: number, done: { n: number }): Promise<void> {
  const end = done.n + count;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (done.n < end) {
      const user = users[done.n % users.length]!;
      done.n += 1;
      await signInTo(origin, user);
    }
  }));
}

const kb = (bytes: number) => `${round(bytes / 1024, 2)} KB`;

/**
 * B5 rows for one store: `tenant` should have generated users (DevTenantOptions.extraUsers) so
 * sign-ins spread over many accounts, hence many token caches.
 */
export async function memoryRows(tenant: DevTenant, port: number, target: AppTarget, plan: Plan): Promise<Row[]> {
  const generated = tenant.users.filter((u) => u.roles.length === 0 && u.displayName.startsWith('Test User')).map((u) => u.displayName);
  const users = generated.length > 0 ? generated : tenant.users.map((u) => u.displayName);
  const dir = tempDir('bench-memory-');
  const host = await serveApp(appEnv(tenant, port, dir.path, target), { script: 'bench/app-host.ts', execArgv: HOST_FLAGS, ipc: true });
  try {
    const done = { n: 0 };
    await signInMany(host.origin, users, plan.memoryWarmup, plan.memoryConcurrency, done);
    const before = await memoryOf(host.child);
    const rows: Row[] = [];
    let measured = 0;
    for (const checkpoint of plan.memoryCheckpoints) {
      await signInMany(host.origin, users, checkpoint - measured, plan.memoryConcurrency, done);
      measured = checkpoint;
      const after = await memoryOf(host.child);
      const heap = (after.heapUsed - before.heapUsed) / checkpoint;
      const rss = (after.rss - before.rss) / checkpoint;
      const code = (after.code - before.code) / checkpoint;
      rows.push({
        id: 'B5', store: target.store, metric: `memory growth per session over ${checkpoint} sign-ins (after GC)`,
        value: `heapUsed ${kb(heap)}/session (of which code ${kb(code)}; RSS ${kb(rss)}; sign-ins over ${users.length} users)`,
        goal: `≤ ${kb(GOAL_BYTES)}/session (heapUsed)`,
        pass: heap <= GOAL_BYTES,
        kind: 'measure',
        data: {
          signIns: checkpoint, warmup: plan.memoryWarmup, hostFlags: HOST_FLAGS, users: users.length,
          before, after, heapPerSession: heap, rssPerSession: rss,
        },
      });
    }
    return rows;
  } finally {
    await host.child.stop();
    dir.remove();
  }
}
