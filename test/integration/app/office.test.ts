import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildConfig } from '../../../src/config/index.ts';
import type { RawSettings } from '../../../src/config/index.ts';
import type { DevTenant } from '@contoso/dev-tenant';
import { createLogger } from '../../../src/log.ts';
import { openStores } from '../../../src/stores/index.ts';
import type { Stores } from '../../../src/stores/index.ts';
import { hammer, junkCallback, liveCallbacks, officeSignIns, sqliteRows } from '../../helpers/office.ts';
import { rawSettings } from '../../helpers/settings.ts';
import { Agent, startApp, startTenant } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';

/** The defaults an operator gets (the test stack raises the limits for every other test). */
const DEFAULT_LIMITS: Partial<RawSettings> = { authRateLimitPerMinute: undefined, authCallbackRateLimitPerMinute: undefined };
const OFFICE = 300;
const CONCURRENCY = 16;

describe('an office of 300 behind one address, with the default sign-in limits', { timeout: 180_000 }, () => {
  let tenant: DevTenant;
  let app: AppUnderTest;
  before(async () => {
    tenant = await startTenant({ extraUsers: OFFICE });
    app = await startApp(tenant, DEFAULT_LIMITS);
    await app.metadata.get();
  });
  after(async () => {
    await app?.close();
    await tenant?.close();
  });

  it('should sign in 300 users from one address within two minutes and show each of them Call Graph when the limits are the defaults', async () => {
    const users = tenant.users.map((u) => u.displayName).filter((name) => name.startsWith('Test User '));
    assert.equal(users.length, OFFICE);
    const office = await officeSignIns(app.origin, users, CONCURRENCY);
    assert.deepEqual(office.failed.slice(0, 5), [], `${office.failed.length} of ${OFFICE} failed`);
    assert.ok(office.ms < 120_000, `took ${Math.round(office.ms)} ms`);
    assert.equal(await app.sessionCount(), OFFICE, 'one session per signed-in user, none for the sign-ins under way');
  });
});

/** The embedded SQLite store as `npm start` opens it, in a fresh DATA_DIR, with its rows counted by SQL. */
async function sqliteStores(tenant: DevTenant) {
  const dataDir = await mkdtemp(join(tmpdir(), 'office-flood-'));
  const config = buildConfig(rawSettings({
    authority: tenant.authority, clientId: tenant.clientId, clientSecret: tenant.clientSecret, graphEndpoint: tenant.graphEndpoint,
    redirectUri: 'http://localhost:3000/auth/redirect', responseType: 'code', nodeEnv: 'test', dataDir,
    sessionSecret: 'office-flood-tests-session-secret-0123456789', tokenCacheKeys: `k1:${Buffer.alloc(32, 9).toString('base64')}`,
  }));
  const stores: Stores = await openStores(config, createLogger('silent'));
  const rows = () => sqliteRows(dataDir);
  return { stores, rows, remove: async () => { await stores.close(); await rm(dataDir, { recursive: true, force: true }); } };
}

describe('one client flooding the sign-in routes, with the default sign-in limits', { timeout: 120_000 }, () => {
  let tenant: DevTenant;
  before(async () => {
    tenant = await startTenant();
  });
  after(async () => {
    await tenant?.close();
  });

  it('should store no session row and make no token request when one client without cookies starts 2,000 sign-ins (SQLite store)', async () => {
    const sqlite = await sqliteStores(tenant);
    const app = await startApp(tenant, DEFAULT_LIMITS, { sessionStore: sqlite.stores.sessionStore, tokenCaches: sqlite.stores.tokenCaches });
    try {
      assert.equal(sqlite.stores.kind, 'sqlite');
      tenant.resetCounts();
      const statuses = await hammer(() => `${app.origin}/auth/sign_in`, 2000, 20);
      assert.deepEqual(statuses, { 303: 1200, 429: 800 }, 'the per-address backstop: 1,200 starts a minute');
      assert.deepEqual(sqlite.rows(), { sessions: 0, tombstones: 0 });
      assert.equal(tenant.counts().token, 0);
    } finally {
      await app.close();
      await sqlite.remove();
    }
  });

  it('should keep one cookie jar at five sign-ins in a cookie under 4 KB and store no session when it starts 1,000 sign-ins', async () => {
    const app = await startApp(tenant, DEFAULT_LIMITS);
    try {
      tenant.resetCounts();
      const agent = new Agent();
      assert.deepEqual(await hammer(() => `${app.origin}/auth/sign_in`, 1000, 10, agent), { 303: 1000 });
      const cookie = agent.cookie(app.origin, 'signin')!;
      assert.ok(cookie.length < 4096 - 200, `the transaction cookie holds ${cookie.length} bytes`);
      assert.equal(await app.sessionCount(), 0);
      assert.equal(tenant.counts().token, 0);
    } finally {
      await app.close();
    }
  });

  it('should refuse 2,000 junk callbacks with 400 and make no token request when they carry no sign-in of the client', async () => {
    const app = await startApp(tenant, DEFAULT_LIMITS);
    try {
      tenant.resetCounts();
      const agent = new Agent();
      await agent.raw(`${app.origin}/auth/sign_in`);
      assert.deepEqual(await hammer(() => junkCallback(app.origin), 1000, 20, agent), { 400: 1000 }, 'with a cookie jar');
      assert.deepEqual(await hammer(() => junkCallback(app.origin), 1000, 20), { 400: 1000 }, 'without cookies');
      assert.equal(tenant.counts().token, 0);
      assert.equal(await app.sessionCount(), 0);
    } finally {
      await app.close();
    }
  });

  it('should answer 429 beyond 600 callbacks a minute from one address when each carries a live sign-in', async () => {
    const app = await startApp(tenant, DEFAULT_LIMITS);
    try {
      tenant.resetCounts();
      const statuses = await liveCallbacks(app.origin, 620, 16);
      assert.deepEqual(statuses, { 400: 600, 429: 20 }, 'made-up codes are rejected by the authority; then the ceiling');
      assert.equal(tenant.counts().token, 600, 'at most 600 token requests a minute for one address');
      assert.equal(await app.sessionCount(), 0);
    } finally {
      await app.close();
    }
  });
});
