/**
 * Child processes of the benchmark (the app, the baseline, the memory host): spawned with the
 * bench's own Node, their output kept as a short tail for error reports, and every one of them
 * stopped when the bench ends, normally or not.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

const TAIL_CHARS = 8_000;
const running = new Set<Child>();

export interface Child {
  readonly process: ChildProcess;
  /** The last few thousand characters the child wrote (stdout and stderr). */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the child has exited. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  readonly env: Record<string, string>;
  /** Node flags before the script, e.g. --expose-gc. */
  readonly execArgv?: readonly string[];
  /** Open an IPC channel (process.send in the child). */
  readonly ipc?: boolean;
}

/** Runs `node <script>` from the current directory with `env` on top of the bench's environment. */
export function spawnNode(script: string, options: SpawnOptions): Child {
  const stdio = options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] as const : ['ignore', 'pipe', 'pipe'] as const;
  const child = spawn(process.execPath, [...(options.execArgv ?? []), script], { env: { ...process.env, ...options.env }, stdio: [...stdio] });
  let out = '';
  const keep = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.length > TAIL_CHARS * 2) out = out.slice(-TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle: Child = {
    process: child,
    tail: () => out.slice(-TAIL_CHARS),
    stop: async (graceMs = 3_000) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
        force.unref();
        await exited;
        clearTimeout(force);
      }
      running.delete(handle);
    },
  };
  running.add(handle);
  void exited.then(() => running.delete(handle));
  return handle;
}

/** Polls `url` until it answers 200; throws with the child's output when it exits or `timeoutMs` passes. */
export async function waitUntilReady(child: Child, url: string, timeoutMs = 20_000, everyMs = 10): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (child.process.exitCode !== null) throw new Error(`${url}: the process exited with ${child.process.exitCode}:\n${child.tail()}`);
    const ok = await fetch(url).then(async (r) => {
      await r.body?.cancel();
      return r.status === 200;
    }, () => false);
    if (ok) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${child.tail()}`);
}

/** Stops every child still running (at the end, and on failure). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop(1_000)));
}

/** Last resort on exit: no child outlives the bench. Synchronous, so it works in 'exit' handlers. */
export function killAllNow(): void {
  for (const child of running) child.process.kill('SIGKILL');
}
