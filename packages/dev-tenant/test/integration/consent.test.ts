import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConfidentialClientApplication, CryptoProvider, InteractionRequiredAuthError } from '@azure/msal-node';
import type { AccountInfo } from '@azure/msal-node';

import type { DevTenant } from '../../src/index.ts';
import { Agent, parseForm } from '../../src/agent.ts';
import { authorizeUrl, claimsOf, location, pkce, redeemCode, signIn, submitOnTenant, tokenRequest, useTestTenant } from './helpers.ts';

const OIDC_ONLY = 'openid profile offline_access';

/** Signs `user` in asking for `scope`, redeems the code, returns the refresh token. */
async function refreshTokenFor(tenant: DevTenant, user: string, scope: string): Promise<string> {
  const { status, body } = await redeemCode(tenant, await signIn(tenant, user, { scope }), { scope });
  assert.equal(status, 200);
  return String(body['refresh_token']);
}

function refresh(tenant: DevTenant, refreshToken: string, scope: string) {
  return tokenRequest(tenant, { grant_type: 'refresh_token', refresh_token: refreshToken, scope });
}

function msalFor(tenant: DevTenant, authorityMetadata: string): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: tenant.clientId,
      clientSecret: tenant.clientSecret,
      authority: tenant.authority,
      knownAuthorities: [new URL(tenant.authority).host],
      authorityMetadata,
    },
  });
}

/** getAuthCodeUrl → picker → pick `user` → acquireTokenByCode, as the app does it. */
async function msalSignIn(tenant: DevTenant, cca: ConfidentialClientApplication, user: string, scopes: string[]): Promise<AccountInfo> {
  const redirectUri = 'http://localhost:8000/auth/redirect';
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const url = await cca.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: challenge, codeChallengeMethod: 'S256', prompt: 'select_account' });
  const agent = new Agent();
  const pickerUrl = location(await agent.raw(url), url);
  const back = await submitOnTenant(agent, tenant, await (await agent.raw(pickerUrl)).text(), new RegExp(user), pickerUrl);
  const result = await cca.acquireTokenByCode({ code: back.searchParams.get('code')!, scopes, redirectUri, codeVerifier: verifier });
  assert.ok(result.account);
  return result.account;
}

describe('consent like an Entra app with admin consent for User.Read and User.ReadBasic.All', () => {
  const ctx = useTestTenant();

  it('should refresh for the admin-consented User.ReadBasic.All when the sign-in asked only for openid profile offline_access', async () => {
    const rt = await refreshTokenFor(ctx.tenant, 'Grady Archie', OIDC_ONLY);
    const { status, body } = await refresh(ctx.tenant, rt, `User.ReadBasic.All ${OIDC_ONLY}`);
    assert.equal(status, 200, JSON.stringify(body));
    const at = claimsOf(body['access_token']);
    assert.equal(at['scp'], 'User.ReadBasic.All');
    assert.equal(at['aud'], 'https://graph.microsoft.com');
    assert.equal((await refresh(ctx.tenant, rt, `https://graph.microsoft.com/User.Read ${OIDC_ONLY}`)).status, 200, 'either spelling');
  });

  it('should answer 400 invalid_grant AADSTS65001 with suberror consent_required when a refresh asks for a permission never consented', async () => {
    const rt = await refreshTokenFor(ctx.tenant, 'Isaiah Langer', `User.Read ${OIDC_ONLY}`);
    const { status, body } = await refresh(ctx.tenant, rt, `User.Read.All ${OIDC_ONLY}`);
    assert.equal(status, 400);
    assert.equal(body['error'], 'invalid_grant');
    assert.equal(body['suberror'], 'consent_required');
    assert.deepEqual(body['error_codes'], [65001]);
    assert.ok(String(body['error_description']).startsWith(
      `AADSTS65001: The user or administrator has not consented to use the application with ID '${ctx.tenant.clientId}' named 'Contoso Identity Sample'. `
      + 'Send an interactive authorization request for this user and resource. Trace ID: ',
    ), String(body['error_description']));
    for (const field of ['timestamp', 'trace_id', 'correlation_id']) assert.equal(typeof body[field], 'string');
  });

  it('should make msal throw InteractionRequiredAuthError, then serve User.Read.All silently after an administrator\'s interactive consent', async () => {
    const { tenant } = ctx;
    const cca = msalFor(tenant, await (await fetch(`${tenant.authority}/v2.0/.well-known/openid-configuration`)).text());
    // User.Read.All needs an administrator: Johanna Lorenz is the tenant's Global Administrator.
    const account = await msalSignIn(tenant, cca, 'Johanna Lorenz', []);
    await assert.rejects(cca.acquireTokenSilent({ account, scopes: ['User.Read.All'] }), (err: unknown) => {
      assert.ok(err instanceof InteractionRequiredAuthError, String(err));
      assert.equal(err.subError, 'consent_required');
      return true;
    });
    const silentBefore = await cca.acquireTokenSilent({ account, scopes: ['User.ReadBasic.All'] });
    assert.equal(claimsOf(silentBefore.accessToken)['scp'], 'User.ReadBasic.All', 'admin consent needs no interaction');

    await msalSignIn(tenant, cca, 'Johanna Lorenz', ['User.Read.All']);
    const fresh = await cca.acquireTokenSilent({ account, scopes: ['User.Read.All'], forceRefresh: true });
    assert.equal(fresh.fromCache, false);
    tenant.resetCounts();
    const graph = await fetch(`${tenant.graphEndpoint}/users?$top=2`, { headers: { authorization: `Bearer ${fresh.accessToken}` } });
    assert.equal(graph.status, 200);
    assert.match(tenant.graphCalls.at(-1)?.scp ?? '', /(^| )User\.Read\.All( |$)/);
  });

  it('should remember an administrator\'s consent for herself for her later sign-ins only', async () => {
    await refreshTokenFor(ctx.tenant, 'Johanna Lorenz', `Directory.Read.All ${OIDC_ONLY}`);
    const later = await refreshTokenFor(ctx.tenant, 'Johanna Lorenz', OIDC_ONLY);
    assert.equal((await refresh(ctx.tenant, later, `Directory.Read.All ${OIDC_ONLY}`)).status, 200);
    const other = await refreshTokenFor(ctx.tenant, 'Nestor Wilke', OIDC_ONLY);
    assert.equal((await refresh(ctx.tenant, other, `Directory.Read.All ${OIDC_ONLY}`)).body['suberror'], 'consent_required');
  });

  it('should list the admin-consented permissions and the ones asked now on the picker', async () => {
    const agent = new Agent();
    const start = authorizeUrl(ctx.tenant, { scope: `User.Read.All ${OIDC_ONLY}`, code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    const picker = await (await agent.raw(location(await agent.raw(start), start))).text();
    assert.match(picker, /<code>User\.Read<\/code> \(admin consent\)/);
    assert.match(picker, /<code>User\.ReadBasic\.All<\/code> \(admin consent\)/);
    assert.match(picker, /<code>User\.Read\.All<\/code><\/li>/);
  });
});

describe('admin-only permissions (User.Read.All, GroupMember.Read.All, Directory.Read.All)', () => {
  const ctx = useTestTenant();

  it('should sign the administrator in with User.Read.All when "Have an admin account? Sign in with that account" is followed from Need admin approval', async () => {
    const { tenant } = ctx;
    const agent = new Agent();
    const { verifier, challenge } = pkce();
    const start = authorizeUrl(tenant, { scope: `User.Read.All ${OIDC_ONLY}`, code_challenge: challenge, code_challenge_method: 'S256' });
    const pickerUrl = location(await agent.raw(start), start);
    const form = parseForm(await (await agent.raw(pickerUrl)).text(), /Lee Gu/, pickerUrl);
    const approval = await (await agent.post(form.action, form.fields)).text();
    assert.match(approval, /Need admin approval/);
    const adminLink = /<a href="([^"]+)">Have an admin account\? Sign in with that account<\/a>/.exec(approval)?.[1];
    assert.ok(adminLink, 'the approval page links back to the account picker');
    const again = new URL(adminLink.replace(/&amp;/g, '&'), form.action).href;
    const back = await submitOnTenant(agent, tenant, await (await agent.raw(again)).text(), /Johanna Lorenz/, again);
    const { status, body } = await redeemCode(tenant, { redirect: back, agent, verifier }, { scope: `User.Read.All ${OIDC_ONLY}` });
    assert.equal(status, 200, JSON.stringify(body));
    assert.match(String(claimsOf(body['access_token'])['scp']), /(^| )User\.Read\.All( |$)/);
    assert.equal(claimsOf(body['id_token'])['name'], 'Johanna Lorenz');
  });

  it('should sign a user who is not an administrator in with User.Read.All, marked admin-consented, after grantAdminConsent', async () => {
    const { tenant } = ctx;
    tenant.grantAdminConsent('User.Read.All');
    const agent = new Agent();
    const start = authorizeUrl(tenant, { scope: `User.Read.All ${OIDC_ONLY}`, code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    const picker = await (await agent.raw(location(await agent.raw(start), start))).text();
    assert.match(picker, /<code>User\.Read\.All<\/code> \(admin consent\)/);
    const { status, body } = await redeemCode(tenant, await signIn(tenant, 'Lee Gu', { scope: `User.Read.All ${OIDC_ONLY}` }), { scope: `User.Read.All ${OIDC_ONLY}` });
    assert.equal(status, 200, JSON.stringify(body));
    assert.match(String(claimsOf(body['access_token'])['scp']), /(^| )User\.Read\.All( |$)/);
  });
});
