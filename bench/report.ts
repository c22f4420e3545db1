/**
 * Results of the benchmark: one row per goal (per store where the app's store matters), printed as
 * a table and written as JSON. In quick mode only the exact counts decide the exit code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Plan } from './plan.ts';

/**
 * A measured goal. `count` rows are exact (request counts) and decide a quick run's exit code;
 * `measure` rows (throughput, latency, memory, start-up) are reported with a verdict only;
 * `error` rows are measurements that could not be made.
 */
export interface Row {
  readonly id: string;
  readonly store: string;
  readonly metric: string;
  readonly value: string;
  readonly goal: string;
  readonly pass: boolean;
  readonly kind: 'count' | 'measure' | 'error';
  readonly data?: Record<string, unknown>;
}

/** A row for a measurement that threw. */
export function errorRow(id: string, store: string, metric: string, error: unknown): Row {
  const message = (error as Error)?.message ?? String(error);
  return { id, store, metric, value: `error: ${message.split('\n')[0]}`, goal: '-', pass: false, kind: 'error', data: { error: message } };
}

function verdict(row: Row, quick: boolean): string {
  if (row.kind === 'error') return 'ERROR';
  if (row.pass) return 'pass';
  return quick && row.kind === 'measure' ? 'fail (not counted in --quick)' : 'FAIL';
}

/** The rows as a fixed-width text table. */
export function table(rows: readonly Row[], quick: boolean): string {
  const header = ['id', 'store', 'metric', 'measured', 'goal', 'verdict'];
  const cells = rows.map((r) => [r.id, r.store, r.metric, r.value, r.goal, verdict(r, quick)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...cells.map(line)].join('\n');
}

/**
 * 0 when the run passes: full mode always passes (the verdicts are printed); quick mode fails (1)
 * when an exact count is wrong. A measurement that could not be made fails either mode (2).
 */
export function exitCode(rows: readonly Row[], plan: Plan): number {
  if (rows.some((r) => r.kind === 'error')) return 2;
  if (plan.quick && rows.some((r) => r.kind === 'count' && !r.pass)) return 1;
  return 0;
}

/** Writes the run (plan, machine, rows) as JSON to `path`. */
export function writeJson(path: string, plan: Plan, rows: readonly Row[], extra: Record<string, unknown>): void {
  mkdirSync(dirname(path), { recursive: true });
  const body = { mode: plan.quick ? 'quick' : 'full', plan, ...extra, rows };
  writeFileSync(path, `${JSON.stringify(body, null, 2)}\n`);
}
