/**
 * The callback's RFC 9207 mix-up defence (src/auth/identity.ts checkResponseIssuer): against Entra,
 * which neither promises nor sends `iss`, and against an authority that does (the development
 * tenant's `authorizationResponseIss` option).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';

import type { DevTenant, DevTenantOptions } from '@contoso/dev-tenant';
import { Agent, startApp, startTenant } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';

/** Runs a sign-in up to the callback and returns the callback URL without following it. */
async function callbackUrl(agent: Agent, app: AppUnderTest): Promise<URL> {
  const picker = await agent.go(`${app.origin}/auth/sign_in`);
  agent.stopBefore = (url) => url.startsWith(`${app.origin}/auth/redirect`);
  try {
    const page = await agent.submit(picker, /Megan Bowen/);
    return new URL(page.hops.at(-1)!.location!, page.url);
  } finally {
    agent.stopBefore = undefined;
  }
}

/** A tenant started with `options` and an app on its single-tenant authority, for the enclosing describe. */
function useTenantAndApp(options: DevTenantOptions): { tenant: DevTenant; app: AppUnderTest } {
  const stack = {} as { tenant: DevTenant; app: AppUnderTest };
  before(async () => {
    stack.tenant = await startTenant(options);
    stack.app = await startApp(stack.tenant);
  });
  after(async () => {
    await stack.app?.close();
    await stack.tenant?.close();
  });
  beforeEach(() => stack.tenant.resetCounts());
  return stack;
}

describe('the sign-in callback against Entra (no iss on the authorization response)', () => {
  const stack = useTenantAndApp({});

  it('should sign in at a single-tenant authority when the authorization response carries no iss and the metadata promises none', async () => {
    assert.equal((await stack.app.metadata.get()).authorization_response_iss_parameter_supported, false);
    const agent = new Agent();
    const url = await callbackUrl(agent, stack.app);
    assert.equal(url.searchParams.get('iss'), null, 'the tenant sends no iss, as Entra does');
    const page = await agent.go(url.href);
    assert.equal(page.status, 200);
    assert.match(page.body, /Hello Megan Bowen!/);
    assert.equal(stack.tenant.counts().token, 1);
  });
});

describe('the sign-in callback against an RFC 9207 authority (iss promised and sent)', () => {
  const stack = useTenantAndApp({ authorizationResponseIss: true });

  it('should refuse an authorization response whose iss is another issuer, before any token request (RFC 9207)', async () => {
    const agent = new Agent();
    const url = await callbackUrl(agent, stack.app);
    assert.equal(url.searchParams.get('iss'), (await stack.app.metadata.get()).issuer, 'the tenant sends iss');
    url.searchParams.set('iss', 'https://evil.example/v2.0');
    const page = await agent.go(url.href);
    assert.equal(page.status, 400);
    assert.match(page.body, /iss_mismatch/);
    assert.equal(stack.tenant.counts().token, 0);
  });

  it('should refuse an authorization response without iss when the metadata promises one', async () => {
    assert.equal((await stack.app.metadata.get()).authorization_response_iss_parameter_supported, true);
    const agent = new Agent();
    const url = await callbackUrl(agent, stack.app);
    url.searchParams.delete('iss');
    const page = await agent.go(url.href);
    assert.equal(page.status, 400);
    assert.equal(stack.tenant.counts().token, 0);
  });

  it('should sign in when the authorization response carries the authority\'s own iss', async () => {
    const agent = new Agent();
    const page = await agent.go((await callbackUrl(agent, stack.app)).href);
    assert.equal(page.status, 200);
    assert.match(page.body, /Hello Megan Bowen!/);
  });
});
