import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DevTenant } from '@contoso/dev-tenant';
import { startTenant } from '../helpers/stack.ts';

const SCRIPT = resolve(process.env.CHECK_CONFIG_SCRIPT ?? 'src/check-config.ts');
/** Variables a developer's shell might carry that would change what the script sees. */
const CLEARED = ['CLIENT_ID', 'AUTHORITY', 'CLIENT_SECRET', 'REDIRECT_URI', 'PORT', 'NODE_ENV', 'SESSION_SECRET', 'TOKEN_CACHE_KEYS',
  'REDIS_URL', 'NODE_EXTRA_CA_CERTS', 'AUTHORITY_TYPE', 'GRAPH_ENDPOINT', 'DATA_DIR', 'HTTP_TIMEOUT_MS'];

/** Runs check-config in a fresh folder holding the shipped aad.config.json and `dotenv` as its .env. */
function check(env: Record<string, string>, dotenv = ''): Promise<{ status: number | null; out: string }> {
  const cwd = mkdtempSync(join(tmpdir(), 'check-config-'));
  copyFileSync('aad.config.json', join(cwd, 'aad.config.json'));
  writeFileSync(join(cwd, '.env'), dotenv);
  const base: Record<string, string | undefined> = { ...process.env };
  for (const name of CLEARED) delete base[name];
  return new Promise((done) => {
    const child = spawn(process.execPath, [SCRIPT], { cwd, env: { ...base, ...env }, timeout: 20_000 });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (status) => done({ status, out }));
  });
}

describe('npm run check-config diagnoses', () => {
  let tenant: DevTenant;
  before(async () => {
    tenant = await startTenant();
  });
  after(() => tenant.close());

  const configured = () => ({ AUTHORITY: tenant.authority, CLIENT_ID: tenant.clientId, CLIENT_SECRET: tenant.clientSecret, NODE_EXTRA_CA_CERTS: tenant.caFile });

  it('should report every problem in one run, each with its key and where its value came from, when several are wrong', async () => {
    const { status, out } = await check({ SESSION_SECRET: 'short', HTTP_TIMEOUT_MS: '5' }, 'CLIENT_ID=not-a-guid\nPORT=99999\n');
    assert.equal(status, 1, out);
    assert.match(out, /FAIL +CLIENT_ID "not-a-guid" is not a GUID.*\[CLIENT_ID from \.env\]/);
    assert.match(out, /FAIL +AUTHORITY is ".*\{enter-your-tenant-id-here\}".*\[AUTHORITY: still the placeholder shipped in aad\.config\.json/);
    assert.match(out, /FAIL +CLIENT_SECRET is still a placeholder.*\[CLIENT_SECRET: still the placeholder shipped in aad\.config\.json/);
    assert.match(out, /FAIL +PORT "99999" must be a whole number.*\[PORT from \.env\]/);
    assert.match(out, /FAIL +SESSION_SECRET is too short.*\[SESSION_SECRET from the environment, which overrides \.env\]/);
    assert.match(out, /FAIL +HTTP_TIMEOUT_MS "5" must be a whole number/);
  });

  it('should fail when NODE_ENV=production and no tenant is configured', async () => {
    const { status, out } = await check({ NODE_ENV: 'production' });
    assert.equal(status, 1, out);
    assert.match(out, /FAIL +No tenant configured \(CLIENT_ID and AUTHORITY unset\) and NODE_ENV=production: npm start refuses to run the development tenant/);
  });

  it('should fail naming REDIS_URL when Redis does not answer, even with the development tenant', async () => {
    const { status, out } = await check({ REDIS_URL: 'redis://127.0.0.1:1' });
    assert.equal(status, 1, out);
    assert.match(out, /FAIL +REDIS_URL does not answer \(.*ECONNREFUSED/);
  });

  it('should name the host and suggest a typo when the authority host does not resolve', async () => {
    const { status, out } = await check({ ...configured(), AUTHORITY: 'https://login.contoso.invalid/contoso.onmicrosoft.com', HTTP_TIMEOUT_MS: '3000' });
    assert.equal(status, 1, out);
    assert.match(out, /FAIL +AUTHORITY .* the host name login\.contoso\.invalid does not resolve \(DNS E[A-Z_]+\): check AUTHORITY for a typo/);
  });

  it('should name the certificate error and NODE_EXTRA_CA_CERTS when the authority\'s CA is not trusted', async () => {
    const { status, out } = await check({ ...configured(), NODE_EXTRA_CA_CERTS: '' });
    assert.equal(status, 1, out);
    assert.match(out, /FAIL +AUTHORITY .* TLS certificate was refused \([A-Z_]+\): .* NODE_EXTRA_CA_CERTS/);
  });

  it('should say the tenant was not found when the authority names a tenant the service does not know', async () => {
    const wrong = tenant.authority.replace(/[^/]+$/, '0b9c5a1e-1111-4a2b-9c3d-5e6f7a8b9c0d');
    const { status, out } = await check({ ...configured(), AUTHORITY: wrong });
    assert.equal(status, 1, out);
    assert.match(out, /FAIL +AUTHORITY .* answered HTTP 40[04]: the tenant in AUTHORITY was not found there/);
  });

  it('should follow PORT with the redirect URI when .env.sample is copied and only PORT is changed', async () => {
    const sample = readFileSync('.env.sample', 'utf8').replace(/^# PORT=8000$/m, 'PORT=3000').replace(/^(CLIENT_ID|AUTHORITY|CLIENT_SECRET)=$/gm, '');
    const { status, out } = await check(configured(), sample);
    assert.equal(status, 0, out);
    assert.match(out, /ok +CLIENT_ID \S+, redirect URI http:\/\/localhost:3000\/auth\/redirect/);
    assert.doesNotMatch(out, /warn +REDIRECT_URI/);
  });

  it('should warn when PORT was changed but REDIRECT_URI still names the sample\'s port', async () => {
    const { status, out } = await check(configured(), 'REDIRECT_URI=http://localhost:8000/auth/redirect\nPORT=3000\n');
    assert.equal(status, 0, out);
    assert.match(out, /warn +REDIRECT_URI http:\/\/localhost:8000\/auth\/redirect is on port 8000 but the app listens on PORT=3000 \[PORT from \.env\]/);
  });
});
