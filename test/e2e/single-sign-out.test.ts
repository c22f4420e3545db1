import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import type { DevTenant } from '@contoso/dev-tenant';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumUnavailable, trustCertificateFlag } from '../helpers/chromium.ts';
import { startTwoApps } from '../helpers/front-channel.ts';
import type { AppUnderTest } from '../helpers/stack.ts';

const skip = chromiumUnavailable();

/**
 * Single sign-out with two apps registered in one development tenant, in one browser: the tenant runs
 * in this process with both registrations' Front-channel logout URLs, and each app is the real app
 * (createApp) configured with its own registration's client id and secret.
 */
describe('a person signing out of one app of the tenant', { skip, timeout: 60_000 }, () => {
  let tenant: DevTenant;
  let first: AppUnderTest;
  let second: AppUnderTest;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ tenant, first, second } = await startTwoApps());
    // The tenant keeps its server certificate next to its CA; the browser trusts that key only.
    const trust = trustCertificateFlag(join(dirname(tenant.caFile), 'localhost.pem'));
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, trust] });
    page = await browser.newPage();
  });

  after(async () => {
    await browser?.close();
    await first?.close();
    await second?.close();
    await tenant?.close();
  });

  async function signInAt(app: AppUnderTest): Promise<void> {
    await page.goto(`${app.origin}/auth/sign_in`);
    await page.getByRole('button', { name: /Megan Bowen/ }).click();
    await page.waitForURL(`${app.origin}/`);
    assert.equal(await page.getByTestId('greeting').textContent(), 'Hello Megan Bowen!');
  }

  it('should be signed in to both apps with one tenant session when Megan signs in to each', async () => {
    await signInAt(first);
    await signInAt(second);
    const response = await page.goto(`${first.origin}/token_details`);
    assert.equal(response?.status(), 200, 'still signed in to the first app');
  });

  it('should sign Megan out of the first app when she signs out of the second, through the tenant\'s logout iframes', async (t) => {
    const tenantOrigin = new URL(tenant.authority).origin;
    const refused: string[] = [];
    page.on('console', (message) => { if (/frame-ancestors|Refused to (frame|display)/i.test(message.text())) refused.push(message.text()); });
    let iframe: { status: number; at: number } | undefined;
    page.on('response', (response) => {
      if (response.url().startsWith(`${first.origin}/auth/front_channel_logout?`)) iframe = { status: response.status(), at: performance.now() };
    });

    await page.goto(`${second.origin}/`);
    await page.getByRole('button', { name: 'Sign Out', exact: true }).click();
    await page.waitForURL((url) => url.origin === tenantOrigin);
    const started = performance.now();
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(`${second.origin}/?notice=signed_out`);
    assert.equal(await page.getByTestId('status').textContent(), 'You\'re not signed in', 'signed out of the second app');
    assert.equal(iframe?.status, 200, 'the tenant\'s sign-out page loaded the first app\'s Front-channel logout URL');
    assert.deepEqual(refused, [], 'the browser let the tenant frame it');

    const response = await page.goto(`${first.origin}/token_details`);
    const elapsed = performance.now() - started;
    assert.equal(response?.status(), 401, 'signed out of the first app too, in the same browser');
    t.diagnostic(`tenant sign-out → first app's 401: ${Math.round(elapsed)} ms (its front-channel logout answered after ${Math.round(iframe!.at - started)} ms)`);
  });
});
