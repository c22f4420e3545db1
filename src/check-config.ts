/**
 * `npm run check-config`: validates the configuration the way `npm start` would, then checks what
 * can only be checked from outside: that the authority answers with usable metadata (or why not), and that
 * Redis answers when REDIS_URL is set, in every mode. Reports every problem in one run, each with where its
 * value came from. Prints one line per check in plain words; exits 1 on any failure.
 */
import { readFileSync } from 'node:fs';
import { discoveryUrl, fetchAuthorityMetadata } from './auth/metadata.ts';
import { collectConfigProblems, readSettings, wantsDevTenant } from './config/index.ts';
import type { Config, RawSettings } from './config/index.ts';
import { explainAuthorityFailure, originNote, portMismatchOf } from './check-config/explain.ts';
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
      return { ok: false, text: `${label} ${authority} did not give usable metadata: ${explainAuthorityFailure(error, discoveryUrl(authority), config.httpTimeoutMs)}` };
    }
  }));
}

const CREDENTIALS = { secret: 'a client secret', certificate: 'a certificate', assertion: 'a client assertion file' } as const;

async function redisLine(url: string): Promise<Line> {
  const { createClient } = await import('redis');
  const client = createClient({ url, pingInterval: 0, socket: { connectTimeout: 2000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await Promise.race([client.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('no PING answer within 2000 ms')), 2000).unref())]);
    return { ok: true, text: 'REDIS_URL answers' };
  } catch (error) {
    return { ok: false, text: `REDIS_URL does not answer (${(error as Error).message || (error as { code?: string }).code}): start Redis or fix REDIS_URL` };
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

/** Stand-ins for the values `npm start` takes from the development tenant (as launch-dev-tenant.ts validates its draft). */
const DEV_TENANT_STAND_INS = {
  clientId: '00000000-0000-0000-0000-000000000000', clientSecret: 'pending', authority: 'https://localhost/pending',
  authorityTypeOverride: 'SINGLE_TENANT', b2cPolicies: undefined,
} as const;

function devTenantLine(raw: RawSettings): Line {
  return raw.nodeEnv === 'production'
    ? { ok: false, text: 'No tenant configured (CLIENT_ID and AUTHORITY unset) and NODE_ENV=production: npm start refuses to run the development tenant in production. Set CLIENT_ID, AUTHORITY and a credential (see .env.sample)' }
    : { ok: 'warn', text: 'No tenant configured (CLIENT_ID and AUTHORITY unset): npm start runs the development tenant, which is not Microsoft Entra ID' };
}

const AUTHORITY_KEYS = /^(AUTHORITY|AUTHORITY_TYPE|b2c\.|B2C_)/;

async function main(): Promise<number> {
  const raw = readSettings();
  const lines: Line[] = [];
  try {
    if (raw.extraCaCertsFile) trustCertificateAuthority(readFileSync(raw.extraCaCertsFile, 'utf8'));
  } catch (error) {
    lines.push({ ok: false, text: `NODE_EXTRA_CA_CERTS "${raw.extraCaCertsFile}" cannot be read (${(error as Error).message})${originNote(raw, 'NODE_EXTRA_CA_CERTS')}` });
  }
  const devTenant = wantsDevTenant(raw);
  if (devTenant) lines.push(devTenantLine(raw));
  // Every problem npm start would stop at, from the same validation steps, each with where its value came from.
  const { problems, draft } = collectConfigProblems(devTenant ? { ...raw, ...DEV_TENANT_STAND_INS } : raw);
  lines.push(...problems.map((p): Line => ({ ok: false, text: `${p.message}${originNote(raw, p.key)}` })));
  if (problems.length === 0) lines.push(...(devTenant ? settingLines(draft).slice(2) : settingLines(draft)));
  const mismatch = problems.some((p) => p.key === 'PORT' || p.key === 'REDIRECT_URI') ? undefined : portMismatchOf(draft, raw);
  if (mismatch) lines.push({ ok: 'warn', text: mismatch });
  if (!devTenant && !problems.some((p) => AUTHORITY_KEYS.test(p.key))) lines.push(...await authorityLines(draft));
  // A later step's problem (e.g. TOKEN_CACHE_KEYS) leaves no REDIS_URL in the draft: Redis is still checked.
  const redisUrl = problems.some((p) => p.key === 'REDIS_URL') ? undefined : raw.redisUrl;
  if (redisUrl) lines.push(await redisLine(redisUrl));
  return print(lines);
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`check-config failed: ${(error as Error)?.message ?? String(error)}\n`);
  process.exit(1);
});
