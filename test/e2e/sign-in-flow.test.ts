import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumUnavailable, trustCertificateFlag } from '../helpers/chromium.ts';
import { freePort, launchApp } from '../helpers/processes.ts';
import type { Launched } from '../helpers/processes.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SHOTS = resolve(ROOT, 'test-results/screenshots');
const skip = chromiumUnavailable();

describe('a person signing in on the development tenant', { skip }, () => {
  let app: Launched;
  let browser: Browser;
  let page: Page;
  let origin: string;
  let flowStarted = 0;

  const shot = (name: string) => page.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage: true });

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    origin = `http://localhost:${port}`;
    // Exactly what `npm start` runs, with no tenant configured: the launcher starts the development tenant.
    app = await launchApp({ PORT: String(port), CLIENT_ID: '', AUTHORITY: '', NODE_ENV: 'development' }, `${origin}/`);
    process.stdout.write(`# npm start (with the development tenant) to first 200: ${Math.round(app.readyAfterMs)} ms\n`);
    // The launcher keeps the tenant's certificates in .devtenant/; the browser trusts its server key only.
    const trust = trustCertificateFlag(resolve(ROOT, '.devtenant/localhost.pem'));
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, trust] });
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('should show the signed-out home page with the development-tenant notice', async () => {
    const response = await page.goto(`${origin}/`);
    assert.equal(response?.status(), 200);
    assert.equal(await page.getByTestId('status').textContent(), 'You\'re not signed in');
    assert.match(await page.getByTestId('notice').textContent() ?? '', /not Microsoft Entra ID/);
    assert.equal(await page.getByTestId('redirect-uri').textContent(), `${origin}/auth/redirect`);
    await shot('01-home-signed-out');
  });

  it('should sign Megan Bowen in through the tenant\'s account picker and greet her', async () => {
    flowStarted = performance.now();
    await page.getByRole('link', { name: 'Sign In' }).first().click();
    await page.waitForURL((url) => url.origin !== origin);
    assert.match(await page.content(), /not Microsoft Entra ID/, 'the tenant says it is not Entra ID');
    await shot('02-dev-tenant-sign-in');
    await page.getByRole('button', { name: /Megan Bowen/ }).click();
    await page.waitForURL(`${origin}/`);
    assert.equal(await page.getByTestId('greeting').textContent(), 'Hello Megan Bowen!');
    assert.equal(await page.getByTestId('status').textContent(), 'You\'re signed in');
    await shot('03-home-signed-in');
  });

  it('should list the ID token\'s claims with readable times', async () => {
    await page.getByRole('link', { name: 'ID Token Details' }).click();
    await page.waitForURL(`${origin}/token_details`);
    const table = page.getByTestId('claims');
    const names = await table.locator('tbody th').allTextContents();
    for (const claim of ['aud', 'exp', 'iat', 'iss', 'name', 'oid', 'preferred_username', 'sub', 'tid', 'ver']) {
      assert.ok(names.includes(claim), `claim ${claim} is listed`);
    }
    const exp = await table.locator('tr', { has: page.locator('th', { hasText: /^exp$/ }) }).locator('td.value').textContent();
    assert.match(exp ?? '', /GMT \(\d+\)$/);
    await shot('04-token-details');
  });

  it('should list five users of the tenant from Graph', async () => {
    await page.goto(`${origin}/`);
    await page.getByRole('link', { name: 'Call MS Graph API' }).click();
    await page.waitForURL(`${origin}/call_ms_graph`);
    assert.equal(await page.getByTestId('user-count').textContent(), '5 users');
    const rows = page.getByTestId('users').locator('tbody tr');
    assert.equal(await rows.count(), 5);
    const first = await rows.first().locator('td').allTextContents();
    assert.equal(first.length, 3);
    assert.match(first[1] ?? '', /@/, 'user principal name');
    assert.match(first[2] ?? '', /^[0-9a-f-]{36}$/, 'object id');
    await shot('05-call-graph');
  });

  it('should sign out at the app and at the tenant without asking which account (logout_hint), then refuse token details with 401', async (t) => {
    const tenantPages: string[] = [];
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame() && !frame.url().startsWith(origin)) tenantPages.push(frame.url()); });
    await page.getByRole('button', { name: 'Sign Out' }).click();
    await page.waitForURL(`${origin}/?notice=signed_out`);
    assert.ok(tenantPages.some((url) => new URL(url).searchParams.has('logout_hint')), 'the logout request named the account');
    assert.equal(await page.getByText('Pick an account').count(), 0);
    assert.equal(await page.getByTestId('status').textContent(), 'You\'re not signed in');
    assert.equal(await page.getByTestId('page-notice').textContent(), 'You have signed out.');
    assert.equal(await page.getByTestId('greeting').count(), 0);
    const response = await page.goto(`${origin}/token_details`);
    assert.equal(response?.status(), 401);
    assert.equal(await page.getByTestId('error-title').textContent(), 'Sign-in required');
    assert.equal(await page.getByRole('link', { name: 'Sign In' }).count(), 2, 'nav and page both offer Sign In');
    await shot('07-token-details-401');
    t.diagnostic(`sign-in → claims → Graph → sign-out in the browser: ${Math.round(performance.now() - flowStarted)} ms (screenshots included)`);
  });

  it('should never have put a token in a cookie', async () => {
    const cookies = await page.context().cookies();
    for (const cookie of cookies) assert.doesNotMatch(cookie.value, /eyJ[\w-]+\.[\w-]+\./, `${cookie.name} holds no JWT`);
  });
});
