/**
 * The app's real stores (openStores: sealed, guarded, SQLite or Redis), opened in the test process so
 * that store-level and HTTP-level tests run against the semantics production has. Redis runs only
 * when REDIS_URL is set (CI sets it; locally: REDIS_URL=redis://127.0.0.1:6379/3).
 */
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import type { SessionData } from 'express-session';
import { buildConfig } from '../../../src/config/index.ts';
import { createLogger } from '../../../src/log.ts';
import { openStores } from '../../../src/stores/index.ts';
import type { Stores } from '../../../src/stores/index.ts';
import { rawSettings } from '../../helpers/settings.ts';
import { keyEntry, tempDir } from './helpers.ts';

const REDIS_URL = process.env['REDIS_URL'];

export interface StoreKind {
  readonly kind: 'sqlite' | 'redis';
  /** A reason to skip, or false. */
  readonly skip: string | false;
}

export const STORE_KINDS: readonly StoreKind[] = [
  { kind: 'sqlite', skip: false },
  { kind: 'redis', skip: REDIS_URL ? false : 'REDIS_URL is not set (CI sets it; locally: REDIS_URL=redis://127.0.0.1:6379/3)' },
];

export interface OpenedStores extends Stores {
  /** The namespace (client id) the stores were opened with: an app using them must use the same. */
  readonly clientId: string;
  /** The session stored under `sid`, or null. */
  session(sid: string): Promise<SessionData | null>;
  /** Closes the stores and removes the SQLite folder. */
  dispose(): Promise<void>;
}

/** Opens the stores of `kind` under a fresh namespace (Redis) or folder (SQLite), ready to answer. */
export async function openTestStores(kind: StoreKind['kind'], clientId = randomUUID(), maxAgeSeconds = 3600): Promise<OpenedStores> {
  const data = kind === 'sqlite' ? await tempDir('stores-cas-') : undefined;
  const config = buildConfig(rawSettings({
    clientId, clientSecret: 's', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    ...(kind === 'redis' ? { redisUrl: REDIS_URL } : { dataDir: data!.path }),
    tokenCacheKeys: keyEntry('k1'), logLevel: 'silent', sessionMaxAgeSeconds: String(maxAgeSeconds),
  }));
  const stores = await openStores(config, createLogger('silent'));
  for (let i = 0; i < 20; i++) {
    if (await stores.ping().then(() => true, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const get = promisify(stores.sessionStore.get.bind(stores.sessionStore));
  return {
    ...stores,
    clientId,
    session: async (sid) => (await get(sid)) ?? null,
    dispose: async () => {
      await stores.close();
      await data?.remove();
    },
  };
}
