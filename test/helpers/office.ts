/**
 * Many browsers behind one address (an office's NAT) and one client flooding the sign-in routes,
 * over HTTP from this process (so every request comes from 127.0.0.1). Used by
 * test/integration/app/office.test.ts and by `npm run bench:office`.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Agent, signIn } from './stack.ts';

/** Runs `work` over `items` with at most `limit` at a time; results in item order. */
export async function inLanes<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/** One user's sign-in: where it ended, and the Call Graph page's status afterwards. */
export interface OfficeOutcome {
  readonly user: string;
  readonly signIn: number;
  readonly graph: number;
  /** Why it failed, when it did. */
  readonly problem?: string;
}

/** `user` signs in with a browser of their own and opens Call Graph. */
async function officeUser(origin: string, user: string): Promise<OfficeOutcome> {
  const agent = new Agent();
  try {
    const home = await signIn(agent, { origin }, user);
    if (home.status !== 200 || !home.body.includes(`Hello ${user}!`)) {
      return { user, signIn: home.status, graph: 0, problem: `sign-in ended at ${home.status} ${home.url}` };
    }
    const graph = await agent.go(`${origin}/call_ms_graph`);
    return { user, signIn: home.status, graph: graph.status, ...(graph.status === 200 ? {} : { problem: `Call Graph ${graph.status}` }) };
  } catch (error) {
    return { user, signIn: 0, graph: 0, problem: (error as Error).message.slice(0, 200) };
  }
}

/** Every user signs in (and opens Call Graph), `concurrency` at a time; with the elapsed time. */
export async function officeSignIns(origin: string, users: readonly string[], concurrency: number) {
  const started = performance.now();
  const outcomes = await inLanes(users, concurrency, (user) => officeUser(origin, user));
  const ms = performance.now() - started;
  const failed = outcomes.filter((o) => o.problem !== undefined);
  return { outcomes, failed, ms, perMinute: Math.round((users.length - failed.length) / (ms / 60_000)) };
}

/** Session rows and tombstones in the embedded SQLite store's file in `dataDir`, counted by SQL. */
export function sqliteRows(dataDir: string): { sessions: number; tombstones: number } {
  const db = new DatabaseSync(join(dataDir, 'app.db'), { readOnly: true });
  try {
    const count = (table: string) => Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n);
    return { sessions: count('sessions'), tombstones: count('session_tombstones') };
  } finally {
    db.close();
  }
}

/** How many responses had each status. */
export type StatusCounts = Record<number, number>;

function tally(statuses: readonly number[]): StatusCounts {
  const counts: StatusCounts = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** `GET url` `count` times, `concurrency` at a time, through `agent` (one cookie jar) or with no cookies at all. */
export async function hammer(url: (i: number) => string, count: number, concurrency: number, agent?: Agent): Promise<StatusCounts> {
  const statuses = await inLanes(Array.from({ length: count }, (_, i) => i), concurrency, async (i) => {
    const response = agent ? await agent.raw(url(i)) : await fetch(url(i), { redirect: 'manual' });
    await response.body?.cancel();
    return response.status;
  });
  return tally(statuses);
}

/** A callback with a random state and code: what a client that never started a sign-in can send. */
export function junkCallback(origin: string): string {
  const random = () => randomBytes(16).toString('base64url');
  return `${origin}/auth/redirect?${new URLSearchParams({ code: random(), state: random() })}`;
}

/**
 * `count` browsers each start a sign-in and come back with its real state but a made-up code:
 * every callback carries a live transaction, so each may cost the app a token request.
 */
export async function liveCallbacks(origin: string, count: number, concurrency: number): Promise<StatusCounts> {
  const statuses = await inLanes(Array.from({ length: count }, (_, i) => i), concurrency, async () => {
    const agent = new Agent();
    const start = await agent.raw(`${origin}/auth/sign_in`);
    if (start.status !== 303) return -start.status;
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const callback = await agent.raw(`${origin}/auth/redirect?${new URLSearchParams({ code: 'made-up-code', state })}`);
    await callback.body?.cancel();
    return callback.status;
  });
  return tally(statuses);
}
