import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DevTenant } from '@contoso/dev-tenant';
import { rawGet } from '../../helpers/raw-http.ts';
import { Agent, b2cSettings, signIn, startApp, startTenant, useStack } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';
import type { Page } from '@contoso/dev-tenant/agent';

/** Request targets that name another host once a browser or a URL parser reads them (CWE-601). */
const HOSTILE_PATHS = [
  '//evil.example/', '///evil.example/', '//evil.example/token_details?x=1', '/\\evil.example/', '\\/evil.example/',
  '/\\/evil.example/', '/%2F%2Fevil.example/', '/%2f/evil.example/', '/%5Cevil.example/', '/%5C%5Cevil.example/',
  '/\t/evil.example/', '/\n/evil.example/', '/%09/evil.example/', '/%0A/evil.example/', '/./\\evil.example/',
  '/.//evil.example/', '/x/..//evil.example/', '//evil.example@localhost/', '//localhost@evil.example/',
];

function portOf(app: AppUnderTest): number {
  return Number(new URL(app.origin).port);
}

/** Where a browser that sent a request to `host` goes with this Location (undefined: no redirect). */
function destination(location: string | undefined, host: string): string | undefined {
  return location === undefined ? undefined : new URL(location, `http://${host}/`).origin;
}

/** Every hop of a walk through the app and the tenant stayed on one of `origins`. */
function assertHopsWithin(page: Page, origins: readonly string[]): void {
  for (const hop of page.hops) {
    if (hop.location === undefined) continue;
    const origin = new URL(hop.location, hop.url).origin;
    assert.ok(origins.includes(origin), `${hop.url} redirected to ${hop.location}`);
  }
}

describe('redirects never leave the app', () => {
  const stack = useStack();

  it('should send 127.0.0.1 and [::1] visitors to the same path on localhost, not to another host, when the path is //host, /\\host or an encoded variant', async () => {
    const { app } = stack;
    const port = portOf(app);
    const direct = await rawGet(port, '//evil.example/', `127.0.0.1:${port}`);
    assert.equal(direct.status, 302);
    assert.equal(direct.headers['location'], `${app.origin}/evil.example/`);
    for (const host of [`127.0.0.1:${port}`, `[::1]:${port}`]) {
      let redirected = 0;
      for (const path of HOSTILE_PATHS) {
        const response = await rawGet(port, path, host);
        assert.ok([302, 400].includes(response.status), `${JSON.stringify(path)} at ${host}: ${response.status}`);
        if (response.status !== 302) continue;
        redirected++;
        assert.equal(destination(response.headers['location'], host), app.origin, `${JSON.stringify(path)} at ${host}`);
      }
      assert.ok(redirected > 0, `some hostile path at ${host} is redirected (and its destination checked)`);
    }
  });

  it('should keep the redirect target on the app\'s origin when the query carries //host', async () => {
    const { app } = stack;
    const port = portOf(app);
    const response = await rawGet(port, '/token_details?next=//evil.example/&x=/\\evil.example', `127.0.0.1:${port}`);
    assert.equal(response.status, 302);
    assert.equal(response.headers['location'], `${app.origin}/token_details?next=//evil.example/&x=/\\evil.example`);
  });

  it('should answer every route on its own host without a redirect to another origin when the path carries //host, /\\host or an encoded variant', async () => {
    const { app, tenant } = stack;
    const port = portOf(app);
    const host = `localhost:${port}`;
    const prefixes = ['', '/auth', '/auth/sign_in', '/auth/sign_out', '/auth/post_sign_out', '/auth/redirect', '/css', '/images',
      '/vendor/bootstrap', '/call_ms_graph', '/token_details', '/claims_dashboard', '/groups'];
    for (const prefix of prefixes) {
      for (const path of HOSTILE_PATHS) {
        const target = prefix === '' ? path : `${prefix}${path.replace(/^[^/\\]*/, '')}`;
        const response = await rawGet(port, target, host);
        const to = destination(response.headers['location'], host);
        // Only the sign-in route may leave, and only for the configured authority.
        assert.ok(to === undefined || to === app.origin || (to === new URL(tenant.authority).origin && target.startsWith('/auth/sign_in?')),
          `${JSON.stringify(target)}: ${response.status} → ${response.headers['location']}`);
      }
    }
  });

  it('should come back to a page of the app after sign-in when `next` is //host, /\\host or an encoded variant', async () => {
    const { app, tenant } = stack;
    const origins = [app.origin, new URL(tenant.authority).origin];
    for (const next of [...HOSTILE_PATHS, 'https://evil.example/', 'javascript:alert(1)', '/\\/evil.example', '\t//evil.example']) {
      const agent = new Agent();
      agent.stopBefore = (url) => !origins.includes(new URL(url).origin); // never fetch another host
      const page = await signIn(agent, app, 'Megan Bowen', next);
      assertHopsWithin(page, origins);
      assert.equal(page.url, `${app.origin}/`, `next=${JSON.stringify(next)}`);
      assert.equal(page.status, 200);
    }
  });

  it('should link the 401 page\'s Sign In button to a sign-in that returns to the same page of the app when its URL carries //host', async () => {
    const { app, tenant } = stack;
    const agent = new Agent();
    const denied = await agent.go(`${app.origin}/token_details?next=//evil.example/&back=https://evil.example`);
    assert.equal(denied.status, 401);
    const href = /<a class="btn btn-primary" href="([^"]*)"/.exec(denied.body)?.[1]?.replace(/&amp;/g, '&');
    assert.ok(href);
    assert.equal(new URL(href, app.origin).origin, app.origin);
    const page = await signIn(agent, app, 'Megan Bowen', new URL(href, app.origin).searchParams.get('next') ?? undefined);
    assertHopsWithin(page, [app.origin, new URL(tenant.authority).origin]);
    assert.equal(page.url, `${app.origin}/token_details?next=//evil.example/&back=https://evil.example`);
    assert.equal(page.status, 200);
  });

  it('should go home from sign-out and post-sign-out whatever they are given', async () => {
    const { app } = stack;
    const agent = new Agent();
    for (const path of ['/auth/post_sign_out?next=//evil.example/', '/auth/sign_out?next=//evil.example/', '/auth/post_sign_out?post_logout_redirect_uri=https://evil.example/']) {
      const response = await agent.raw(`${app.origin}${path}`);
      assert.equal(response.status, 303, path);
      const home = path.startsWith('/auth/post_sign_out') ? '/?notice=signed_out' : '/';
      assert.equal(response.headers.get('location'), home, path);
    }
  });
});

describe('redirects never leave the app (B2C cancel)', () => {
  let tenant: DevTenant;
  let app: AppUnderTest;
  before(async () => {
    tenant = await startTenant({ shape: 'b2c' });
    app = await startApp(tenant, b2cSettings(tenant));
  });
  after(async () => {
    await app?.close();
    await tenant?.close();
  });

  it('should go to the app\'s home page after the user cancels (AADB2C90091) a sign-in whose `next` was //host', async () => {
    for (const next of ['//evil.example/', '/\\evil.example/', '/%2F%2Fevil.example/']) {
      const agent = new Agent();
      const picker = await agent.go(`${app.origin}/auth/sign_in?${new URLSearchParams({ next })}`);
      const home = await agent.submit(picker, /^Cancel$/);
      assertHopsWithin(home, [app.origin, new URL(tenant.authority).origin]);
      assert.equal(home.url, `${app.origin}/`);
      assert.equal(home.status, 200);
    }
  });
});
