/**
 * `npm start` in a production install (`npm ci --omit=dev`), where the development tenant's package is absent.
 * The app is copied to a temporary folder with a node_modules of links to every package the lock file does not
 * mark dev-only: what `npm ci --omit=dev` installs, without a network. production-install.test.ts does the real install.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DevTenant } from '@contoso/dev-tenant';
import { freePort, launchApp } from '../helpers/processes.ts';
import { Agent, pickAccount, startTenant } from '../helpers/stack.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const APP_FILES = ['src', 'views', 'public', 'package.json', 'aad.config.json'];

type LockEntry = { dev?: boolean; link?: boolean; resolved?: string };

/** The top-level packages `npm ci --omit=dev` installs: package-lock.json's, less "dev": true ones (links: their target's flag). */
function productionPackages(): string[] {
  const { packages } = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const devOnly = (entry: LockEntry): boolean => (entry.link ? packages[entry.resolved ?? '']?.dev === true : entry.dev === true);
  return Object.entries(packages)
    .filter(([path, entry]) => /^node_modules\/(@[^/]+\/)?[^/@][^/]*$/.test(path) && !devOnly(entry))
    .map(([path]) => path.slice('node_modules/'.length));
}

/** A copy of the app whose node_modules links to the installed production packages only. */
function productionCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'app-without-dev-tenant-'));
  for (const entry of APP_FILES) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  for (const name of productionPackages()) {
    const installed = join(ROOT, 'node_modules', name);
    if (!existsSync(installed)) continue; // an optional package for another platform
    mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
    symlinkSync(installed, join(dir, 'node_modules', name));
  }
  return dir;
}

describe('npm start after npm ci --omit=dev (no development tenant installed)', () => {
  let app: string;
  let tenant: DevTenant;

  before(async () => {
    app = productionCopy();
    tenant = await startTenant({ redirectUris: ['http://localhost:8000/auth/redirect'] });
  });
  after(async () => {
    await tenant.close();
    rmSync(app, { recursive: true, force: true });
  });

  it('should leave the development tenant out of the copy when it is a devDependency', () => {
    assert.equal(existsSync(join(app, 'node_modules/@contoso/dev-tenant')), false);
    assert.equal(existsSync(join(app, 'node_modules/oidc-provider')), false);
    assert.equal(existsSync(join(app, 'node_modules/express')), true);
  });

  it('should stop with one line saying how to configure a tenant or install the development tenant when no tenant is configured', () => {
    const result = spawnSync(process.execPath, ['src/start.ts'], {
      cwd: app, env: { ...process.env, CLIENT_ID: '', AUTHORITY: '', CLIENT_SECRET: '' }, encoding: 'utf8', timeout: 20_000,
    });
    assert.equal(result.status, 1);
    assert.equal(result.stderr, 'Configuration error: no tenant is configured and the development tenant is not installed: '
      + 'set CLIENT_ID, AUTHORITY and CLIENT_SECRET in .env (see .env.sample), or run `npm install` (without --omit=dev) to get the development tenant\n');
    assert.equal(result.stdout, '');
  });

  it('should sign a user in and call Graph when a tenant is configured', async () => {
    const port = await freePort();
    const origin = `http://localhost:${port}`;
    const launched = await launchApp({
      AUTHORITY: tenant.authority, CLIENT_ID: tenant.clientId, CLIENT_SECRET: tenant.clientSecret, GRAPH_ENDPOINT: tenant.graphEndpoint,
      REDIRECT_URI: `${origin}/auth/redirect`, PORT: String(port), SESSION_SECRET: 'a-session-secret-for-the-production-copy-01',
      NODE_EXTRA_CA_CERTS: tenant.caFile, DATA_DIR: join(app, '.data'), REDIS_URL: '',
    }, `${origin}/`, 20_000, app);
    try {
      const agent = new Agent();
      const home = await pickAccount(agent, { origin }, await agent.go(`${origin}/auth/sign_in`), 'Megan Bowen');
      assert.match(home.body, /Hello Megan Bowen!/);
      assert.equal((await agent.go(`${origin}/call_ms_graph`)).status, 200);
      assert.doesNotMatch(launched.output(), /development tenant/i);
    } finally {
      await launched.stop();
    }
  });
});
