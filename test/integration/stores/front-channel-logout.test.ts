import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { DevTenant } from '@contoso/dev-tenant';
import { buildConfig } from '../../../src/config/index.ts';
import { createLogger } from '../../../src/log.ts';
import { openStores } from '../../../src/stores/index.ts';
import type { Stores } from '../../../src/stores/index.ts';
import { frontChannelUrl, sessionIdOf } from '../../helpers/front-channel.ts';
import { rawSettings } from '../../helpers/settings.ts';
import { Agent, signIn, startApp, startTenant } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';
import { keyEntry, tempDir } from './helpers.ts';
import { STORE_KINDS } from './store-kinds.ts';

const REDIS_URL = process.env['REDIS_URL'];

/**
 * Two instances' stores over one backing store, each with its own connection, as two processes
 * would open them: the same SQLite file, or the same Redis database and namespace.
 */
async function sharedStores(kind: 'sqlite' | 'redis'): Promise<{ instances: Stores[]; dispose: () => Promise<void> }> {
  const data = kind === 'sqlite' ? await tempDir('stores-fcl-') : undefined;
  const config = buildConfig(rawSettings({
    clientId: randomUUID(), clientSecret: 's', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    ...(kind === 'redis' ? { redisUrl: REDIS_URL } : { dataDir: data!.path }), tokenCacheKeys: keyEntry('k1'), logLevel: 'silent',
  }));
  const instances = [await openStores(config, createLogger('silent')), await openStores(config, createLogger('silent'))];
  for (const stores of instances) {
    for (let i = 0; i < 20 && !(await stores.ping().then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 100));
  }
  return {
    instances,
    dispose: async () => {
      for (const stores of instances) await stores.close();
      await data?.remove();
    },
  };
}

for (const { kind, skip } of STORE_KINDS) {
  describe(`front-channel logout across two instances (${kind} store)`, { skip, timeout: 60_000 }, () => {
    let tenant: DevTenant;
    let shared: Awaited<ReturnType<typeof sharedStores>>;
    let apps: AppUnderTest[];

    before(async () => {
      tenant = await startTenant();
      shared = await sharedStores(kind);
      apps = await Promise.all(shared.instances.map((stores) => startApp(tenant, {}, {
        sessionStore: stores.sessionStore, tokenCaches: stores.tokenCaches, signIns: stores.signIns, storePing: stores.ping,
      })));
      await Promise.all(apps.map((app) => app.metadata.get()));
    });
    after(async () => {
      for (const app of apps ?? []) await app.close();
      await shared?.dispose();
      await tenant?.close();
    });

    it('should end at instance B the session a front-channel logout at instance A names', async () => {
      const [a, b] = [apps[0]!, apps[1]!];
      const [storesA, storesB] = [shared.instances[0]!, shared.instances[1]!];
      const agent = new Agent();
      await signIn(agent, b);
      const sessionId = sessionIdOf(agent.cookie(b.origin, 'sid'));
      const stored = await promisify(storesA.sessionStore.get.bind(storesA.sessionStore))(sessionId);
      assert.ok(stored?.user, 'instance A sees the session made at instance B');
      const { sid, iss } = stored.user.claims as { sid: string; iss: string };
      assert.equal((await storesA.signIns.find(sid)).length, 1, 'the sign-in at B is in the index A reads');

      const response = await fetch(frontChannelUrl(a.origin, { iss, sid }));
      assert.equal(response.status, 200);
      await response.body?.cancel();
      const page = await agent.raw(`${b.origin}/token_details`);
      await page.body?.cancel();
      assert.equal(page.status, 401, 'the cookie is signed out at instance B');
      assert.equal(await storesB.tokenCaches.get(stored.user.cacheKey), undefined, 'the token cache is gone from the shared store');
      assert.deepEqual(await storesB.signIns.find(sid), [], 'the index entry is gone');
    });

    it('should keep the session at instance B when a front-channel logout at instance A names an unknown sid or another issuer', async () => {
      const [a, b] = [apps[0]!, apps[1]!];
      const agent = new Agent();
      await signIn(agent, b);
      const stored = await promisify(shared.instances[0]!.sessionStore.get.bind(shared.instances[0]!.sessionStore))(sessionIdOf(agent.cookie(b.origin, 'sid')));
      const { sid, iss } = stored!.user.claims as { sid: string; iss: string };
      for (const params of [{ iss, sid: randomUUID() }, { iss: `${iss}x`, sid }]) {
        const response = await fetch(frontChannelUrl(a.origin, params));
        assert.equal(response.status, 200);
        await response.body?.cancel();
      }
      const page = await agent.raw(`${b.origin}/token_details`);
      await page.body?.cancel();
      assert.equal(page.status, 200, 'still signed in at instance B');
    });
  });
}
