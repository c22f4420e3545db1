import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createRemoteJWKSet, jwtVerify } from 'jose';

import {
  claimsOf, pkce, redeemCode, signIn, tokenRequest, useTestTenant,
} from './helpers.ts';

const MSAL_SCOPE = 'User.ReadBasic.All openid profile offline_access';

describe('authorization code flow', () => {
  const ctx = useTestTenant();

  it('should redirect to the redirect_uri with code, state and no error when a user is picked', async () => {
    const result = await signIn(ctx.tenant);
    assert.equal(`${result.redirect.origin}${result.redirect.pathname}`, 'http://localhost:8000/auth/redirect');
    assert.ok(result.redirect.searchParams.get('code'));
    assert.equal(result.redirect.searchParams.get('state'), 'state-123');
    assert.equal(result.redirect.searchParams.get('error'), null);
  });

  it('should issue Entra-shaped tokens and client_info when the code is redeemed', async () => {
    const result = await signIn(ctx.tenant);
    const { status, body } = await redeemCode(ctx.tenant, result);
    assert.equal(status, 200);
    assert.equal(body['token_type'], 'Bearer');
    assert.equal(body['expires_in'], 3600);
    assert.equal(body['ext_expires_in'], 3600);
    assert.deepEqual(String(body['scope']).split(' ').sort(), ['User.ReadBasic.All', 'openid', 'profile']);
    assert.equal(typeof body['refresh_token'], 'string');
    const megan = ctx.tenant.users[0]!;
    assert.deepEqual(JSON.parse(Buffer.from(String(body['client_info']), 'base64url').toString()), { uid: megan.oid, utid: ctx.tenant.tenantId });
  });

  it('should sign an ID token with the Entra claims, verifiable with the published keys, when the code is redeemed', async () => {
    const { body } = await redeemCode(ctx.tenant, await signIn(ctx.tenant));
    const jwks = createRemoteJWKSet(new URL(`${ctx.tenant.authority}/discovery/v2.0/keys`));
    const { payload, protectedHeader } = await jwtVerify(String(body['id_token']), jwks, { issuer: ctx.tenant.issuer, audience: ctx.tenant.clientId });
    const megan = ctx.tenant.users[0]!;
    assert.equal(protectedHeader.alg, 'RS256');
    assert.ok(protectedHeader.kid);
    assert.equal(payload['oid'], megan.oid);
    assert.equal(payload['tid'], ctx.tenant.tenantId);
    assert.equal(payload['name'], 'Megan Bowen');
    assert.equal(payload['preferred_username'], 'MeganB@devtenant.example');
    assert.equal(payload['email'], 'MeganB@devtenant.example');
    assert.deepEqual(payload['roles'], ['Employee']);
    assert.equal(payload['ver'], '2.0');
    assert.equal(payload['nonce'], 'nonce-456');
    assert.match(String(payload.sub), /^[A-Za-z0-9_-]{43}$/, 'pairwise-looking sub');
    assert.notEqual(payload.sub, megan.oid);
    for (const claim of ['iat', 'nbf', 'exp'] as const) assert.equal(typeof payload[claim], 'number');
  });

  it('should keep sub stable per user and leave roles out when the user has none', async () => {
    const first = claimsOf((await redeemCode(ctx.tenant, await signIn(ctx.tenant, 'Grady Archie'))).body['id_token']);
    const second = claimsOf((await redeemCode(ctx.tenant, await signIn(ctx.tenant, 'Grady Archie'))).body['id_token']);
    assert.equal(first['sub'], second['sub']);
    assert.equal(first['name'], 'Grady Archie');
    assert.equal('roles' in first, false);
  });

  it('should issue a Graph JWT access token with scp, oid and tid when the code is redeemed', async () => {
    const { body } = await redeemCode(ctx.tenant, await signIn(ctx.tenant));
    const jwks = createRemoteJWKSet(new URL(`${ctx.tenant.authority}/discovery/v2.0/keys`));
    const { payload } = await jwtVerify(String(body['access_token']), jwks, { issuer: ctx.tenant.issuer, audience: 'https://graph.microsoft.com' });
    assert.equal(payload['scp'], 'User.ReadBasic.All');
    assert.equal(payload['oid'], ctx.tenant.users[0]!.oid);
    assert.equal(payload['tid'], ctx.tenant.tenantId);
    assert.equal(payload['name'], 'Megan Bowen');
    assert.equal(payload['preferred_username'], 'MeganB@devtenant.example');
    assert.equal(payload['ver'], '2.0');
    assert.deepEqual(payload['roles'], ['Employee']);
    assert.equal(payload['azp'], ctx.tenant.clientId);
  });

  it('should refresh with msal\'s scope string and return new access and ID tokens', async () => {
    const first = await redeemCode(ctx.tenant, await signIn(ctx.tenant));
    const { status, body } = await tokenRequest(ctx.tenant, { grant_type: 'refresh_token', refresh_token: String(first.body['refresh_token']), scope: MSAL_SCOPE });
    assert.equal(status, 200);
    assert.notEqual(body['access_token'], first.body['access_token']);
    assert.equal(claimsOf(body['access_token'])['scp'], 'User.ReadBasic.All');
    assert.equal(claimsOf(body['id_token'])['oid'], ctx.tenant.users[0]!.oid);
    assert.equal(typeof body['refresh_token'], 'string');
    assert.ok(body['client_info']);
  });

  it('should refuse a redeemed code a second time with an Entra-style error body', async () => {
    const result = await signIn(ctx.tenant);
    assert.equal((await redeemCode(ctx.tenant, result)).status, 200);
    const { status, body } = await redeemCode(ctx.tenant, result);
    assert.equal(status, 400);
    assert.equal(body['error'], 'invalid_grant');
    assert.match(String(body['error_description']), /^AADSTS70000: /);
    assert.deepEqual(body['error_codes'], [70000]);
    for (const key of ['timestamp', 'trace_id', 'correlation_id']) assert.equal(typeof body[key], 'string');
  });

  it('should refuse the code when the PKCE verifier is wrong', async () => {
    const result = await signIn(ctx.tenant);
    const { status, body } = await redeemCode(ctx.tenant, result, { code_verifier: pkce().verifier });
    assert.equal(status, 400);
    assert.equal(body['error'], 'invalid_grant');
  });

  it('should answer invalid_client when the client secret is wrong', async () => {
    const result = await signIn(ctx.tenant);
    const { status, body } = await redeemCode(ctx.tenant, result, { client_secret: 'not-the-secret' });
    assert.equal(status, 401);
    assert.equal(body['error'], 'invalid_client');
    assert.match(String(body['error_description']), /^AADSTS7000215: /);
  });

  it('should accept client_secret_basic when the secret is sent in the Authorization header', async () => {
    const result = await signIn(ctx.tenant);
    const response = await fetch(`${ctx.tenant.authority}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${ctx.tenant.clientId}:${ctx.tenant.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code', code: result.redirect.searchParams.get('code')!,
        redirect_uri: 'http://localhost:8000/auth/redirect', code_verifier: result.verifier,
      }),
    });
    assert.equal(response.status, 200);
  });
});
