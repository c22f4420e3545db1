import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on loopback (bound, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Launched {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Milliseconds from spawn until `url` first answered 200. */
  readonly readyAfterMs: number;
  stop(): Promise<void>;
}

/** Spawns `node src/start.ts` (what `npm start` runs) in `cwd` and waits until `url` answers 200. */
export async function launchApp(env: Record<string, string>, url: string, timeoutMs = 20_000, cwd = process.cwd()): Promise<Launched> {
  const started = performance.now();
  const child = spawn(process.execPath, ['src/start.ts'], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  while (performance.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${out}`);
    const ok = await fetch(url).then((r) => r.status === 200, () => false);
    if (ok) return { child, output: () => out, readyAfterMs: performance.now() - started, stop };
    await new Promise((r) => setTimeout(r, 25));
  }
  await stop();
  throw new Error(`app did not answer within ${timeoutMs} ms:\n${out}`);
}
