import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import type { DevTenant } from '@contoso/dev-tenant';
import { freePort } from '../../helpers/processes.ts';
import type { Launched } from '../../helpers/processes.ts';
import { pickAccount, startTenant } from '../../helpers/stack.ts';
import { Agent, keyEntry, originOf, signInAt, spawnApp, tempDir, waitFor } from './helpers.ts';

const MEGAN = 'b52b43cf-be1a-4a5a-a6b8-ca479fe3657f';

/** The sealed token-cache blobs in `<dataDir>/app.db` (read while no app has it open). */
function sealedCaches(dataDir: string): string[] {
  const db = new DatabaseSync(join(dataDir, 'app.db'), { readOnly: true });
  try {
    return (db.prepare('SELECT value FROM token_caches').all() as { value: string }[]).map((row) => row.value);
  } finally {
    db.close();
  }
}

describe('SQLite store across restarts (npm start, same DATA_DIR)', { timeout: 120_000 }, () => {
  let tenant: DevTenant;
  let port: number;
  let origin: string;
  let running: Launched | undefined;

  before(async () => {
    tenant = await startTenant();
    port = await freePort();
    origin = originOf(port);
  });
  after(async () => {
    await running?.stop();
    await tenant?.close();
  });

  /** Starts the app (stopping the previous one with SIGTERM first, which must exit cleanly). */
  async function restart(env: Record<string, string>): Promise<Launched> {
    if (running) {
      await running.stop();
      assert.equal(running.child.exitCode, 0, `SIGTERM ends the app cleanly:\n${running.output()}`);
    }
    running = undefined;
    running = await spawnApp(tenant, port, env);
    assert.match(running.output(), /; sqlite store\)/, 'the SQLite store, whatever REDIS_URL the test runner has');
    return running;
  }

  /** Megan signs in and calls Graph once, which fills her token cache. */
  async function signInAndCallGraph(): Promise<Agent> {
    const agent = new Agent();
    await signInAt(agent, origin, 'Megan Bowen');
    const graph = await agent.raw(`${origin}/call_ms_graph`);
    assert.equal(graph.status, 200);
    await graph.body?.cancel();
    return agent;
  }

  /** The same cookie is signed in, and Call Graph is answered from the cached access token. */
  async function assertStillSignedInWithCachedToken(agent: Agent): Promise<void> {
    tenant.resetCounts();
    const details = await agent.raw(`${origin}/token_details`);
    assert.equal(details.status, 200, 'the session survived the restart');
    assert.match(await details.text(), new RegExp(MEGAN));
    const graph = await agent.raw(`${origin}/call_ms_graph`);
    assert.equal(graph.status, 200, 'Call Graph works after the restart');
    await graph.body?.cancel();
    assert.equal(tenant.counts().token, 0, 'no token request: the access token came from the stored cache');
    assert.equal(tenant.graphCalls.at(-1)?.oid, MEGAN);
  }

  it('should keep the session and the cached access token when the app restarts with TOKEN_CACHE_KEYS', async () => {
    const data = await tempDir('stores-restart-');
    try {
      const env = { DATA_DIR: data.path, TOKEN_CACHE_KEYS: keyEntry('k1') };
      await restart(env);
      const agent = await signInAndCallGraph();
      await restart(env);
      await assertStillSignedInWithCachedToken(agent);
      await running?.stop();
      const blobs = sealedCaches(data.path);
      assert.equal(blobs.length, 1);
      assert.match(blobs[0]!, /^v2\.k1\.[\w-]+\.[\w-]+\.[\w-]+$/, 'sealed with the configured key');
      assert.ok(!blobs[0]!.includes(MEGAN) && !blobs[0]!.includes('Megan'), 'nothing of the cache in clear at rest');
    } finally {
      await running?.stop();
      await data.remove();
    }
  });

  it('should keep the session and the cached access token when the key is generated into DATA_DIR', async () => {
    const data = await tempDir('stores-restart-');
    try {
      const env = { DATA_DIR: data.path };
      const keyFile = join(data.path, 'token-cache.key');
      await restart(env);
      const key = readFileSync(keyFile, 'utf8');
      assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'only the owner may read the key');
      const agent = await signInAndCallGraph();
      await restart(env);
      assert.equal(readFileSync(keyFile, 'utf8'), key, 'the restart reused the key instead of making a new one');
      await assertStillSignedInWithCachedToken(agent);
    } finally {
      await running?.stop();
      await data.remove();
    }
  });

  it('should keep Graph working through a key rotation, and send the user to sign in when the old key is gone', async () => {
    const data = await tempDir('stores-restart-');
    try {
      const k1 = keyEntry('k1');
      const k2 = keyEntry('k2');
      await restart({ DATA_DIR: data.path, TOKEN_CACHE_KEYS: k1 });
      const agent = await signInAndCallGraph();

      await restart({ DATA_DIR: data.path, TOKEN_CACHE_KEYS: `${k2},${k1}` });
      await assertStillSignedInWithCachedToken(agent);

      await running?.stop();
      assert.match(sealedCaches(data.path)[0]!, /^v2\.k1\./, 'precondition: the cache is still sealed with the old key only');
      const app = await restart({ DATA_DIR: data.path, TOKEN_CACHE_KEYS: k2 });
      tenant.resetCounts();
      assert.equal((await agent.raw(`${origin}/token_details`)).status, 200, 'the session does not depend on the token-cache key');
      const graph = await agent.raw(`${origin}/call_ms_graph`);
      assert.equal(graph.status, 303, 'a sign-in, not an error page');
      assert.equal(new URL(graph.headers.get('location')!, origin).pathname, '/auth/sign_in');
      assert.equal(tenant.counts().token, 0);
      // Logs are written asynchronously: give the line a moment to arrive.
      assert.ok(await waitFor(async () => app.output().includes('"event":"token_cache.unreadable"'), 3000), app.output());

      // Signing in again recovers, and the new cache is sealed with the current key.
      const again = await agent.go(new URL(graph.headers.get('location')!, origin).href);
      assert.equal(again.status, 200);
      const back = await pickAccount(agent, { origin } as never, again, 'Megan Bowen');
      assert.equal(back.url, `${origin}/call_ms_graph`);
      assert.equal(back.status, 200);
      await running?.stop();
      assert.match(sealedCaches(data.path)[0]!, /^v2\.k2\./);
    } finally {
      await running?.stop();
      await data.remove();
    }
  });
});

describe('SQLite store start-up on a shared DATA_DIR', { timeout: 60_000 }, () => {
  let tenant: DevTenant;

  before(async () => {
    tenant = await startTenant();
  });
  after(() => tenant?.close());

  it('should wait for a database another process holds briefly instead of failing to start', async () => {
    const data = await tempDir('stores-startup-');
    // What a second instance starting at the same moment does: hold a read lock on the fresh file for a moment.
    const other = new DatabaseSync(join(data.path, 'app.db'));
    other.exec('CREATE TABLE other (x); BEGIN; SELECT * FROM other;');
    const release = setTimeout(() => other.exec('COMMIT'), 500);
    let app: Launched | undefined;
    try {
      const port = await freePort();
      app = await spawnApp(tenant, port, { DATA_DIR: data.path, TOKEN_CACHE_KEYS: keyEntry('k1') });
      assert.equal((await fetch(`${originOf(port)}/readyz`)).status, 200);
    } finally {
      clearTimeout(release);
      other.close();
      await app?.stop();
      await data.remove();
    }
  });
});
