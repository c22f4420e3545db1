import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DemoUser, DevTenant } from '@contoso/dev-tenant';
import { freePort } from '../../helpers/processes.ts';
import type { Launched } from '../../helpers/processes.ts';
import { startTenant } from '../../helpers/stack.ts';
import { Agent, keyEntry, originOf, settleWithLimit, signInAt, spawnApp, tempDir } from './helpers.ts';

/** 11 named demo users plus 100 generated ones: 111 distinct users, one session each. */
const EXTRA_USERS = 100;
/** Every user signs in at the same time. */
const SIGN_IN_CONCURRENCY = EXTRA_USERS + 11;
const REDIS_URL = process.env['REDIS_URL'];

interface UserSession {
  readonly user: DemoUser;
  readonly agent: Agent;
  /** The instance (0 = A, 1 = B) the user signed in on. */
  readonly home: 0 | 1;
}

interface Outcome {
  readonly target: 0 | 1;
  readonly status: number;
  readonly body: string;
}

describe(`${EXTRA_USERS + 11} users at once on two instances sharing one store`, { timeout: 180_000 }, () => {
  let tenant: DevTenant;
  let data: { path: string; remove: () => Promise<void> } | undefined;
  const apps: Launched[] = [];
  const origins: string[] = [];
  let sessions: UserSession[] = [];

  before(async () => {
    tenant = await startTenant({ extraUsers: EXTRA_USERS });
    const ports = [await freePort(), await freePort()];
    origins.push(...ports.map(originOf));
    data = REDIS_URL ? undefined : await tempDir('stores-isolation-');
    const shared = REDIS_URL ? { REDIS_URL, TOKEN_CACHE_KEYS: keyEntry('k1') } : { DATA_DIR: data!.path, TOKEN_CACHE_KEYS: keyEntry('k1') };
    // Both at once, as a load balancer's instances start: they open the same fresh SQLite file together.
    apps.push(...await Promise.all(ports.map((port) => spawnApp(tenant, port, shared))));

    sessions = tenant.users.map((user, i) => ({ user, agent: new Agent(), home: (i % 2) as 0 | 1 }));
    const signedIn = await settleWithLimit(sessions, SIGN_IN_CONCURRENCY, async ({ user, agent, home }) => {
      const page = await signInAt(agent, origins[home]!, user.displayName);
      if (!page.body.includes(`Hello ${user.displayName}!`)) throw new Error(`${user.displayName} signed in as someone else`);
      // A browser sends localhost cookies to every port; the agent keeps them per host:port.
      agent.setCookie(origins[1 - home]!, 'sid', agent.cookie(origins[home]!, 'sid')!);
    });
    const failed = signedIn.flatMap((r, i) => (r.status === 'rejected' ? [`${sessions[i]!.user.displayName}: ${String(r.reason)}`] : []));
    assert.deepEqual(failed, [], 'every user signed in');
  });
  after(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await tenant?.close();
    await data?.remove();
  });

  /**
   * Every session calls Graph at the same moment; in round 1 the first half of the sessions go to
   * the instance they did not sign in on, in round 2 the second half.
   */
  async function callGraphAtOnce(round: 1 | 2): Promise<Outcome[]> {
    tenant.resetCounts();
    const half = Math.ceil(sessions.length / 2);
    return Promise.all(sessions.map(async ({ agent, home }, i) => {
      const cross = (i < half) === (round === 1);
      const target = (cross ? 1 - home : home) as 0 | 1;
      const response = await agent.raw(`${origins[target]}/call_ms_graph`, { signal: AbortSignal.timeout(60_000) });
      return { target, status: response.status, body: await response.text() };
    }));
  }

  /** Each call answered 200 for its own user, and Graph saw each user's token exactly once. */
  function assertIsolated(outcomes: Outcome[]): void {
    const wrong = outcomes.flatMap((o, i) => {
      const name = sessions[i]!.user.displayName;
      return o.status === 200 && o.body.includes(`Hello ${name}!`) ? [] : [`${name} via ${'AB'[o.target]}: ${o.status}`];
    });
    assert.deepEqual(wrong, [], 'no errors and no page for another user');
    const perInstance = [0, 1].map((n) => outcomes.filter((o) => o.target === n).length);
    assert.ok(perInstance.every((n) => n >= Math.floor(sessions.length / 2)), `spread over both instances: ${perInstance.join('/')}`);

    const calls = tenant.graphCalls;
    assert.deepEqual(calls.filter((c) => c.status !== 200), [], 'every Graph call succeeded');
    assert.deepEqual(calls.map((c) => c.oid).sort(), sessions.map((s) => s.user.oid).sort(), 'each user\'s token exactly once');
    assert.equal(tenant.counts().token, 0, 'every token came from the user\'s own stored cache');
  }

  for (const round of [1, 2] as const) {
    it(`should serve every session its own user's token when ${EXTRA_USERS + 11} sessions call Graph at once (round ${round})`, async (t) => {
      if (round === 1) t.diagnostic(`store: ${REDIS_URL ? 'Redis (REDIS_URL)' : 'one SQLite DATA_DIR shared by both processes (WAL)'}`);
      const started = performance.now();
      const outcomes = await callGraphAtOnce(round);
      t.diagnostic(`round ${round}: ${outcomes.length} concurrent Call Graph requests in ${Math.round(performance.now() - started)} ms`);
      assertIsolated(outcomes);
    });
  }
});
