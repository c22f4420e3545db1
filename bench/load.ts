/**
 * HTTP load with autocannon, run as its own process so the load generator does not share an event
 * loop with the development tenant (which lives in the bench process). Targets are measured in
 * alternating rounds (A, B, A, B, …) so machine drift hits each alike; medians are reported.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { median } from './stats.ts';

const run = promisify(execFile);
const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/** One autocannon round. Latencies are in whole milliseconds (autocannon's resolution). */
export interface LoadRound {
  /** 2xx responses per second. */
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  /** Responses other than 2xx, errors and timeouts: any makes the round invalid. */
  readonly bad: number;
}

export interface LoadTarget {
  readonly name: string;
  readonly url: string;
  /** Cookie header sent with every request. */
  readonly cookie: string;
}

/** `connections` connections on `target.url` for `seconds`. */
export async function loadRound(target: LoadTarget, connections: number, seconds: number): Promise<LoadRound> {
  const args = [AUTOCANNON, '-c', String(connections), '-d', String(seconds), '-j', '-n', '-H', `Cookie=${target.cookie}`, target.url];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as {
    duration: number; '2xx': number; non2xx: number; errors: number; timeouts: number; latency: { p50: number; p99: number };
  };
  return {
    rps: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    bad: result.non2xx + result.errors + result.timeouts,
  };
}

/** Medians over the rounds of one target, and the rounds themselves. */
export interface LoadSummary {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly bad: number;
  readonly rounds: readonly LoadRound[];
}

function summarize(rounds: readonly LoadRound[]): LoadSummary {
  return {
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    bad: rounds.reduce((n, r) => n + r.bad, 0),
    rounds,
  };
}

/**
 * One unmeasured warm-up round per target (JIT, connection pools, caches), then `rounds` measured
 * rounds per target, alternating between the targets.
 */
export async function interleaved(
  targets: readonly LoadTarget[], options: { rounds: number; seconds: number; connections: number; warmupSeconds: number },
): Promise<Map<string, LoadSummary>> {
  for (const target of targets) await loadRound(target, options.connections, options.warmupSeconds);
  const measured = new Map<string, LoadRound[]>(targets.map((t) => [t.name, []]));
  for (let i = 0; i < options.rounds; i++) {
    for (const target of targets) measured.get(target.name)!.push(await loadRound(target, options.connections, options.seconds));
  }
  return new Map([...measured].map(([name, rounds]) => [name, summarize(rounds)]));
}
