import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createClient } from 'redis';
import { buildConfig } from '../../../src/config/index.ts';
import { createLogger } from '../../../src/log.ts';
import { openStores } from '../../../src/stores/index.ts';
import type { Stores } from '../../../src/stores/index.ts';
import { rawSettings } from '../../helpers/settings.ts';
import { keyEntry } from './helpers.ts';

const REDIS_URL = process.env['REDIS_URL'];
const skip = REDIS_URL ? false : 'REDIS_URL is not set (CI sets it; locally: REDIS_URL=redis://127.0.0.1:6379/3)';

/** The stores of an app with client id `clientId` on the shared Redis database, each app with its own key. */
function storesFor(clientId: string): Promise<Stores> {
  const config = buildConfig(rawSettings({
    clientId, clientSecret: 's', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    redisUrl: REDIS_URL, tokenCacheKeys: keyEntry(clientId.slice(0, 4)), logLevel: 'silent',
  }));
  return openStores(config, createLogger('silent'));
}

describe('two different apps on one Redis database', { skip }, () => {
  const [idA, idB] = [randomUUID(), randomUUID()];
  let a: Stores;
  let b: Stores;
  before(async () => {
    [a, b] = await Promise.all([storesFor(idA), storesFor(idB)]);
    await Promise.all([a.ping(), b.ping()]).catch(async () => {
      await new Promise((r) => setTimeout(r, 200));
      await Promise.all([a.ping(), b.ping()]);
    });
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('should keep each app\'s token cache for the same user apart, under keys namespaced by client id', async () => {
    const account = `${randomUUID()}.${randomUUID()}`;
    await a.tokenCaches.set(account, '{"app":"A"}', 0);
    await b.tokenCaches.set(account, '{"app":"B"}', 0);
    assert.equal((await a.tokenCaches.get(account))?.value, '{"app":"A"}', 'B did not overwrite A');
    assert.equal((await b.tokenCaches.get(account))?.value, '{"app":"B"}');
    const client = createClient({ url: REDIS_URL! });
    await client.connect();
    try {
      assert.equal(await client.exists(`tc:${idA}:${account}`), 1);
      assert.equal(await client.exists(`tc:${idB}:${account}`), 1);
      assert.equal(await client.exists(`tc:${account}`), 0);
    } finally {
      await client.close();
    }
    await a.tokenCaches.delete(account);
    assert.equal(await a.tokenCaches.get(account), undefined);
    assert.equal((await b.tokenCaches.get(account))?.value, '{"app":"B"}', 'deleting A\'s cache leaves B\'s');
    await b.tokenCaches.delete(account);
  });
});
