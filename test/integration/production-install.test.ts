/**
 * What a production image gets: the committed files of a fresh clone (packages/ included), `npm ci --omit=dev`
 * (one install from the npm registry, ~5–40 s), then `npm start` with and without a configured tenant.
 * This fails if the development tenant becomes an npm workspace again: with workspaces, `--omit=dev` still installs
 * a workspace that is only a devDependency, and its dependencies (https://github.com/npm/cli/issues/6670, open),
 * which is why the app depends on it as `file:packages/dev-tenant`.
 * Skipped when the registry cannot be reached, except under CI=true.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DevTenant } from '@contoso/dev-tenant';
import { freePort } from '../helpers/processes.ts';
import { Agent, startTenant } from '../helpers/stack.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PRODUCTION_INSTALL = ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'];
/** Packages only the development tenant (or nothing at all) runs: none may reach a production image. */
const NOT_IN_PRODUCTION = ['@contoso/dev-tenant', 'oidc-provider', 'koa', '@peculiar/x509', 'tsyringe', 'reflect-metadata', 'bootstrap', 'pino-http'];
/** npm's codes for a registry it could not reach (offline machine, no DNS, proxy down). */
const UNREACHABLE = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|ENOTCACHED)\b/;
/** The host a TLS-terminating proxy would answer for (.test is reserved: RFC 2606), reached here on 127.0.0.1. */
const PUBLIC_HOST = 'app.contoso.test';
const REDIRECT_URI = `https://${PUBLIC_HOST}/auth/redirect`;

/** The files a fresh clone has (tracked, plus new files not yet committed and not ignored), copied to a new folder. */
function copyCheckout(): string {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  const dest = mkdtempSync(join(tmpdir(), 'production-install-'));
  for (const file of listed.stdout.split('\0').filter((f) => f && existsSync(join(ROOT, f)))) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dest, file));
  }
  return dest;
}

/** How this machine reaches the registry; nothing else of this process (REDIS_URL, NODE_ENV, npm_config_local_prefix...). */
const PASSED_ON = ['PATH', 'HOME', 'npm_config_registry', 'npm_config_cache', 'npm_config_cafile', 'NODE_EXTRA_CA_CERTS',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'];

/** A minimal environment for the copy, plus `extra`. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(PASSED_ON.filter((name) => process.env[name]).map((name) => [name, process.env[name]])), ...extra };
}

/** Every installed package path (npm's hidden lockfile), e.g. `node_modules/koa/node_modules/fresh`. */
function installed(dir: string): string[] {
  const lock = JSON.parse(readFileSync(join(dir, 'node_modules/.package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  return Object.keys(lock.packages).filter((path) => path.includes('node_modules/'));
}

/** GET `path` as the reverse proxy forwards it: Host and X-Forwarded-Proto of the public https origin. */
function viaProxy(port: number, path: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolvePage, reject) => {
    const headers = { host: PUBLIC_HOST, 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' };
    request({ host: '127.0.0.1', port, path, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => { body += chunk; });
      response.on('end', () => resolvePage({ status: response.statusCode ?? 0, headers: response.headers, body }));
    }).on('error', reject).end();
  });
}

interface Started {
  readonly output: () => string;
  readonly exited: Promise<number | null>;
  /** Stops the whole process group (npm → sh → node) and waits for npm to exit. */
  stop(): Promise<void>;
}

/** `npm start` in `dir`, in its own process group so that it can be stopped whole. */
function npmStart(dir: string, environment: NodeJS.ProcessEnv): Started {
  const child = spawn('npm', ['start'], { cwd: dir, env: environment, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
  };
  return { output: () => out, exited, stop };
}

/** The exit code, or undefined (and the start stopped) when it is still running after `ms`. */
async function exitCodeWithin(start: Started, ms: number): Promise<number | null | undefined> {
  const timer = new Promise<undefined>((done) => setTimeout(() => done(undefined), ms).unref());
  const code = await Promise.race([start.exited, timer]);
  if (code === undefined) await start.stop();
  return code;
}

async function waitFor(check: () => Promise<boolean>, what: string, output: () => string, timeoutMs = 20_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} within ${timeoutMs} ms:\n${output()}`);
}

describe('production install (npm ci --omit=dev) and start', { timeout: 240_000 }, () => {
  let dir = '';
  let skipped = '';

  before(() => {
    // Outside CI, one quick look first: an offline machine skips at once instead of waiting out npm's retries.
    const ping = process.env['CI'] === 'true' ? undefined
      : spawnSync('npm', ['ping', '--fetch-retries=0', '--fetch-timeout=5000'], { env: env(), encoding: 'utf8', timeout: 20_000 });
    if (ping && ping.status !== 0) {
      skipped = `npm registry unreachable (npm ping: ${UNREACHABLE.exec(`${ping.stderr} ${ping.error}`)?.[1] ?? `exit ${ping.status}`}): production install not checked`;
      return;
    }
    dir = copyCheckout();
    const install = spawnSync('npm', PRODUCTION_INSTALL, { cwd: dir, env: env(), encoding: 'utf8', timeout: 180_000 });
    if (install.status === 0) return;
    const output = `${install.stdout}\n${install.stderr}`;
    if (UNREACHABLE.test(output) && process.env['CI'] !== 'true') skipped = `npm registry unreachable (${UNREACHABLE.exec(output)![1]}): production install not checked`;
    else throw new Error(`npm ${PRODUCTION_INSTALL.join(' ')} failed (${install.status}):\n${output}`);
  });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('should install nothing of the development tenant, bootstrap or pino-http when installing for production', (t) => {
    if (skipped) return t.skip(skipped);
    const paths = installed(dir);
    t.diagnostic(`${paths.length} packages installed`);
    for (const name of NOT_IN_PRODUCTION) {
      assert.deepEqual(paths.filter((path) => path.endsWith(`node_modules/${name}`)), [], `${name} is installed`);
    }
    for (const name of ['express', '@azure/msal-node', 'ejs', 'pino']) assert.ok(paths.includes(`node_modules/${name}`), `${name} is installed`);
  });

  it('should exit 1 with one line saying how to configure a tenant or install the development tenant when none is configured', async (t) => {
    if (skipped) return t.skip(skipped);
    const start = npmStart(dir, env({ PORT: String(await freePort()) }));
    const code = await exitCodeWithin(start, 20_000);
    const stderr = start.output().split('\n').filter((line) => line && !line.startsWith('>')).join('\n');
    assert.equal(code, 1, start.output());
    assert.equal(stderr.split('\n').length, 1, `one line: ${stderr}`);
    assert.match(stderr, /AUTHORITY|CLIENT_ID|\.env/, 'says how to configure a tenant');
    assert.match(stderr, /npm (install|ci)\b/, 'says how to install the development tenant');
    assert.doesNotMatch(stderr, /Cannot find (package|module)|ERR_MODULE_NOT_FOUND/);
  });

  describe('with a tenant configured, behind a TLS-terminating proxy', () => {
    let tenant: DevTenant;
    before(async () => { tenant = await startTenant({ redirectUris: [REDIRECT_URI] }); });
    after(() => tenant?.close());

    it('should serve pages, the stylesheet and readiness, and send sign-in to the tenant when started with NODE_ENV=production', async (t) => {
      if (skipped) return t.skip(skipped);
      const port = await freePort();
      const start = npmStart(dir, env({
        NODE_ENV: 'production', PORT: String(port), REDIRECT_URI, TRUST_PROXY: 'loopback',
        AUTHORITY: tenant.authority, CLIENT_ID: tenant.clientId, CLIENT_SECRET: tenant.clientSecret, GRAPH_ENDPOINT: tenant.graphEndpoint,
        NODE_EXTRA_CA_CERTS: tenant.caFile, DATA_DIR: join(dir, '.data'),
        SESSION_SECRET: randomBytes(32).toString('base64url'), TOKEN_CACHE_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      }));
      try {
        await waitFor(async () => (await viaProxy(port, '/readyz')).status === 200, 'not ready', start.output);
        assert.deepEqual(JSON.parse((await viaProxy(port, '/readyz')).body), { status: 'ready', store: 'ok', authority: 'ok' });
        const home = await viaProxy(port, '/');
        assert.equal(home.status, 200);
        assert.match(home.body, /You're not signed in/);
        const css = await viaProxy(port, '/vendor/bootstrap/bootstrap.min.css');
        assert.equal(css.status, 200, 'the vendored stylesheet is served without the bootstrap package');
        const signIn = await viaProxy(port, '/auth/sign_in');
        assert.equal(signIn.status, 303);
        const authorize = new URL(String(signIn.headers['location']));
        assert.equal(authorize.origin, new URL(tenant.authority).origin);
        assert.equal(authorize.searchParams.get('redirect_uri'), REDIRECT_URI);
        const picker = await new Agent().go(authorize.href);
        assert.equal(picker.status, 200, 'the tenant accepts the sign-in request');
        assert.match(picker.body, /Megan Bowen/);
        assert.doesNotMatch(start.output(), /development tenant/i);
      } finally {
        await start.stop();
      }
    });
  });
});
