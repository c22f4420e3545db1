import { createServer } from 'node:http';
import session from 'express-session';
import { after, before } from 'node:test';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { createApp, metadataSourceFor } from '../../src/app.ts';
import type { AppDeps } from '../../src/app.ts';
import type { MetadataSource } from '../../src/auth/metadata.ts';
import { buildConfig } from '../../src/config/index.ts';
import type { Config, RawSettings } from '../../src/config/index.ts';
import { createLogger } from '../../src/log.ts';
import { shutdown } from '../../src/server.ts';
import { MemorySessionStore } from '../../src/stores/memory-sessions.ts';
import { MemoryTokenCacheStore } from '../../src/stores/token-cache.ts';
import { trustCertificateAuthority } from '../../src/tls.ts';
import { startDevTenant } from '@contoso/dev-tenant';
import type { DevTenant, DevTenantOptions } from '@contoso/dev-tenant';
import { Agent } from '@contoso/dev-tenant/agent';
import { rawSettings } from './settings.ts';
import type { Page } from '@contoso/dev-tenant/agent';

/** Shared across test runs so the certificate authority is made once. */
export const TEST_TENANT_DIR = resolve(tmpdir(), 'contoso-identity-devtenant-tests');

let trusted = false;

/** Starts a development tenant on an ephemeral port and trusts its CA in this process. */
export async function startTenant(options: DevTenantOptions = {}): Promise<DevTenant> {
  const tenant = await startDevTenant({ dataDir: TEST_TENANT_DIR, port: 0, ...options });
  if (!trusted) {
    trustCertificateAuthority(tenant.caPem);
    trusted = true;
  }
  return tenant;
}

export interface AppUnderTest {
  readonly origin: string;
  readonly config: Config;
  readonly metadata: MetadataSource;
  readonly tokenCaches: MemoryTokenCacheStore;
  readonly sessions: session.MemoryStore;
  readonly logs: string[];
  /** Sessions held by the session store. */
  sessionCount(): Promise<number>;
  close(): Promise<void>;
}

const BASE: RawSettings = rawSettings({
  responseType: 'code', sessionSecret: 'integration-tests-session-secret-0123456789', nodeEnv: 'test', authRateLimitPerMinute: '100000', authCallbackRateLimitPerMinute: '100000',
  // A redirect URI that is not localhost gets the production rules (config/validate.ts productionReasonOf).
  tokenCacheKeys: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
});

/**
 * Serves the real app (createApp) on an ephemeral localhost port, configured for `tenant`
 * exactly as `npm start` would be with AUTHORITY, CLIENT_ID, CLIENT_SECRET and GRAPH_ENDPOINT set.
 */
export async function startApp(tenant: DevTenant, overrides: Partial<RawSettings> = {}, deps: AppDeps = {}): Promise<AppUnderTest> {
  const server: Server = createServer();
  // `overrides.port`: a port chosen beforehand (processes.ts freePort), when the tenant must know the app's URLs first.
  await new Promise<void>((r) => server.listen(Number(overrides.port ?? 0), '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const config = buildConfig({
    ...BASE,
    authority: tenant.authority, clientId: tenant.clientId, clientSecret: tenant.clientSecret,
    graphEndpoint: tenant.graphEndpoint, redirectUri: `http://localhost:${port}/auth/redirect`, port: String(port),
    ...overrides,
  });
  const logs: string[] = [];
  const logger = createLogger('debug', (line) => logs.push(line));
  const metadata = metadataSourceFor(config);
  const tokenCaches = new MemoryTokenCacheStore();
  // Destroyed sessions stay destroyed, as in the SQLite and Redis stores (tests of those stores: test/integration/stores/).
  const sessions = new MemorySessionStore();
  server.on('request', createApp(config, { logger, metadata, tokenCaches, sessionStore: sessions, ...deps }));
  const sessionCount = () => new Promise<number>((resolve, reject) => sessions.length((err, n) => (err ? reject(err) : resolve(n ?? 0))));
  return { origin: `http://localhost:${port}`, config, metadata, tokenCaches, sessions, logs, sessionCount, close: () => shutdown(server, 100) };
}

/**
 * The settings for an app registered in the B2C-shaped `tenant` (startTenant({ shape: 'b2c' })):
 * its base authority, AUTHORITY_TYPE=B2C, and the user flows `policies` (by default all of the tenant's).
 */
export function b2cSettings(tenant: DevTenant, policies: RawSettings['b2cPolicies'] = tenant.b2c!.policies): Partial<RawSettings> {
  return { authority: tenant.b2c!.base, b2cPolicies: policies, authorityTypeOverride: 'B2C' };
}

/** Walks the whole sign-in: app → tenant's account picker → pick `user` → callback → app. */
export async function signIn(agent: Agent, app: Pick<AppUnderTest, 'origin'>, user = 'Megan Bowen', next?: string): Promise<Page> {
  const start = new URL('/auth/sign_in', app.origin);
  if (next) start.searchParams.set('next', next);
  const picker = await agent.go(start.href);
  if (picker.status !== 200) throw new Error(`expected the account picker, got ${picker.status} at ${picker.url}`);
  return pickAccount(agent, app, picker, user);
}

/**
 * Picks `user` on the tenant's account picker. Switching accounts makes the tenant end its own
 * session first on an interstitial page a browser submits by itself; here it is submitted by hand.
 */
export async function pickAccount(agent: Agent, app: Pick<AppUnderTest, 'origin'>, picker: Page, user: string): Promise<Page> {
  let page = await agent.submit(picker, new RegExp(user));
  for (let i = 0; i < 3 && !page.url.startsWith(app.origin) && /<button[^>]*>Continue<\/button>/.test(page.body); i++) {
    page = await agent.submit(page, /^Continue$/);
  }
  return page;
}

export { Agent };

export interface Stack {
  readonly tenant: DevTenant;
  readonly app: AppUnderTest;
}

/**
 * Registers before/after hooks that start a development tenant and the app for the enclosing
 * describe, with the authority metadata already loaded (as `npm start` does at start-up).
 */
export function useStack(): Stack {
  const stack = {} as { tenant: DevTenant; app: AppUnderTest };
  before(async () => {
    stack.tenant = await startTenant();
    stack.app = await startApp(stack.tenant);
    await stack.app.metadata.get();
  });
  after(async () => {
    await stack.app?.close();
    await stack.tenant?.close();
  });
  return stack;
}
