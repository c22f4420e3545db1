import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { DevTenant } from '@contoso/dev-tenant';
import { freePort, launchApp } from '../helpers/processes.ts';
import { Agent, pickAccount, startTenant } from '../helpers/stack.ts';

/** Runs the launcher to completion (it should refuse to start) and returns its exit code and output. */
function refusedStart(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['src/start.ts'], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('npm start (src/start.ts)', () => {
  let tenant: DevTenant;

  before(async () => {
    tenant = await startTenant({ redirectUris: ['http://localhost:8000/auth/redirect'] });
  });
  after(() => tenant.close());

  /** `npm start` on a free port, pointed at the test tenant with only the documented variables (plus `extra`). */
  async function launchAtTenant(extra: Record<string, string> = {}) {
    const port = await freePort();
    const origin = `http://localhost:${port}`;
    const app = await launchApp({
      AUTHORITY: tenant.authority, CLIENT_ID: tenant.clientId, CLIENT_SECRET: tenant.clientSecret,
      GRAPH_ENDPOINT: tenant.graphEndpoint, REDIRECT_URI: `${origin}/auth/redirect`, PORT: String(port),
      SESSION_SECRET: 'a-session-secret-for-the-launcher-test-0123', NODE_EXTRA_CA_CERTS: tenant.caFile, ...extra,
    }, `${origin}/`);
    return { app, origin, port };
  }

  it('should sign a user in against an authority given only by the documented variables', async (t) => {
    const { app, origin } = await launchAtTenant();
    try {
      t.diagnostic(`cold start to first 200: ${Math.round(app.readyAfterMs)} ms`);
      const agent = new Agent();
      const picker = await agent.go(`${origin}/auth/sign_in`);
      const home = await pickAccount(agent, { origin }, picker, 'Megan Bowen');
      assert.match(home.body, /Hello Megan Bowen!/);
      assert.equal((await agent.go(`${origin}/call_ms_graph`)).status, 200);
      assert.doesNotMatch(app.output(), /development tenant/i, 'no development tenant was started');
    } finally {
      await app.stop();
    }
  });

  it('should let an in-flight request finish on SIGTERM, refuse new connections, close the stores and exit 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shutdown-'));
    const { app, origin, port } = await launchAtTenant({ DATA_DIR: dataDir, REDIS_URL: '' });
    try {
      const agent = new Agent();
      await pickAccount(agent, { origin }, await agent.go(`${origin}/auth/sign_in`), 'Megan Bowen');
      tenant.injectFault('graph', { status: 0, delayMs: 800 });
      const inFlight = agent.go(`${origin}/call_ms_graph`);
      await new Promise((r) => setTimeout(r, 200));
      const exited = new Promise<number | null>((resolve) => app.child.once('exit', (code) => resolve(code)));
      assert.ok(existsSync(join(dataDir, 'app.db-wal')), 'the SQLite store is open');
      app.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 100));
      const connect = new Promise<void>((resolve, reject) => {
        const socket = createConnection({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(); });
        socket.once('error', reject);
      });
      await assert.rejects(connect, /ECONNREFUSED/, 'no new connections once shutting down');
      const page = await inFlight;
      assert.equal(page.status, 200, 'the request under way when SIGTERM came was answered');
      assert.match(page.body, /5 users/);
      assert.equal(await exited, 0);
      assert.equal(existsSync(join(dataDir, 'app.db-wal')), false, 'SQLite removes its WAL file when the store is closed');
      assert.match(app.output(), /"event":"shutdown","signal":"SIGTERM"/);
    } finally {
      tenant.clearFaults();
      await app.stop();
    }
  });

  it('should create the data folder 0700 and app.db, its -wal/-shm files and the generated key 0600 when DATA_DIR is new', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'private-data-')), 'data');
    const { app, origin } = await launchAtTenant({ DATA_DIR: dataDir, REDIS_URL: '', TOKEN_CACHE_KEYS: '' });
    try {
      const agent = new Agent();
      await pickAccount(agent, { origin }, await agent.go(`${origin}/auth/sign_in`), 'Megan Bowen');
      assert.equal((await agent.go(`${origin}/call_ms_graph`)).status, 200, 'a session and a token cache were written');
      assert.equal(statSync(dataDir).mode & 0o777, 0o700, 'the data folder is the owner\'s alone');
      const files = readdirSync(dataDir).sort();
      assert.deepEqual(files, ['app.db', 'app.db-shm', 'app.db-wal', 'token-cache.key']);
      for (const file of files) assert.equal(statSync(join(dataDir, file)).mode & 0o777, 0o600, `${file} is private`);
    } finally {
      await app.stop();
    }
  });

  it('should stop naming SESSION_SECRET, then TOKEN_CACHE_KEYS, when the redirect URI is not localhost and NODE_ENV is unset', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'deployed-')), 'data');
    const deployed = {
      CLIENT_ID: tenant.clientId, CLIENT_SECRET: 's', AUTHORITY: tenant.authority, NODE_ENV: '', DATA_DIR: dataDir,
      REDIRECT_URI: 'https://app.contoso.com/auth/redirect', SESSION_SECRET: '', TOKEN_CACHE_KEYS: '',
    };
    const noSecret = refusedStart(deployed);
    assert.equal(noSecret.status, 1);
    assert.match(noSecret.stderr, /^Configuration error: SESSION_SECRET is required when the redirect URI's host app\.contoso\.com is not localhost/);
    const noKeys = refusedStart({ ...deployed, SESSION_SECRET: 'x'.repeat(40) });
    assert.equal(noKeys.status, 1);
    assert.match(noKeys.stderr, /^Configuration error: TOKEN_CACHE_KEYS is required when the redirect URI's host app\.contoso\.com is not localhost/);
    assert.equal(existsSync(dataDir), false, 'no key was generated next to the data');
  });

  it('should stop naming TOKEN_CACHE_KEYS and the repeated id, without any key, when two keys share an id', () => {
    const newer = Buffer.alloc(32, 1).toString('base64');
    const older = Buffer.alloc(32, 2).toString('base64');
    const { status, stderr } = refusedStart({
      CLIENT_ID: tenant.clientId, CLIENT_SECRET: 's', AUTHORITY: tenant.authority, TOKEN_CACHE_KEYS: `k1:${newer},k1:${older}`,
    });
    assert.equal(status, 1);
    assert.match(stderr, /^Configuration error: TOKEN_CACHE_KEYS is not usable \(key id "k1" appears more than once/);
    assert.ok(!stderr.includes(newer) && !stderr.includes(older), 'no key in the output');
  });

  it('should stop with one line naming CLIENT_ID when it is still the placeholder', () => {
    const { status, stderr } = refusedStart({ CLIENT_ID: '{enter-your-client-id-here}', AUTHORITY: tenant.authority, CLIENT_SECRET: 's' });
    assert.equal(status, 1);
    assert.equal(stderr.trim(), 'Configuration error: CLIENT_ID is "{enter-your-client-id-here}": set it in .env (see .env.sample)');
  });

  it('should stop naming AUTHORITY, without printing the secret, when only the client is configured', () => {
    const { status, stderr } = refusedStart({ CLIENT_ID: tenant.clientId, CLIENT_SECRET: 'very-secret-value', AUTHORITY: '' });
    assert.equal(status, 1);
    assert.match(stderr, /^Configuration error: AUTHORITY /);
    assert.doesNotMatch(stderr, /very-secret-value/);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  });

  it('should stop naming DEV_TENANT_SHAPE when it names no known shape', () => {
    const { status, stderr } = refusedStart({ CLIENT_ID: '', AUTHORITY: '', DEV_TENANT_SHAPE: 'okta' });
    assert.equal(status, 1);
    assert.equal(stderr.trim(), 'Configuration error: DEV_TENANT_SHAPE "okta" must be one of entra, multi_tenant, external_id, b2c');
  });

  it('should stop with one line saying why when ALLOWED_TENANT_IDS is set with a B2C authority', () => {
    const { status, stderr } = refusedStart({
      CLIENT_ID: tenant.clientId, CLIENT_SECRET: 's', AUTHORITY: 'https://contoso.b2clogin.com/contoso.onmicrosoft.com',
      B2C_SIGN_UP_SIGN_IN_POLICY: 'B2C_1_susi', ALLOWED_TENANT_IDS: tenant.tenantId,
    });
    assert.equal(status, 1);
    assert.equal(stderr.trim().split('\n').length, 1, 'one line');
    assert.match(stderr, /^Configuration error: ALLOWED_TENANT_IDS cannot be used with Azure AD B2C \(B2C tokens carry no tid by default/);
  });

  it('should stop naming both credentials when a secret and a certificate are configured', () => {
    const { status, stderr } = refusedStart({
      CLIENT_ID: tenant.clientId, AUTHORITY: tenant.authority, CLIENT_SECRET: 'very-secret-value',
      CLIENT_CERTIFICATE_KEY_FILE: tenant.clientCertificate.keyFile, CLIENT_CERTIFICATE_FILE: tenant.clientCertificate.certificateFile,
    });
    assert.equal(status, 1);
    assert.match(stderr, /^Configuration error: CLIENT_SECRET and CLIENT_CERTIFICATE_KEY_FILE are both set: configure exactly one client credential/);
    assert.doesNotMatch(stderr, /very-secret-value|PRIVATE KEY/);
  });

  it('should refuse to start the development tenant when NODE_ENV=production', () => {
    const { status, stderr } = refusedStart({
      CLIENT_ID: '', AUTHORITY: '', NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), REDIRECT_URI: 'https://app.contoso.com/auth/redirect',
      TOKEN_CACHE_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
    });
    assert.equal(status, 1);
    assert.match(stderr, /development tenant refuses to run when NODE_ENV=production/i);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });
});

describe('npm run check-config', () => {
  let tenant: DevTenant;
  before(async () => {
    tenant = await startTenant();
  });
  after(() => tenant.close());

  /** Runs the script without blocking this process, which serves the tenant it checks. */
  function check(env: Record<string, string>): Promise<{ status: number | null; out: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['src/check-config.ts'], { env: { ...process.env, ...env }, timeout: 20_000 });
      let out = '';
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { out += d; });
      child.on('close', (status) => resolve({ status, out }));
    });
  }

  it('should pass and name the issuer when the authority answers', async () => {
    const { status, out } = await check({
      AUTHORITY: tenant.authority, CLIENT_ID: tenant.clientId, CLIENT_SECRET: tenant.clientSecret, NODE_EXTRA_CA_CERTS: tenant.caFile,
    });
    assert.equal(status, 0, out);
    assert.match(out, new RegExp(`ok +AUTHORITY answers: issuer ${tenant.issuer.replace(/[.]/g, '\\.')}`));
    assert.match(out, /warn +SESSION_SECRET is not set/);
    assert.match(out, /ok +SINGLE_TENANT authority https:\/\/localhost:\d+\/[\w-]+, Graph https:\/\/graph\.microsoft\.com\/v1\.0, credential: a client secret/);
    assert.doesNotMatch(out, new RegExp(tenant.clientSecret));
  });

  it('should fail in plain words when the authority does not answer', async () => {
    const { status, out } = await check({ AUTHORITY: 'https://localhost:1/contoso', CLIENT_ID: tenant.clientId, CLIENT_SECRET: 's' });
    assert.equal(status, 1);
    assert.match(out, /FAIL +AUTHORITY https:\/\/localhost:1\/contoso did not give usable metadata/);
  });

  it('should fail naming SESSION_SECRET when the redirect URI is not localhost and NODE_ENV is unset', async () => {
    const { status, out } = await check({
      AUTHORITY: tenant.authority, CLIENT_ID: tenant.clientId, CLIENT_SECRET: tenant.clientSecret, NODE_EXTRA_CA_CERTS: tenant.caFile,
      REDIRECT_URI: 'https://app.contoso.com/auth/redirect', NODE_ENV: '', SESSION_SECRET: '', TOKEN_CACHE_KEYS: '',
    });
    assert.equal(status, 1, out);
    assert.match(out, /FAIL +SESSION_SECRET is required when the redirect URI's host app\.contoso\.com is not localhost/);
  });

  it('should warn when an existing app.db is readable by other local users', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'check-perms-'));
    writeFileSync(join(dataDir, 'app.db'), '');
    chmodSync(join(dataDir, 'app.db'), 0o644);
    const { status, out } = await check({
      AUTHORITY: tenant.authority, CLIENT_ID: tenant.clientId, CLIENT_SECRET: tenant.clientSecret, NODE_EXTRA_CA_CERTS: tenant.caFile, DATA_DIR: dataDir,
    });
    assert.equal(status, 0, out);
    assert.match(out, /warn +\S+app\.db is readable by other local users \(mode 644\)/);
    assert.equal(statSync(join(dataDir, 'app.db')).mode & 0o777, 0o644, 'the check changes nothing');
  });

  it('should fail naming a placeholder value', async () => {
    const { status, out } = await check({ AUTHORITY: tenant.authority, CLIENT_ID: tenant.clientId, CLIENT_SECRET: '{enter-your-client-secret-here}' });
    assert.equal(status, 1);
    assert.match(out, /FAIL +CLIENT_SECRET is still a placeholder/);
  });
});
