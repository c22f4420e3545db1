import assert from 'node:assert/strict';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { SessionData } from 'express-session';
import type { DevTenant } from '@contoso/dev-tenant';
import { Agent, signIn, startApp, startTenant } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';
import { csrfOf, waitFor } from './helpers.ts';
import { openTestStores, STORE_KINDS } from './store-kinds.ts';
import type { OpenedStores } from './store-kinds.ts';

/** How long the tenant holds the slow request's Graph or token call: long enough to sign out meanwhile. */
const SLOW_MS = 1500;

/** The session id inside a signed `sid` cookie (`s:<sid>.<signature>`). */
function sidOf(cookie: string): string {
  const sid = /^s:([^.]+)\./.exec(decodeURIComponent(cookie))?.[1];
  assert.ok(sid, `a signed session cookie: ${cookie}`);
  return sid;
}

for (const { kind, skip } of STORE_KINDS) {
  describe(`sign-out racing a slow request (${kind} store)`, { skip, timeout: 60_000 }, () => {
    let tenant: DevTenant;
    let stores: OpenedStores;
    let app: AppUnderTest;

    before(async () => {
      // Access tokens of 2 minutes: MSAL refreshes those due within 5 minutes, so every Call Graph refreshes.
      tenant = await startTenant({ accessTokenTtlSeconds: 120 });
      stores = await openTestStores(kind);
      app = await startApp(tenant, {}, { sessionStore: stores.sessionStore, tokenCaches: stores.tokenCaches, storePing: stores.ping });
      await app.metadata.get();
    });
    after(async () => {
      await app?.close();
      await stores?.dispose();
      await tenant?.close();
    });

    /** Signs Megan in; returns her agent, session id, sign-out token and the session's token-cache key. */
    async function signedIn(): Promise<{ agent: Agent; sid: string; csrf: string; cacheKey: string }> {
      const agent = new Agent();
      const home = await signIn(agent, app);
      assert.match(home.body, /Hello Megan Bowen!/);
      const sid = sidOf(agent.cookie(app.origin, 'sid')!);
      const cacheKey = (await stores.session(sid))?.user?.cacheKey;
      assert.ok(cacheKey && await stores.tokenCaches.get(cacheKey), 'the session has its own stored token cache');
      return { agent, sid, csrf: csrfOf(home), cacheKey };
    }

    function signOut(agent: Agent, csrf: string): Promise<Response> {
      return agent.raw(`${app.origin}/auth/sign_out`, {
        method: 'POST', body: new URLSearchParams({ _csrf: csrf }), headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    }

    /** Starts Call Graph, waits until its `target` call is held at the tenant, signs out, then lets it finish. */
    async function signOutDuringCallGraph(agent: Agent, csrf: string, target: 'graph' | 'token'): Promise<number> {
      const seen = tenant.counts()[target];
      tenant.injectFault(target, { status: 0, delayMs: SLOW_MS });
      const slow = agent.raw(`${app.origin}/call_ms_graph`);
      assert.ok(await waitFor(async () => tenant.counts()[target] > seen, 5000, 10), `the ${target} call is under way`);
      assert.equal((await signOut(agent, csrf)).status, 303);
      const response = await slow;
      await response.body?.cancel();
      return response.status;
    }

    it('should keep the session deleted when a request that loaded it before sign-out saves it afterwards', async () => {
      const { agent, sid, csrf } = await signedIn();
      const cookie = agent.cookie(app.origin, 'sid')!;
      // A minute has passed since the last request: the next one rewrites lastSeenAt, so it saves the session.
      const stored = (await stores.session(sid))!;
      await promisify(stores.sessionStore.set.bind(stores.sessionStore))(sid, { ...stored, lastSeenAt: Date.now() - 61_000 } as SessionData);
      tenant.resetCounts();
      await signOutDuringCallGraph(agent, csrf, 'graph');

      assert.equal(await stores.session(sid), null, 'the store holds no session for the signed-out sid');
      const replay = new Agent();
      replay.setCookie(app.origin, 'sid', cookie);
      assert.equal((await replay.raw(`${app.origin}/token_details`)).status, 401, 'the signed-out cookie stays dead');
    });

    it('should not recreate the token cache when a refresh under way at sign-out stores it afterwards', async () => {
      const { agent, csrf, cacheKey } = await signedIn();
      tenant.resetCounts();
      await signOutDuringCallGraph(agent, csrf, 'token');
      assert.equal(tenant.counts().token, 1, 'the slow request refreshed its access token');
      assert.equal(await stores.tokenCaches.get(cacheKey), undefined, 'the signed-out session\'s tokens stay deleted');
    });
  });
}
