/**
 * The launcher behind `npm start` (via start.ts): reads and validates the configuration, starts the development
 * tenant when no real tenant is configured, then serves the app. Configuration errors stop the
 * start with one line naming the key and the fix.
 */
import { readFileSync } from 'node:fs';
import { buildConfig, ConfigError, readSettings, wantsDevTenant } from './config/index.ts';
import type { Config } from './config/index.ts';
import { createApp, metadataSourceFor } from './app.ts';
import { Authorities } from './auth/authorities.ts';
import { createLogger } from './log.ts';
import { openStores } from './stores/index.ts';
import { exitOnSignals, listen } from './server.ts';
import { trustCertificateAuthority } from './tls.ts';

interface Launch {
  readonly config: Config;
  readonly close: () => Promise<void>;
}

async function main(): Promise<void> {
  const raw = readSettings();
  if (raw.extraCaCertsFile) trustCertificateAuthority(readFileSync(raw.extraCaCertsFile, 'utf8'));
  const launch: Launch = wantsDevTenant(raw)
    ? await (await import('./launch-dev-tenant.ts')).launchDevTenant(raw)
    : { config: buildConfig(raw), close: async () => {} };
  const { config } = launch;
  const logger = createLogger(config.logLevel);
  const authorities = new Authorities(config, metadataSourceFor(config));
  // Fetch every user flow's authority metadata now, once; a failure here is retried on first use.
  authorities.loadAll().catch((error: unknown) => logger.warn('metadata.unavailable', { reason: (error as Error).message }));
  if (config.sessionSecretGenerated) logger.warn('session.secret.generated', { hint: 'set SESSION_SECRET so sessions survive restarts' });
  const stores = await openStores(config, logger);
  const app = createApp(config, {
    logger, authorities, sessionStore: stores.sessionStore, tokenCaches: stores.tokenCaches, signIns: stores.signIns, storePing: stores.ping,
  });
  const server = await listen(app, config.port);
  exitOnSignals(server, logger, async () => {
    await stores.close();
    await launch.close();
  });
  const origin = new URL(config.redirectUri).origin;
  process.stdout.write(`App listening on port ${config.port}: open ${origin} (sign-in authority ${config.authority}; ${stores.kind} store)\n`);
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown })?.code;
  if (error instanceof ConfigError) process.stderr.write(`Configuration error: ${error.message}\n`);
  else if (code === 'DEV_TENANT_IN_PRODUCTION') process.stderr.write(`${(error as Error).message}\n`);
  else process.stderr.write(`Start failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});
