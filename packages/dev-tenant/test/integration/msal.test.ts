import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';

import type { DevTenant } from '../../src/index.ts';
import { Agent } from '../../src/agent.ts';
import { location, submitOnTenant, useTestTenant } from './helpers.ts';

/** Follows the browser part: authorize → picker → pick → back at the app's redirect URI. */
async function browse(tenant: DevTenant, url: string, user: string): Promise<URL> {
  const agent = new Agent();
  const pickerUrl = location(await agent.raw(url), url);
  return submitOnTenant(agent, tenant, await (await agent.raw(pickerUrl)).text(), new RegExp(user), pickerUrl);
}

describe('@azure/msal-node against the development tenant', () => {
  const ctx = useTestTenant();
  let cca: ConfidentialClientApplication;

  before(async () => {
    const authorityMetadata = await (await fetch(`${ctx.tenant.authority}/v2.0/.well-known/openid-configuration`)).text();
    cca = new ConfidentialClientApplication({
      auth: {
        clientId: ctx.tenant.clientId,
        clientSecret: ctx.tenant.clientSecret,
        authority: ctx.tenant.authority,
        knownAuthorities: [new URL(ctx.tenant.authority).host],
        authorityMetadata,
      },
    });
  });

  it('should sign in with getAuthCodeUrl + acquireTokenByCode and refresh with acquireTokenSilent when msal is configured like the app', async () => {
    ctx.tenant.resetCounts();
    const scopes = ['User.ReadBasic.All'];
    const redirectUri = 'http://localhost:39999/auth/redirect';
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const url = await cca.getAuthCodeUrl({
      scopes, redirectUri, codeChallenge: challenge, codeChallengeMethod: 'S256', state: 'st', nonce: 'nc', prompt: 'select_account',
    });
    const back = await browse(ctx.tenant, url, 'Megan Bowen');
    const byCode = await cca.acquireTokenByCode(
      { code: back.searchParams.get('code')!, scopes, redirectUri, codeVerifier: verifier, state: 'st', nonce: 'nc' },
      { ...Object.fromEntries(back.searchParams), code: back.searchParams.get('code')! },
    );
    const megan = ctx.tenant.users[0]!;
    assert.equal(byCode.account?.homeAccountId, `${megan.oid}.${ctx.tenant.tenantId}`, 'account id built from client_info');
    assert.equal(byCode.account?.username, 'MeganB@devtenant.example');
    assert.equal(byCode.account?.name, 'Megan Bowen');
    assert.deepEqual((byCode.idTokenClaims as Record<string, unknown>)['roles'], ['Employee']);

    const account = (await cca.getTokenCache().getAllAccounts())[0]!;
    const cached = await cca.acquireTokenSilent({ account, scopes });
    assert.equal(cached.fromCache, true);
    const refreshed = await cca.acquireTokenSilent({ account, scopes, forceRefresh: true });
    assert.equal(refreshed.fromCache, false);
    assert.notEqual(refreshed.accessToken, byCode.accessToken);

    const graph = await fetch(`${ctx.tenant.graphEndpoint}/users?$top=3`, { headers: { authorization: `Bearer ${refreshed.accessToken}` } });
    assert.equal(graph.status, 200);
    assert.deepEqual(ctx.tenant.counts().tokenByGrant, { authorization_code: 1, refresh_token: 1 });
    assert.equal(ctx.tenant.counts().discovery, 0, 'msal used authorityMetadata and fetched nothing');
    assert.equal(ctx.tenant.counts().jwks, 0, 'msal does not fetch the key set');
  });
});
