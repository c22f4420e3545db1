/**
 * `npm run check-config`: validates the configuration the way `npm start` would, then checks what
 * can only be checked from outside: that the authority answers with usable metadata, and that
 * Redis answers when REDIS_URL is set. Prints one line per check in plain words; exits 1 on any failure.
 */
import { readFileSync } from 'node:fs';
import { fetchAuthorityMetadata } from './auth/metadata.ts';
import { buildConfig, ConfigError, readSettings, wantsDevTenant } from './config/index.ts';
import type { Config } from './config/index.ts';
import { dataFiles, sharedFiles } from './stores/files.ts';
import { trustCertificateAuthority } from './tls.ts';

type Line = { ok: boolean | 'warn'; text: string };

function print(lines: Line[]): number {
  for (const { ok, text } of lines) process.stdout.write(`${ok === true ? 'ok  ' : ok === 'warn' ? 'warn' : 'FAIL'}  ${text}\n`);
  return lines.some((l) => l.ok === false) ? 1 : 0;
}

async function authorityLines(config: Config): Promise<Line[]> {
  return Promise.all(Object.entries(config.userFlows).map(async ([flow, authority]): Promise<Line> => {
    const label = flow === 'signIn' ? 'AUTHORITY' : `${flow} user flow`;
    try {
      const metadata = await fetchAuthorityMetadata(authority, config.httpTimeoutMs);
      return { ok: true, text: `${label} answers: issuer ${metadata.issuer}` };
    } catch (error) {
      return { ok: false, text: `${label} ${authority} did not give usable metadata (${(error as Error).message}): check the tenant id and the network` };
    }
  }));
}

const CREDENTIALS = { secret: 'a client secret', certificate: 'a certificate', assertion: 'a client assertion file' } as const;

async function redisLine(url: string): Promise<Line> {
  const { createClient } = await import('redis');
  const client = createClient({ url, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return { ok: true, text: 'REDIS_URL answers' };
  } catch (error) {
    return { ok: false, text: `REDIS_URL does not answer (${(error as Error).message})` };
  } finally {
    await client.close().catch(() => client.destroy());
  }
}

function settingLines(config: Config): Line[] {
  return [
    { ok: true, text: `CLIENT_ID ${config.clientId}, redirect URI ${config.redirectUri} (register it as a Web redirect URI)` },
    { ok: true, text: `${config.authorityType} authority ${config.authority}, Graph ${config.graphEndpoint}, credential: ${CREDENTIALS[config.credential.kind]}` },
    config.sessionSecretGenerated
      ? { ok: 'warn', text: 'SESSION_SECRET is not set: a random one is used, so sessions end at every restart' }
      : { ok: true, text: 'SESSION_SECRET is set' },
    config.tokenCacheKeys
      ? { ok: true, text: 'TOKEN_CACHE_KEYS is set' }
      : { ok: 'warn', text: `TOKEN_CACHE_KEYS is not set: a key is generated in ${config.dataDir} (required in production)` },
    { ok: true, text: config.redisUrl ? 'sessions and token caches in Redis' : `sessions and token caches in SQLite under ${config.dataDir}` },
    ...(config.production ? [{ ok: true as const, text: 'production rules apply (NODE_ENV=production or a redirect URI that is not localhost): SESSION_SECRET and TOKEN_CACHE_KEYS are set' }] : []),
    // Reported only: npm start sets these files to 0600 itself (stores/index.ts); this check changes nothing.
    ...sharedFiles(dataFiles(config.dataDir)).map(({ file, mode }): Line => ({
      ok: 'warn', text: `${file} is readable by other local users (mode ${mode}): npm start sets it to 0600, or run chmod 600 ${file}`,
    })),
  ];
}

async function main(): Promise<number> {
  const raw = readSettings();
  if (raw.extraCaCertsFile) trustCertificateAuthority(readFileSync(raw.extraCaCertsFile, 'utf8'));
  if (wantsDevTenant(raw)) {
    return print([{ ok: 'warn', text: 'No tenant configured (CLIENT_ID and AUTHORITY unset): npm start runs the development tenant, which is not Microsoft Entra ID' }]);
  }
  let config: Config;
  try {
    config = buildConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return print([{ ok: false, text: error.message }]);
    throw error;
  }
  const lines = settingLines(config);
  lines.push(...await authorityLines(config));
  if (config.redisUrl) lines.push(await redisLine(config.redisUrl));
  return print(lines);
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`check-config failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});
