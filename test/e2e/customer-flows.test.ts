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

/** `npm start` with no tenant configured and the development tenant shaped like `shape`, plus a browser. */
function useShapedApp(shape: 'external_id' | 'b2c') {
  const ctx = {} as { app: Launched; browser: Browser; page: Page; origin: string };
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    ctx.origin = `http://localhost:${port}`;
    ctx.app = await launchApp({ PORT: String(port), CLIENT_ID: '', AUTHORITY: '', NODE_ENV: 'development', DEV_TENANT_SHAPE: shape }, `${ctx.origin}/`);
    const trust = trustCertificateFlag(resolve(ROOT, '.devtenant/localhost.pem'));
    ctx.browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, trust] });
    ctx.page = await ctx.browser.newPage({ viewport: { width: 1200, height: 800 } });
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.app?.stop();
  });
  return ctx;
}

describe('a customer signing up with Entra External ID (development tenant)', { skip }, () => {
  const ctx = useShapedApp('external_id');

  it('should create an account from the app\'s Sign Up button and come back signed in', async () => {
    const { page, origin } = ctx;
    await page.goto(`${origin}/`);
    assert.match(await page.getByTestId('notice').textContent() ?? '', /shaped like Microsoft Entra External ID/);
    await page.getByRole('link', { name: 'Sign Up' }).click();
    await page.waitForURL((url) => url.origin !== origin);
    await page.getByLabel('Email address').fill('olivia.browser@example.org');
    await page.getByLabel('Display name').fill('Olivia Browser');
    await page.screenshot({ path: resolve(SHOTS, '08-external-id-sign-up.png'), fullPage: true });
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${origin}/`);
    assert.equal(await page.getByTestId('greeting').textContent(), 'Hello Olivia Browser!');
    await page.getByRole('link', { name: 'ID Token Details' }).click();
    const row = page.getByTestId('claims').locator('tr', { has: page.locator('th', { hasText: /^preferred_username$/ }) });
    assert.equal(await row.locator('td.value').textContent(), 'olivia.browser@example.org');
  });
});

describe('a customer editing their profile with Azure AD B2C (development tenant)', { skip }, () => {
  const ctx = useShapedApp('b2c');

  it('should sign in with the sign-up/sign-in flow, edit the display name and see it in the app', async () => {
    const { page, origin } = ctx;
    await page.goto(`${origin}/`);
    await page.getByRole('link', { name: 'Sign In' }).first().click();
    await page.waitForURL(/\/B2C_1_susi\//);
    await page.getByRole('button', { name: /Ana Customer/ }).click();
    await page.waitForURL(`${origin}/`);
    assert.equal(await page.getByTestId('greeting').textContent(), 'Hello Ana Customer!');
    assert.equal(await page.getByRole('link', { name: 'Call MS Graph API' }).count(), 0, 'no Graph with B2C');
    await page.getByRole('link', { name: 'Edit Profile' }).click();
    await page.waitForURL(/\/B2C_1_edit_profile\//);
    await page.getByLabel('Display name').fill('Ana Edited');
    await page.screenshot({ path: resolve(SHOTS, '09-b2c-edit-profile.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`${origin}/`);
    assert.equal(await page.getByTestId('greeting').textContent(), 'Hello Ana Edited!');
    await page.screenshot({ path: resolve(SHOTS, '10-b2c-after-edit.png'), fullPage: true });
  });
});
