/**
 * A bench-only host for the app (B5): builds and serves the app exactly as src/launch.ts (behind
 * `npm start`) does with a configured authority (readSettings/buildConfig, openStores, createApp,
 * listen), and answers each IPC message "memory" with process.memoryUsage() read after a full
 * garbage collection.
 * Spawn it with --expose-gc and an IPC channel; it exits when the channel closes.
 */
import { readFileSync } from 'node:fs';
import { setImmediate as tick } from 'node:timers/promises';
import { getHeapSpaceStatistics } from 'node:v8';
import { createApp, metadataSourceFor } from '../src/app.ts';
import { buildConfig, readSettings } from '../src/config/index.ts';
import { createLogger } from '../src/log.ts';
import { exitOnSignals, listen } from '../src/server.ts';
import { openStores } from '../src/stores/index.ts';
import { trustCertificateAuthority } from '../src/tls.ts';

/** What the host answers to "memory": bytes, after GC. */
export interface HostMemory {
  readonly heapUsed: number;
  readonly heapTotal: number;
  /** Of heapUsed, the part holding compiled code (grows while the JIT warms up). */
  readonly code: number;
  readonly rss: number;
  readonly external: number;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function memoryAfterGc(): Promise<HostMemory> {
  if (!gc) throw new Error('start the host with --expose-gc');
  // Two passes with a turn of the event loop between them: weak callbacks and finalizers run in between.
  gc();
  await tick();
  gc();
  const { heapUsed, heapTotal, rss, external } = process.memoryUsage();
  const code = getHeapSpaceStatistics().find((s) => s.space_name === 'code_space')?.space_used_size ?? 0;
  return { heapUsed, heapTotal, code, rss, external };
}

async function main(): Promise<void> {
  const raw = readSettings();
  if (raw.extraCaCertsFile) trustCertificateAuthority(readFileSync(raw.extraCaCertsFile, 'utf8'));
  const config = buildConfig(raw);
  const logger = createLogger(config.logLevel);
  const metadata = metadataSourceFor(config);
  metadata.get().catch((error: unknown) => logger.warn('metadata.unavailable', { reason: (error as Error).message }));
  const stores = await openStores(config, logger);
  const app = createApp(config, {
    logger, metadata, sessionStore: stores.sessionStore, tokenCaches: stores.tokenCaches, storePing: stores.ping,
  });
  const server = await listen(app, config.port);
  exitOnSignals(server, logger, () => stores.close());
  process.on('message', (message) => {
    if (message !== 'memory') return;
    memoryAfterGc().then((memory) => process.send?.(memory), (error: unknown) => process.send?.({ error: String(error) }));
  });
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.stdout.write(`App host listening on port ${config.port} (${stores.kind} store)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`App host failed: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
