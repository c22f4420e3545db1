import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { useTestTenant } from './helpers.ts';

describe('dev tenant pages and assets', () => {
  const ctx = useTestTenant();
  let origin: string;

  before(async () => {
    origin = new URL(ctx.tenant.authority).origin;
  });

  it('should serve an overview with the banner, metadata URL and demo users at /', async () => {
    const response = await fetch(`${origin}/`);
    const html = await response.text();
    assert.equal(response.status, 200);
    assert.match(html, /Development tenant — this is not Microsoft Entra ID\. Demo accounts only\./);
    assert.ok(html.includes(`${ctx.tenant.authority}/v2.0/.well-known/openid-configuration`));
    assert.ok(html.includes('PattiF@devtenant.example'));
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
  });

  it('should serve its own stylesheet and auto-submit script', async () => {
    const css = await fetch(`${origin}/devtenant-assets/devtenant.css`);
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type') ?? '', /text\/css/);
    assert.match(await css.text(), /Segoe UI/);
    const js = await fetch(`${origin}/devtenant-assets/autosubmit.js`);
    assert.equal(js.status, 200);
    assert.match(await js.text(), /dt-autosubmit/);
    assert.equal((await fetch(`${origin}/devtenant-assets/nope.css`)).status, 404);
  });

  it('should answer 404 with the banner for an unknown page', async () => {
    const response = await fetch(`${origin}/nowhere`);
    assert.equal(response.status, 404);
    assert.match(await response.text(), /Development tenant — this is not Microsoft Entra ID/);
  });

  it('should show an expiry page when the interaction does not exist', async () => {
    const response = await fetch(`${ctx.tenant.authority}/oauth2/v2.0/interaction/does-not-exist`);
    assert.equal(response.status, 400);
    assert.match(await response.text(), /sign-in request has expired/);
  });
});
