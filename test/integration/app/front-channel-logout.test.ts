import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { DevTenant } from '@contoso/dev-tenant';
import { frontChannelFrames, frontChannelUrl, sessionIdOf, startTwoApps } from '../../helpers/front-channel.ts';
import { Agent, signIn } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';

/** What a signed-in browser of `app` holds: its agent, and its session's sid, iss and token-cache key. */
interface SignedIn {
  readonly agent: Agent;
  readonly sid: string;
  readonly iss: string;
  readonly cacheKey: string;
}

async function signedIn(app: AppUnderTest, agent = new Agent()): Promise<SignedIn> {
  const home = await signIn(agent, app);
  assert.match(home.body, /Hello Megan Bowen!/);
  const stored = await promisify(app.sessions.get.bind(app.sessions))(sessionIdOf(agent.cookie(app.origin, 'sid')));
  const { sid, iss } = stored!.user.claims as { sid?: unknown; iss?: unknown };
  assert.ok(typeof sid === 'string' && typeof iss === 'string', 'the ID token carries sid and iss');
  assert.ok(await app.tokenCaches.get(stored!.user.cacheKey), 'the session has a token cache');
  return { agent, sid, iss, cacheKey: stored!.user.cacheKey };
}

/** The logout iframe's request: a cross-site subresource, so no SameSite=Lax cookie comes with it. */
function frontChannel(url: string): Promise<Response> {
  return fetch(url, { redirect: 'manual' });
}

async function status(agent: Agent, url: string): Promise<number> {
  const response = await agent.raw(url);
  await response.body?.cancel();
  return response.status;
}

describe('front-channel logout (GET /auth/front_channel_logout)', { timeout: 60_000 }, () => {
  let tenant: DevTenant;
  let app: AppUnderTest;
  let second: AppUnderTest;

  before(async () => {
    ({ tenant, first: app, second } = await startTwoApps());
  });
  after(async () => {
    await app?.close();
    await second?.close();
    await tenant?.close();
  });

  it('should end the session and delete its token cache when the authority sends the iss and sid of its sign-in', async () => {
    const user = await signedIn(app);
    const response = await frontChannel(frontChannelUrl(app.origin, { iss: user.iss, sid: user.sid }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, new RegExp(`frame-ancestors ${new URL(tenant.authority).origin}(;|$)`), 'only the tenant may frame it');
    assert.doesNotMatch(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers.get('x-frame-options'), null);
    assert.deepEqual(response.headers.getSetCookie(), [], 'no session is made for the request');
    assert.doesNotMatch(await response.text(), /<script/i);
    assert.equal(await status(user.agent, `${app.origin}/token_details`), 401, 'the old cookie is signed out');
    assert.equal(await app.tokenCaches.get(user.cacheKey), undefined, 'the token cache is gone');
    assert.match(app.logs.join(''), /"event":"frontchannel_logout","sessions":1/);
  });

  it('should end the session when the sid comes without iss, as Microsoft Entra ID sends it', async () => {
    const user = await signedIn(app);
    assert.equal((await frontChannel(frontChannelUrl(app.origin, { sid: user.sid }))).status, 200);
    assert.equal(await status(user.agent, `${app.origin}/token_details`), 401);
    assert.equal(await app.tokenCaches.get(user.cacheKey), undefined);
  });

  for (const [name, params] of [
    ['the sid is unknown', (u: SignedIn) => ({ iss: u.iss, sid: crypto.randomUUID() })],
    ['the iss is another issuer', (u: SignedIn) => ({ iss: 'https://login.microsoftonline.com/another-tenant/v2.0', sid: u.sid })],
    ['the sid is missing', (u: SignedIn) => ({ iss: u.iss })],
    ['the sid is repeated', (u: SignedIn) => ({ iss: u.iss, sid: [u.sid, u.sid] })],
  ] as const) {
    it(`should change nothing and still answer 200 with the same page when ${name}`, async () => {
      const user = await signedIn(app);
      const url = new URL(frontChannelUrl(app.origin, {}));
      for (const [key, value] of Object.entries(params(user))) for (const v of [value].flat()) url.searchParams.append(key, v);
      const response = await frontChannel(url.href);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.equal(await response.text(), await (await frontChannel(frontChannelUrl(app.origin, { sid: 'x' }))).text(), 'nothing tells whether the sid exists');
      assert.equal(await status(user.agent, `${app.origin}/token_details`), 200, 'still signed in');
      assert.ok(await app.tokenCaches.get(user.cacheKey), 'the token cache is kept');
      assert.match(app.logs.join(''), /"event":"frontchannel_logout.ignored"/);
    });
  }

  it('should sign the user out here when they sign out of another app of the tenant in the same browser', async () => {
    const agent = new Agent();
    const first = await signedIn(app, agent);
    const home = await signIn(agent, second, 'Megan Bowen');
    assert.match(home.body, /Hello Megan Bowen!/, 'signed in to the second app too');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)![1]!;
    const signOut = await agent.post(`${second.origin}/auth/sign_out`, { _csrf: csrf });
    assert.equal(signOut.status, 303);
    const confirm = await agent.go(signOut.headers.get('location')!);
    const page = await agent.submit(confirm, /^Sign out$/i);
    const frames = frontChannelFrames(page.body);
    const ours = frames.find((src) => src.startsWith(`${app.origin}/auth/front_channel_logout?`));
    assert.ok(ours, `the tenant's sign-out page frames this app's logout URL: ${frames.join(', ')}`);
    assert.equal(new URL(ours).searchParams.get('sid'), first.sid, 'with the sid of the sign-in here');
    assert.equal(await status(agent, `${app.origin}/token_details`), 200, 'signed in until the iframe loads');
    assert.equal((await frontChannel(ours)).status, 200);
    assert.equal(await status(agent, `${app.origin}/token_details`), 401, 'signed out here too');
    assert.equal(await app.tokenCaches.get(first.cacheKey), undefined);
  });

  it('should sign the user out here when the tenant\'s logout page sends the sid without iss, as Entra does', async (t) => {
    tenant.frontChannelLogoutIss(false);
    t.after(() => tenant.frontChannelLogoutIss(true));
    const agent = new Agent();
    await signedIn(app, agent);
    const home = await signIn(agent, second, 'Megan Bowen');
    const signOut = await agent.post(`${second.origin}/auth/sign_out`, { _csrf: /name="_csrf" value="([^"]+)"/.exec(home.body)![1]! });
    const page = await agent.submit(await agent.go(signOut.headers.get('location')!), /^Sign out$/i);
    const ours = frontChannelFrames(page.body).find((src) => src.startsWith(`${app.origin}/auth/front_channel_logout?`));
    assert.ok(ours && !new URL(ours).searchParams.has('iss'), `a call without iss: ${ours}`);
    assert.equal((await frontChannel(ours)).status, 200);
    assert.equal(await status(agent, `${app.origin}/token_details`), 401);
  });
});

describe('front-channel logout of a multi-tenant app', { timeout: 60_000 }, () => {
  let apps: Awaited<ReturnType<typeof startTwoApps>>;

  before(async () => {
    apps = await startTwoApps((tenant) => ({ authorityTypeOverride: 'MULTI_TENANT', authority: tenant.authorities.organizations }));
  });
  after(async () => {
    await apps?.first.close();
    await apps?.second.close();
    await apps?.tenant.close();
  });

  it('should end a guest user\'s session when the logout names the issuer of the user\'s own tenant', async () => {
    const { tenant, first, second } = apps;
    const guest = tenant.guestTenant;
    const agent = new Agent();
    await signIn(agent, first, guest.users[0]!.displayName);
    const stored = await promisify(first.sessions.get.bind(first.sessions))(sessionIdOf(agent.cookie(first.origin, 'sid')));
    assert.equal(stored?.user.claims.tid, guest.tenantId, 'signed in as a user of the guest tenant');
    const home = await signIn(agent, second, guest.users[0]!.displayName);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)![1]!;
    const signOut = await agent.post(`${second.origin}/auth/sign_out`, { _csrf: csrf });
    const page = await agent.submit(await agent.go(signOut.headers.get('location')!), /^Sign out$/i);
    const ours = frontChannelFrames(page.body).find((src) => src.startsWith(`${first.origin}/auth/front_channel_logout?`));
    assert.ok(ours, 'the tenant\'s sign-out page frames the first app');
    assert.equal(new URL(ours).searchParams.get('iss'), stored!.user.claims.iss, 'the iss is the guest tenant\'s issuer');
    assert.equal((await frontChannel(ours)).status, 200);
    assert.equal(await status(agent, `${first.origin}/token_details`), 401);
  });
});
