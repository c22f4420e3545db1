import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';

import type { DevTenant } from '../../../src/devtenant/index.ts';
import { Browser, formAction, location, startTestTenant } from './helpers.ts';
import type { TestTenant } from './helpers.ts';

/** Follows the browser part: authorize → picker → pick → back at the app's redirect URI. */
async function browse(tenant: DevTenant, url: string, user: string): Promise<URL> {
  const browser = new Browser();
  const pickerUrl = location(await browser.request(url), url);
  const form = formAction(await (await browser.request(pickerUrl)).text(), new RegExp(user), pickerUrl);
  let response = await browser.post(form.action, form.fields);
  let current = form.action;
  while (location(response, current).startsWith(tenant.authority)) {
    current = location(response, current);
    response = await browser.request(current);
  }
  return new URL(location(response, current));
}

describe('@azure/msal-node against the development tenant', () => {
  let t: TestTenant;
  let tenant: DevTenant;
  let cca: ConfidentialClientApplication;

  before(async () => {
    t = await startTestTenant();
    tenant = t.tenant;
    const authorityMetadata = await (await fetch(`${tenant.authority}/v2.0/.well-known/openid-configuration`)).text();
    cca = new ConfidentialClientApplication({
      auth: {
        clientId: tenant.clientId,
        clientSecret: tenant.clientSecret,
        authority: tenant.authority,
        knownAuthorities: [new URL(tenant.authority).host],
        authorityMetadata,
      },
    });
  });
  after(() => t.stop());

  it('should sign in with getAuthCodeUrl + acquireTokenByCode and refresh with acquireTokenSilent when msal is configured like the app', async () => {
    tenant.resetCounts();
    const scopes = ['User.ReadBasic.All'];
    const redirectUri = 'http://localhost:39999/auth/redirect';
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const url = await cca.getAuthCodeUrl({
      scopes, redirectUri, codeChallenge: challenge, codeChallengeMethod: 'S256', state: 'st', nonce: 'nc', prompt: 'select_account',
    });
    const back = await browse(tenant, url, 'Megan Bowen');
    const byCode = await cca.acquireTokenByCode(
      { code: back.searchParams.get('code')!, scopes, redirectUri, codeVerifier: verifier, state: 'st', nonce: 'nc' },
      { ...Object.fromEntries(back.searchParams), code: back.searchParams.get('code')! },
    );
    const megan = tenant.users[0]!;
    assert.equal(byCode.account?.homeAccountId, `${megan.oid}.${tenant.tenantId}`, 'account id built from client_info');
    assert.equal(byCode.account?.username, 'MeganB@devtenant.example');
    assert.equal(byCode.account?.name, 'Megan Bowen');
    assert.deepEqual((byCode.idTokenClaims as Record<string, unknown>)['roles'], ['Employee']);

    const account = (await cca.getTokenCache().getAllAccounts())[0]!;
    const cached = await cca.acquireTokenSilent({ account, scopes });
    assert.equal(cached.fromCache, true);
    const refreshed = await cca.acquireTokenSilent({ account, scopes, forceRefresh: true });
    assert.equal(refreshed.fromCache, false);
    assert.notEqual(refreshed.accessToken, byCode.accessToken);

    const graph = await fetch(`${tenant.graphEndpoint}/users?$top=3`, { headers: { authorization: `Bearer ${refreshed.accessToken}` } });
    assert.equal(graph.status, 200);
    assert.deepEqual(tenant.counts().tokenByGrant, { authorization_code: 1, refresh_token: 1 });
    assert.equal(tenant.counts().discovery, 0, 'msal used authorityMetadata and fetched nothing');
    assert.equal(tenant.counts().jwks, 0, 'msal does not fetch the key set');
  });
});
