import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, signIn, useStack } from '../../helpers/stack.ts';

const JWT = /eyJ[\w-]{10,}\.[\w-]{10,}\./;

function assertSecurityHeaders(headers: Headers, where: string): void {
  const csp = headers.get('content-security-policy') ?? '';
  for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) {
    assert.ok(csp.includes(directive), `${where}: CSP has ${directive}`);
  }
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `${where}: no unsafe CSP`);
  assert.equal(headers.get('x-content-type-options'), 'nosniff', where);
  assert.equal(headers.get('referrer-policy'), 'same-origin', where);
  assert.equal(headers.get('x-powered-by'), null, where);
}

describe('pages', () => {
  const stack = useStack();

  it('should say the visitor is not signed in and show the redirect URI to register', async () => {
    const page = await new Agent().go(`${stack.app.origin}/`);
    assert.equal(page.status, 200);
    assert.match(page.body, /You're not signed in/);
    assert.match(page.body, new RegExp(`${stack.app.origin}/auth/redirect`));
    assert.match(page.body, /href="\/auth\/sign_in"/);
  });

  for (const path of ['/token_details', '/call_ms_graph']) {
    it(`should answer 401 with a Sign In button returning to ${path} when signed out`, async () => {
      const page = await new Agent().go(`${stack.app.origin}${path}`);
      assert.equal(page.status, 401);
      assert.match(page.body, /Sign-in required/);
      assert.match(page.body, new RegExp(`href="/auth/sign_in\\?next=${encodeURIComponent(path).replace(/%/g, '%')}"`));
    });
  }

  it('should answer 404 with the friendly page', async () => {
    const page = await new Agent().go(`${stack.app.origin}/nope`);
    assert.equal(page.status, 404);
    assert.match(page.body, /Page not found/);
  });

  it('should list the ID token claims with readable times and no raw token', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app);
    const page = await agent.go(`${stack.app.origin}/token_details`);
    assert.equal(page.status, 200);
    for (const claim of ['oid', 'tid', 'preferred_username', 'name', 'iss', 'aud']) assert.match(page.body, new RegExp(`<code>${claim}</code>`));
    assert.match(page.body, /GMT \(\d{10}\)/);
    assert.doesNotMatch(page.body, JWT);
  });

  it('should send strict security headers and no-store on pages, errors and auth routes', async () => {
    const agent = new Agent();
    for (const path of ['/', '/nope', '/token_details', '/auth/redirect']) {
      const response = await agent.raw(`${stack.app.origin}${path}`);
      assertSecurityHeaders(response.headers, path);
      assert.equal(response.headers.get('cache-control'), 'no-store', path);
      await response.body?.cancel();
    }
    const signInStart = await agent.raw(`${stack.app.origin}/auth/sign_in`);
    assert.equal(signInStart.headers.get('cache-control'), 'no-store');
    assert.equal(signInStart.headers.get('strict-transport-security'), null, 'no HSTS over http');
  });

  it('should set an HttpOnly, SameSite=Lax session cookie holding no token when the sign-in completes', async () => {
    const agent = new Agent();
    agent.stopBefore = (url) => url.startsWith(`${stack.app.origin}/auth/redirect`);
    const atTenant = await signIn(agent, stack.app);
    agent.stopBefore = undefined;
    const callback = await agent.raw(new URL(atTenant.hops.at(-1)!.location!, atTenant.url).href);
    const cookie = callback.headers.getSetCookie().find((c) => c.startsWith('sid='));
    assert.ok(cookie, 'the callback sets the session cookie');
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    for (const value of agent.cookieValues(stack.app.origin)) assert.doesNotMatch(value, JWT);
  });

  it('should treat a forged, truncated or garbage session cookie as signed out', async () => {
    const owner = new Agent();
    await signIn(owner, stack.app);
    const real = owner.cookie(stack.app.origin, 'sid')!;
    for (const value of ['garbage', 's%3Aforged.signature', 'x'.repeat(3000), '%E0%A4%A', real.slice(0, -5), `${real}x`]) {
      const agent = new Agent();
      agent.setCookie(stack.app.origin, 'sid', value);
      assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 401, value.slice(0, 20));
      assert.equal((await agent.go(`${stack.app.origin}/`)).status, 200);
    }
  });

  it('should send a browser that used 127.0.0.1 to the registered localhost origin', async () => {
    const port = new URL(stack.app.origin).port;
    const response = await fetch(`http://127.0.0.1:${port}/token_details?x=1`, { redirect: 'manual' });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `${stack.app.origin}/token_details?x=1`);
    const same = await fetch(`${stack.app.origin}/`, { redirect: 'manual' });
    assert.equal(same.status, 200);
    await Promise.all([response.body?.cancel(), same.body?.cancel()]);
  });

  it('should serve the vendored Bootstrap stylesheet with its licence header and a one-day cache when a page links it', async () => {
    const page = await new Agent().go(`${stack.app.origin}/`);
    assert.match(page.body, /href="\/vendor\/bootstrap\/bootstrap\.min\.css"/);
    const css = await new Agent().raw(`${stack.app.origin}/vendor/bootstrap/bootstrap.min.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
    assert.equal(css.headers.get('cache-control'), 'public, max-age=86400');
    assert.match((await css.text()).slice(0, 200), /Bootstrap {1,2}v5\.\d+\.\d+ .*\n \* Copyright .*\n \* Licensed under MIT/);
  });

  it('should serve only the vendored files when a path under /vendor names another Bootstrap file', async () => {
    for (const path of ['/vendor/bootstrap/bootstrap.css', '/vendor/bootstrap/bootstrap-grid.min.css', '/vendor/bootstrap/bootstrap.min.css.map']) {
      const response = await new Agent().raw(`${stack.app.origin}${path}`);
      assert.equal(response.status, 404, path);
      await response.body?.cancel();
    }
  });
});
