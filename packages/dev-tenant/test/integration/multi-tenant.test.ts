import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { createRemoteJWKSet, jwtVerify } from 'jose';

import type { DevTenant } from '../../src/index.ts';
import { Agent, parseForm } from '../../src/agent.ts';
import { authorizeUrl, claimsOf, location, pkce, useTestTenant } from './helpers.ts';

const SCOPE = 'User.ReadBasic.All openid profile offline_access';
const REDIRECT_URI = 'http://localhost:8000/auth/redirect';

/** authorize at `authority` → picker → pick `user` → follow the tenant's redirects back to the app. */
async function signInAt(authority: string, tenant: DevTenant, user: RegExp): Promise<{ redirect: URL; verifier: string; picker: string }> {
  const { verifier, challenge } = pkce();
  const start = authorizeUrl(tenant, { code_challenge: challenge, code_challenge_method: 'S256', state: 'st' }).replace(tenant.authority, authority);
  const agent = new Agent();
  const pickerUrl = location(await agent.raw(start), start);
  const picker = await (await agent.raw(pickerUrl)).text();
  const form = parseForm(picker, user, pickerUrl);
  let response = await agent.post(form.action, form.fields);
  let current = form.action;
  for (let hops = 0; hops < 5; hops++) {
    const next = new URL(location(response, current));
    if (next.origin !== new URL(authority).origin) return { redirect: next, verifier, picker };
    current = next.href;
    response = await agent.raw(current);
  }
  throw new Error('the flow did not leave the tenant');
}

async function redeemAt(authority: string, tenant: DevTenant, signedIn: { redirect: URL; verifier: string }) {
  const response = await fetch(`${authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: tenant.clientId, client_secret: tenant.clientSecret, client_info: '1', grant_type: 'authorization_code',
      code: signedIn.redirect.searchParams.get('code') ?? '', redirect_uri: REDIRECT_URI, code_verifier: signedIn.verifier, scope: SCOPE,
    }),
  });
  assert.equal(response.status, 200);
  return await response.json() as Record<string, unknown>;
}

describe('multi-tenant authorities /organizations and /common', () => {
  const ctx = useTestTenant();

  for (const name of ['organizations', 'common'] as const) {
    it(`should publish /${name} discovery with the {tenantid} issuer template and no RFC 9207 promise`, async () => {
      const { tenant } = ctx;
      const origin = new URL(tenant.authority).origin;
      assert.equal(tenant.authorities[name], `${origin}/${name}`);
      tenant.resetCounts();
      const doc = await (await fetch(`${origin}/${name}/v2.0/.well-known/openid-configuration`)).json() as Record<string, unknown>;
      assert.equal(doc['issuer'], `${origin}/{tenantid}/v2.0`);
      assert.equal(doc['authorization_endpoint'], `${origin}/${name}/oauth2/v2.0/authorize`);
      assert.equal(doc['token_endpoint'], `${origin}/${name}/oauth2/v2.0/token`);
      assert.equal(doc['end_session_endpoint'], `${origin}/${name}/oauth2/v2.0/logout`);
      assert.equal(doc['jwks_uri'], `${origin}/${name}/discovery/v2.0/keys`);
      assert.ok(!doc['authorization_response_iss_parameter_supported']);
      const keys = await (await fetch(String(doc['jwks_uri']))).json();
      assert.deepEqual(keys, await (await fetch(`${tenant.authority}/discovery/v2.0/keys`)).json(), 'the home tenant\'s keys');
      assert.equal(tenant.counts().discovery, 1);
      assert.equal(tenant.counts().jwks, 2);
    });
  }

  it('should sign a guest user in through /organizations with the guest tenant\'s tid and iss, signed with the published keys', async () => {
    const { tenant } = ctx;
    const guest = tenant.guestTenant;
    const nadia = guest.users[0]!;
    const authority = tenant.authorities.organizations;
    tenant.resetCounts();
    const signedIn = await signInAt(authority, tenant, /Nadia Okafor/);
    assert.match(signedIn.picker, /Fabrikam/);
    assert.match(signedIn.picker, /Contoso/);
    assert.match(signedIn.picker, /Megan Bowen/);
    assert.equal(signedIn.redirect.searchParams.get('iss'), null, 'no iss on the authorization response');
    assert.equal(signedIn.redirect.searchParams.get('state'), 'st');
    const body = await redeemAt(authority, tenant, signedIn);
    assert.deepEqual(tenant.counts().tokenByGrant, { authorization_code: 1 });
    assert.equal(tenant.counts().authorize, 1);

    const jwks = createRemoteJWKSet(new URL(`${authority}/discovery/v2.0/keys`));
    const idToken = await jwtVerify(String(body['id_token']), jwks, { issuer: guest.issuer, audience: tenant.clientId });
    assert.equal(idToken.payload['tid'], guest.tenantId);
    assert.equal(idToken.payload['oid'], nadia.oid);
    assert.equal(idToken.payload['preferred_username'], 'NadiaO@fabrikam.devtenant.example');
    assert.deepEqual(idToken.payload['roles'], ['Employee']);
    assert.equal(guest.issuer, `${new URL(authority).origin}/${guest.tenantId}/v2.0`);
    assert.deepEqual(JSON.parse(Buffer.from(String(body['client_info']), 'base64url').toString()), { uid: nadia.oid, utid: guest.tenantId });

    const accessToken = await jwtVerify(String(body['access_token']), jwks, { issuer: guest.issuer, audience: 'https://graph.microsoft.com' });
    assert.equal(accessToken.payload['tid'], guest.tenantId);
    const users = await (await fetch(`${tenant.graphEndpoint}/users`, { headers: { authorization: `Bearer ${String(body['access_token'])}` } })).json() as { value: Array<{ userPrincipalName: string }> };
    assert.deepEqual(users.value.map((u) => u.userPrincipalName), guest.users.map((u) => u.userPrincipalName), 'the guest tenant\'s users');
  });

  it('should issue home-tenant tokens for a home user signing in through /common', async () => {
    const { tenant } = ctx;
    const body = await redeemAt(tenant.authorities.common, tenant, await signInAt(tenant.authorities.common, tenant, /Megan Bowen/));
    assert.equal(claimsOf(body['id_token'])['iss'], tenant.issuer);
    assert.equal(claimsOf(body['id_token'])['tid'], tenant.tenantId);
    assert.equal(claimsOf(body['access_token'])['iss'], tenant.issuer);
    const users = await (await fetch(`${tenant.graphEndpoint}/users?$top=50`, { headers: { authorization: `Bearer ${String(body['access_token'])}` } })).json() as { value: unknown[] };
    assert.equal(users.value.length, tenant.users.length);
  });

  it('should refresh a guest\'s tokens at /organizations keeping the guest tenant\'s iss', async () => {
    const { tenant } = ctx;
    const authority = tenant.authorities.organizations;
    const first = await redeemAt(authority, tenant, await signInAt(authority, tenant, /Tomas Lindqvist/));
    const response = await fetch(`${authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: tenant.clientId, client_secret: tenant.clientSecret, grant_type: 'refresh_token', refresh_token: String(first['refresh_token']), scope: SCOPE }),
    });
    const body = await response.json() as Record<string, unknown>;
    assert.equal(response.status, 200);
    assert.equal(claimsOf(body['id_token'])['iss'], tenant.guestTenant.issuer);
    assert.equal(claimsOf(body['access_token'])['iss'], tenant.guestTenant.issuer);
  });

  it('should put the role the guest tenant\'s admin assigned in the guest\'s ID token at /common, again on refresh, and none for an unassigned guest', async () => {
    const { tenant } = ctx;
    const authority = tenant.authorities.common;
    const nadia = await redeemAt(authority, tenant, await signInAt(authority, tenant, /Nadia Okafor/));
    assert.deepEqual([claimsOf(nadia['id_token'])['tid'], claimsOf(nadia['id_token'])['roles']], [tenant.guestTenant.tenantId, ['Employee']]);
    const refreshed = await (await fetch(`${authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: tenant.clientId, client_secret: tenant.clientSecret, grant_type: 'refresh_token', refresh_token: String(nadia['refresh_token']), scope: SCOPE }),
    })).json() as Record<string, unknown>;
    assert.deepEqual([claimsOf(refreshed['id_token'])['tid'], claimsOf(refreshed['id_token'])['roles']], [tenant.guestTenant.tenantId, ['Employee']]);
    const tomas = await redeemAt(authority, tenant, await signInAt(authority, tenant, /Tomas Lindqvist/));
    assert.equal(claimsOf(tomas['id_token'])['roles'], undefined);
  });

  it('should accept a guest\'s ID token as id_token_hint at /organizations logout and refuse a forged one', async () => {
    const { tenant } = ctx;
    const authority = tenant.authorities.organizations;
    const { id_token: idToken } = await redeemAt(authority, tenant, await signInAt(authority, tenant, /Nadia Okafor/));
    const logout = (hint: string) => fetch(`${authority}/oauth2/v2.0/logout?${new URLSearchParams({ id_token_hint: hint, post_logout_redirect_uri: 'http://localhost:8000/auth/post_sign_out' })}`, { redirect: 'manual' });
    const accepted = await logout(String(idToken));
    assert.equal(accepted.status, 200);
    assert.match(await accepted.text(), /oauth2\/v2\.0\/logout\/confirm/, 'no session: straight on to the confirmation');
    const [header, payload] = String(idToken).split('.');
    const forged = await logout(`${header}.${payload}.${Buffer.from('not a signature').toString('base64url')}`);
    assert.equal(forged.status, 400);
  });

  it('should list only home users and refuse a guest user when the single-tenant authority is used', async () => {
    const { tenant } = ctx;
    const start = authorizeUrl(tenant, { code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    const agent = new Agent();
    const pickerUrl = location(await agent.raw(start), start);
    const picker = await (await agent.raw(pickerUrl)).text();
    assert.doesNotMatch(picker, /Nadia Okafor|Fabrikam/);
    const form = parseForm(picker, /Megan Bowen/, pickerUrl);
    form.fields.set('oid', tenant.guestTenant.users[0]!.oid);
    const refused = await agent.post(form.action, form.fields);
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /AADSTS50020: User account &#39;NadiaO@fabrikam\.devtenant\.example&#39; from identity provider/);
  });

  it('should give msal-node an account in the guest tenant when the app uses the /organizations authority', async () => {
    const { tenant } = ctx;
    const authority = tenant.authorities.organizations;
    const authorityMetadata = await (await fetch(`${authority}/v2.0/.well-known/openid-configuration`)).text();
    const cca = new ConfidentialClientApplication({
      auth: { clientId: tenant.clientId, clientSecret: tenant.clientSecret, authority, knownAuthorities: [new URL(authority).host], authorityMetadata },
    });
    const scopes = ['User.ReadBasic.All'];
    const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
    const url = await cca.getAuthCodeUrl({ scopes, redirectUri: REDIRECT_URI, codeChallenge: challenge, codeChallengeMethod: 'S256' });
    assert.ok(url.startsWith(`${authority}/oauth2/v2.0/authorize?`));
    const agent = new Agent();
    const pickerUrl = location(await agent.raw(url), url);
    const form = parseForm(await (await agent.raw(pickerUrl)).text(), /Nadia Okafor/, pickerUrl);
    let response = await agent.post(form.action, form.fields);
    let current = form.action;
    while (new URL(location(response, current)).origin === new URL(authority).origin) {
      current = location(response, current);
      response = await agent.raw(current);
    }
    const back = new URL(location(response, current));
    const result = await cca.acquireTokenByCode({ code: back.searchParams.get('code')!, scopes, redirectUri: REDIRECT_URI, codeVerifier: verifier });
    const nadia = tenant.guestTenant.users[0]!;
    assert.equal(result.account?.homeAccountId, `${nadia.oid}.${tenant.guestTenant.tenantId}`);
    assert.equal(result.account?.tenantId, tenant.guestTenant.tenantId);
    const refreshed = await cca.acquireTokenSilent({ account: result.account!, scopes, forceRefresh: true });
    assert.equal(claimsOf(refreshed.accessToken)['tid'], tenant.guestTenant.tenantId);
  });
});
