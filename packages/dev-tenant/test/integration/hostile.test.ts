import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { beforeEach, describe, it } from 'node:test';

import { createLocalJWKSet, errors as joseErrors, importJWK, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';

import type { DevTenant } from '../../src/index.ts';
import {
  claimsOf, redeemCode, signIn, startTestTenant, tempDir, tokenRequest, useTestTenant,
} from './helpers.ts';

const MSAL_SCOPE = 'User.ReadBasic.All openid profile offline_access';

/** The three parts of a compact JWS, header and payload decoded. */
function partsOf(jwt: unknown): { header: Record<string, unknown>; payload: Record<string, unknown>; signature: string } {
  const [header = '', , signature = ''] = String(jwt).split('.');
  return { header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>, payload: claimsOf(jwt), signature };
}

async function keySet(tenant: DevTenant): Promise<JSONWebKeySet> {
  return await (await fetch(`${tenant.authority}/discovery/v2.0/keys`)).json() as JSONWebKeySet;
}

/** Verifies a JWT's signature (only) against the tenant's published keys. */
async function verifyWithJwks(tenant: DevTenant, jwt: unknown) {
  return jwtVerify(String(jwt), createLocalJWKSet(await keySet(tenant)));
}

/** Signs Megan in and redeems the code: the token response body. */
async function codeTokens(tenant: DevTenant): Promise<Record<string, unknown>> {
  const { status, body } = await redeemCode(tenant, await signIn(tenant));
  assert.equal(status, 200);
  return body;
}

async function refreshTokens(tenant: DevTenant, refreshToken: unknown): Promise<Record<string, unknown>> {
  const { status, body } = await tokenRequest(tenant, { grant_type: 'refresh_token', refresh_token: String(refreshToken), scope: MSAL_SCOPE });
  assert.equal(status, 200);
  return body;
}

function graphMe(tenant: DevTenant, accessToken: unknown): Promise<Response> {
  return fetch(`${tenant.graphEndpoint}/me`, { headers: { authorization: `Bearer ${String(accessToken)}` } });
}

describe('ID-token tampering (hostile mode)', () => {
  const ctx = useTestTenant();
  beforeEach(() => ctx.tenant.clearFaults());

  it('should set and remove payload claims, re-signed by the tenant, when a tamper names them', async () => {
    const { tenant } = ctx;
    tenant.tamperIdToken({ claims: { iss: 'https://evil.example/v2.0', aud: ['x', 'y'], sub: 'other' }, removeClaims: ['nonce'] });
    const body = await codeTokens(tenant);
    const { payload, protectedHeader } = await verifyWithJwks(tenant, body['id_token']);
    assert.equal(payload.iss, 'https://evil.example/v2.0');
    assert.deepEqual(payload.aud, ['x', 'y']);
    assert.equal(payload.sub, 'other');
    assert.equal('nonce' in payload, false);
    assert.equal(payload['oid'], tenant.users[0]!.oid, 'untouched claims stay');
    assert.equal(protectedHeader.alg, 'RS256');
    const access = await jwtVerify(String(body['access_token']), createLocalJWKSet(await keySet(tenant)), { issuer: tenant.issuer, audience: 'https://graph.microsoft.com' });
    assert.equal(access.payload['oid'], tenant.users[0]!.oid, 'the access token is left alone');
  });

  it('should set and remove header parameters when a tamper names them', async () => {
    const { tenant } = ctx;
    tenant.tamperIdToken({ header: { kid: 'unknown', jku: 'https://evil.example/keys' } });
    assert.deepEqual(partsOf((await codeTokens(tenant))['id_token']).header, { alg: 'RS256', kid: 'unknown', jku: 'https://evil.example/keys' });
    tenant.tamperIdToken({ removeHeader: ['kid'] });
    const idToken = (await codeTokens(tenant))['id_token'];
    assert.equal('kid' in partsOf(idToken).header, false);
    await verifyWithJwks(tenant, idToken); // one published key: it still verifies without kid
  });

  it('should sign with the tenant key under the published kid when sign is "tenant"', async () => {
    const { tenant } = ctx;
    tenant.tamperIdToken({ sign: 'tenant', claims: { name: 'Changed' } });
    const { payload, protectedHeader } = await verifyWithJwks(tenant, (await codeTokens(tenant))['id_token']);
    assert.equal(payload['name'], 'Changed');
    assert.equal(protectedHeader.kid, (await keySet(tenant)).keys[0]!.kid);
  });

  it('should sign with a real RS512 signature when the header claims RS512', async () => {
    const { tenant } = ctx;
    tenant.tamperIdToken({ header: { alg: 'RS512' } });
    const idToken = String((await codeTokens(tenant))['id_token']);
    const { alg: _alg, ...jwk } = (await keySet(tenant)).keys[0]!;
    const { protectedHeader } = await jwtVerify(idToken, await importJWK(jwk, 'RS512'), { algorithms: ['RS512'] });
    assert.equal(protectedHeader.alg, 'RS512');
  });

  it('should sign with a key outside the key set, under the same kid, when sign is "foreign"', async () => {
    const { tenant } = ctx;
    tenant.tamperIdToken({ sign: 'foreign' });
    const idToken = (await codeTokens(tenant))['id_token'];
    const { header, signature } = partsOf(idToken);
    assert.equal(header['kid'], (await keySet(tenant)).keys[0]!.kid);
    assert.equal(header['alg'], 'RS256');
    assert.equal(Buffer.from(signature, 'base64url').length, 256, 'a real RSA-2048 signature');
    await assert.rejects(verifyWithJwks(tenant, idToken), joseErrors.JWSSignatureVerificationFailed);
    await verifyWithJwks(tenant, (await codeTokens(tenant))['id_token']); // used up: the next one is genuine
  });

  it('should answer alg "none" and an empty signature when sign is "none"', async () => {
    const { tenant } = ctx;
    tenant.tamperIdToken({ sign: 'none' });
    const idToken = String((await codeTokens(tenant))['id_token']);
    const { header, payload, signature } = partsOf(idToken);
    assert.equal(header['alg'], 'none');
    assert.equal(signature, '');
    assert.ok(idToken.endsWith('.'));
    assert.equal(payload['oid'], tenant.users[0]!.oid);
  });

  it('should sign with HMAC-SHA256 keyed by the client secret when sign is "hs256"', async () => {
    const { tenant } = ctx;
    tenant.tamperIdToken({ sign: 'hs256' });
    const idToken = String((await codeTokens(tenant))['id_token']);
    const { protectedHeader, payload } = await jwtVerify(idToken, new TextEncoder().encode(tenant.clientSecret), { algorithms: ['HS256'], issuer: tenant.issuer, audience: tenant.clientId });
    assert.equal(protectedHeader.alg, 'HS256');
    assert.equal(payload['oid'], tenant.users[0]!.oid);
  });

  it('should alter only the refresh grant\'s ID token when the tamper names that grant', async () => {
    const { tenant } = ctx;
    tenant.tamperIdToken({ grant: 'refresh_token', claims: { sub: 'someone-else' } });
    const first = await codeTokens(tenant);
    const { payload } = await verifyWithJwks(tenant, first['id_token']);
    assert.notEqual(payload.sub, 'someone-else', 'the code grant is left alone');
    const refreshed = await refreshTokens(tenant, first['refresh_token']);
    assert.equal(claimsOf(refreshed['id_token'])['sub'], 'someone-else');
    const again = await refreshTokens(tenant, first['refresh_token']);
    assert.equal(claimsOf(again['id_token'])['sub'], payload.sub, 'used up');
  });

  it('should alter the next `times` ID tokens, in queue order, when several tampers are queued', async () => {
    const { tenant } = ctx;
    tenant.tamperIdToken({ claims: { name: 'First' }, times: 2 });
    tenant.tamperIdToken({ claims: { name: 'Second' } });
    const names = [];
    for (let i = 0; i < 4; i++) names.push(claimsOf((await codeTokens(tenant))['id_token'])['name']);
    assert.deepEqual(names, ['First', 'First', 'Second', 'Megan Bowen']);
  });

  it('should forget queued tampers when clearFaults is called', async () => {
    const { tenant } = ctx;
    tenant.tamperIdToken({ sign: 'none', times: 3 });
    tenant.clearFaults();
    const { protectedHeader } = await verifyWithJwks(tenant, (await codeTokens(tenant))['id_token']);
    assert.equal(protectedHeader.alg, 'RS256');
  });

  it('should throw DEV_TENANT_INVALID_OPTION when a tamper is malformed', () => {
    const { tenant } = ctx;
    for (const bad of [{ times: 0 }, { sign: 'rsa' }, { grant: 'client_credentials' }, { removeClaims: 'sub' }, { claims: ['sub'] }]) {
      assert.throws(() => tenant.tamperIdToken(bad as never), { code: 'DEV_TENANT_INVALID_OPTION' }, JSON.stringify(bad));
    }
  });
});

describe('signing-key rotation', () => {
  const ctx = useTestTenant();

  it('should sign with a new key listed first and keep the old one when keepOld is left out', async () => {
    const { tenant } = ctx;
    const before = await codeTokens(tenant);
    const oldKid = (await keySet(tenant)).keys[0]!.kid;
    await tenant.rotateSigningKey();
    const kids = (await keySet(tenant)).keys.map((k) => k.kid);
    assert.equal(kids.length, 2);
    assert.equal(kids[1], oldKid);
    assert.notEqual(kids[0], oldKid);
    const after = await codeTokens(tenant);
    assert.equal((await verifyWithJwks(tenant, after['id_token'])).protectedHeader.kid, kids[0]);
    assert.equal(partsOf(after['access_token']).header['kid'], kids[0]);
    assert.equal((await graphMe(tenant, before['access_token'])).status, 200, 'tokens signed with the old key still pass');
    const refreshed = await refreshTokens(tenant, before['refresh_token']);
    assert.equal(partsOf(refreshed['id_token']).header['kid'], kids[0], 'grants made before the rotation survive it');
  });

  it('should drop the old keys and refuse old access tokens at Graph when keepOld is false', async () => {
    const { tenant } = ctx;
    const before = await codeTokens(tenant);
    await tenant.rotateSigningKey({ keepOld: false });
    const { keys } = await keySet(tenant);
    assert.equal(keys.length, 1);
    assert.notEqual(keys[0]!.kid, partsOf(before['access_token']).header['kid']);
    const refused = await graphMe(tenant, before['access_token']);
    assert.equal(refused.status, 401);
    assert.match(JSON.stringify(await refused.json()), /Signature validation failed/);
    assert.equal((await graphMe(tenant, (await codeTokens(tenant))['access_token'])).status, 200);
  });

  it('should publish and sign with the same keys after a restart on the same dataDir', async () => {
    const dataDir = await tempDir();
    try {
      const first = await startTestTenant({ dataDir });
      await first.tenant.rotateSigningKey();
      await first.tenant.rotateSigningKey();
      const kids = (await keySet(first.tenant)).keys.map((k) => k.kid);
      await first.stop();
      const second = await startTestTenant({ dataDir });
      try {
        assert.equal(kids.length, 3);
        assert.deepEqual((await keySet(second.tenant)).keys.map((k) => k.kid), kids);
        assert.equal((await verifyWithJwks(second.tenant, (await codeTokens(second.tenant))['id_token'])).protectedHeader.kid, kids[0]);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
