/** Start-up validation of the front-channel logout options, and the script the sign-out page loads. */
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { describe, it } from 'node:test';

import { startDevTenant } from '../../src/index.ts';
import type { DevTenantOptions } from '../../src/index.ts';
import { tempDir } from './helpers.ts';

describe('front-channel logout options', () => {
  const invalid = async (options: DevTenantOptions) => {
    const dataDir = await tempDir();
    await assert.rejects(startDevTenant({ port: 0, dataDir, ...options }), { code: 'DEV_TENANT_INVALID_OPTION' });
    await rm(dataDir, { recursive: true, force: true });
  };
  const app = { redirectUris: ['http://localhost:8001/auth/redirect'], postLogoutRedirectUris: ['http://localhost:8001/'] };

  it('should refuse a Front-channel logout URL that is not https, or has a fragment, when the tenant starts', async () => {
    await invalid({ frontChannelLogoutUri: 'http://app.example/logout' });
    await invalid({ frontChannelLogoutUri: 'https://app.example/logout#x' });
    await invalid({ frontChannelLogoutUri: 'not a url' });
    await invalid({ extraClients: [{ ...app, frontChannelLogoutUri: 'ftp://app.example/logout' }] });
  });

  it('should refuse extraClients that are not a list of registrations with redirect URIs when the tenant starts', async () => {
    await invalid({ extraClients: {} as unknown as [] });
    await invalid({ extraClients: [null as unknown as typeof app] });
    await invalid({ extraClients: [{ ...app, redirectUris: [] }] });
    await invalid({ extraClients: [{ redirectUris: app.redirectUris } as typeof app] });
    await invalid({ extraClients: [{ ...app, name: '' }] });
    await invalid({ extraClients: Array.from({ length: 11 }, () => app) });
  });

  it('should ship a front-channel-logout.js that waits for the iframes or 5 seconds', async () => {
    const script = await readFile(new URL('../../src/public/front-channel-logout.js', import.meta.url), 'utf8');
    assert.match(script, /addEventListener\('load'/);
    assert.match(script, /setTimeout\(go, 5000\)/);
  });
});
