import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { SessionData } from 'express-session';
import { Agent, signIn, startApp, useStack } from '../../helpers/stack.ts';

function sessionCookie(response: Response, name = 'sid'): string | undefined {
  return response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

describe('session lifetime', () => {
  const stack = useStack();

  it('should end a session idle longer than SESSION_IDLE_TIMEOUT_SECONDS and delete its token cache', async () => {
    const app = await startApp(stack.tenant, { sessionIdleTimeoutSeconds: '1' });
    try {
      const agent = new Agent();
      await signIn(agent, app);
      assert.equal((await agent.go(`${app.origin}/token_details`)).status, 200);
      const caches = app.tokenCaches.size;
      await sleep(1100);
      const page = await agent.go(`${app.origin}/token_details`);
      assert.equal(page.status, 401);
      assert.equal(app.tokenCaches.size, caches - 1);
      assert.match(app.logs.join(''), /"event":"session.expired","reason":"idle"/);
    } finally {
      await app.close();
    }
  });

  it('should sign out a session stored before sessions had their own token cache when it comes back', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    const sid = /^s:([^.]+)\./.exec(decodeURIComponent(agent.cookie(stack.app.origin, 'sid')!))![1]!;
    const get = promisify(stack.app.sessions.get.bind(stack.app.sessions));
    const stored = (await get(sid))!;
    const { cacheKey: _dropped, ...legacyUser } = stored.user;
    await promisify(stack.app.sessions.set.bind(stack.app.sessions))(sid, { ...stored, user: legacyUser } as SessionData);
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 401, 'signed out, not an error');
    assert.match(stack.app.logs.join(''), /"event":"session.expired","reason":"no_cache_key"/);
    assert.match((await agent.go(`${stack.app.origin}/`)).body, /You're not signed in/);
  });

  it('should end a session older than SESSION_MAX_AGE_SECONDS even while it is used', async () => {
    const app = await startApp(stack.tenant, { sessionMaxAgeSeconds: '2', sessionIdleTimeoutSeconds: '60' });
    try {
      const agent = new Agent();
      await signIn(agent, app);
      await sleep(1000);
      assert.equal((await agent.go(`${app.origin}/token_details`)).status, 200);
      await sleep(1100);
      assert.equal((await agent.go(`${app.origin}/token_details`)).status, 401);
    } finally {
      await app.close();
    }
  });

  it('should store no session and keep the sign-in in an HttpOnly, SameSite=Lax cookie of 10 minutes when a browser starts signing in', async () => {
    const before = await stack.app.sessionCount();
    const response = await new Agent().raw(`${stack.app.origin}/auth/sign_in`);
    assert.equal(response.status, 303);
    assert.equal(sessionCookie(response), undefined, 'no session cookie');
    assert.equal(await stack.app.sessionCount(), before, 'no session row');
    const cookie = sessionCookie(response, 'signin') ?? '';
    assert.match(cookie, /; Max-Age=600;/i);
    assert.match(cookie, /; HttpOnly/i);
    assert.match(cookie, /; SameSite=Lax/i);
    assert.ok(cookie.length < 1000, `one sign-in: ${cookie.length} bytes`);
  });

  it('should give a signed-in session the configured absolute lifetime', async () => {
    const agent = new Agent();
    agent.stopBefore = (url) => url.startsWith(`${stack.app.origin}/auth/redirect`);
    const picker = await agent.go(`${stack.app.origin}/auth/sign_in`);
    const stopped = await agent.submit(picker, /Megan Bowen/);
    const callback = await agent.raw(new URL(stopped.hops.at(-1)!.location!, stopped.url).href);
    const expires = Date.parse(/Expires=([^;]+)/i.exec(sessionCookie(callback) ?? '')?.[1] ?? '');
    const lifetime = (expires - Date.now()) / 1000;
    assert.ok(lifetime > 8 * 3600 - 60 && lifetime <= 8 * 3600, `lifetime ${lifetime} s`);
  });
});

describe('behind an https reverse proxy', () => {
  const stack = useStack();

  it('should use a Secure __Host- cookie and HSTS, and keep the configured redirect URI whatever the headers say', async () => {
    const app = await startApp(stack.tenant, { redirectUri: 'https://app.contoso.test/auth/redirect', trustProxy: '1' });
    try {
      const response = await new Agent().raw(`${app.origin}/auth/sign_in`, {
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example', host: 'evil.example' },
      });
      assert.equal(response.status, 303);
      const cookie = sessionCookie(response, '__Host-signin');
      assert.ok(cookie, 'a __Host- cookie for the sign-in');
      assert.match(cookie, /; Secure/i);
      assert.match(cookie, /; Path=\//);
      assert.doesNotMatch(cookie, /Domain=/i);
      assert.ok(cookie.length < 1000, 'a small cookie');
      assert.match(response.headers.get('strict-transport-security') ?? '', /max-age=31536000/);
      const authorize = new URL(response.headers.get('location')!);
      assert.equal(authorize.searchParams.get('redirect_uri'), 'https://app.contoso.test/auth/redirect');
    } finally {
      await app.close();
    }
  });

  it('should keep the configured redirect URI when Host and X-Forwarded-* are forged without a trusted proxy', async () => {
    const response = await new Agent().raw(`${stack.app.origin}/auth/sign_in`, {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
    });
    const authorize = new URL(response.headers.get('location')!);
    assert.equal(authorize.searchParams.get('redirect_uri'), `${stack.app.origin}/auth/redirect`);
    assert.ok(sessionCookie(response, 'signin'), 'the plain cookie name over http');
  });
});

describe('rate limits', () => {
  const stack = useStack();

  it('should answer 429 once a client has started more sign-ins in a minute than AUTH_RATE_LIMIT_PER_MINUTE, and store no session for any', async () => {
    const app = await startApp(stack.tenant, { authRateLimitPerMinute: '5' });
    try {
      const statuses: number[] = [];
      let lastCookie: string | undefined;
      for (let i = 0; i < 7; i++) {
        const response = await fetch(`${app.origin}/auth/sign_in`, { redirect: 'manual' });
        statuses.push(response.status);
        lastCookie = sessionCookie(response, 'signin');
        await response.body?.cancel();
      }
      assert.deepEqual(statuses, [303, 303, 303, 303, 303, 429, 429]);
      assert.equal(lastCookie, undefined, 'a refused sign-in starts nothing');
      assert.equal(await app.sessionCount(), 0, 'sign-in starts store no session');
      const callback = await fetch(`${app.origin}/auth/redirect?code=x&state=y`, { redirect: 'manual' });
      assert.equal(callback.status, 400, 'a callback without a sign-in of this browser is refused, not counted');
    } finally {
      await app.close();
    }
  });

  it('should answer 429 once callbacks worth a token request exceed AUTH_CALLBACK_RATE_LIMIT_PER_MINUTE, without counting junk callbacks', async () => {
    const app = await startApp(stack.tenant, { authCallbackRateLimitPerMinute: '2' });
    try {
      stack.tenant.resetCounts();
      for (let i = 0; i < 5; i++) {
        const junk = await fetch(`${app.origin}/auth/redirect?code=x&state=forged${i}`, { redirect: 'manual' });
        assert.equal(junk.status, 400);
      }
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const agent = new Agent();
        const state = new URL((await agent.raw(`${app.origin}/auth/sign_in`)).headers.get('location')!).searchParams.get('state')!;
        statuses.push((await agent.raw(`${app.origin}/auth/redirect?code=not-a-code&state=${state}`)).status);
      }
      assert.deepEqual(statuses, [400, 400, 429], 'two rejected codes, then the limit');
      assert.equal(stack.tenant.counts().token, 2, 'only the counted callbacks reached the token endpoint');
    } finally {
      await app.close();
    }
  });
});
