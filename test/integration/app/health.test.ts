import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createLogger } from '../../../src/log.ts';
import { GuardedSessionStore, GuardedTokenCacheStore } from '../../../src/stores/guard.ts';
import { SqliteDatabase, SqliteSessionStore, SqliteTokenCacheStore } from '../../../src/stores/sqlite.ts';
import { Agent, signIn, startApp, useStack } from '../../helpers/stack.ts';

describe('health endpoints', () => {
  const stack = useStack();

  it('should answer /healthz with 200 and no cookie', async () => {
    const response = await fetch(`${stack.app.origin}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
    assert.equal(response.headers.getSetCookie().length, 0);
  });

  it('should answer /readyz with 200 when the store answers and the metadata is loaded', async () => {
    const response = await fetch(`${stack.app.origin}/readyz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ready', store: 'ok', authority: 'ok' });
  });

  it('should answer /readyz with 503 while the store fails, naming no secret', async () => {
    const app = await startApp(stack.tenant, {}, { storePing: async () => { throw new Error('ECONNREFUSED redis://:hunter2@10.0.0.1'); } });
    try {
      await app.metadata.get();
      const response = await fetch(`${app.origin}/readyz`);
      assert.equal(response.status, 503);
      const body = await response.text();
      assert.deepEqual(JSON.parse(body), { status: 'not ready', store: 'unavailable', authority: 'ok' });
      assert.doesNotMatch(body, /hunter2|10\.0\.0\.1/);
    } finally {
      await app.close();
    }
  });

  it('should answer /readyz with 503 until the authority metadata loads, then 200', async () => {
    const app = await startApp(stack.tenant);
    try {
      stack.tenant.injectFault('discovery', { status: 500 });
      const first = await fetch(`${app.origin}/readyz`);
      assert.equal(first.status, 503);
      assert.equal(((await first.json()) as { authority: string }).authority, 'not loaded');
      let status = 0;
      for (let i = 0; i < 40 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = (await fetch(`${app.origin}/readyz`)).status;
      }
      assert.equal(status, 200);
    } finally {
      stack.tenant.clearFaults();
      await app.close();
    }
  });
});

describe('a store that fails mid-run', () => {
  const stack = useStack();

  it('should answer 503 pages, keep serving and never 500', async () => {
    const db = new SqliteDatabase(join(mkdtempSync(join(tmpdir(), 'store-fail-')), 'app.db'));
    const logger = createLogger('silent');
    const app = await startApp(stack.tenant, {}, {
      sessionStore: new GuardedSessionStore(new SqliteSessionStore(db), logger),
      tokenCaches: new GuardedTokenCacheStore(new SqliteTokenCacheStore(db, 3_600_000), logger),
      storePing: async () => db.ping(),
    });
    try {
      const agent = new Agent();
      await signIn(agent, app);
      assert.equal((await agent.go(`${app.origin}/call_ms_graph`)).status, 200);
      db.close();
      for (const path of ['/token_details', '/call_ms_graph', '/auth/sign_in']) {
        const page = await agent.go(`${app.origin}${path}`);
        assert.equal(page.status, 503, path);
        assert.match(page.body, /STORE_UNAVAILABLE/);
      }
      assert.equal((await fetch(`${app.origin}/healthz`)).status, 200, 'the process is fine');
      assert.equal((await fetch(`${app.origin}/readyz`)).status, 503);
    } finally {
      await app.close();
    }
  });
});
