import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWTPayload, KeyObject } from 'jose';
import { verifyIdToken } from '../../../src/auth/id-token.ts';
import type { IdTokenExpectations, KeySet } from '../../../src/auth/id-token.ts';
import { AppError } from '../../../src/errors.ts';

const ISSUER = 'https://login.example/tenant/v2.0';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const expect: IdTokenExpectations = { issuer: ISSUER, clientId: CLIENT, nonce: 'n-1', allowedTenants: [], clockSkewSeconds: 60, maxAgeSeconds: 3600 };

let key: KeyObject;
let foreignKey: KeyObject;
let keys: KeySet;

async function sign(payload: JWTPayload, options: { key?: KeyObject; header?: Record<string, unknown>; omit?: string[] } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const claims: JWTPayload = { iss: ISSUER, aud: CLIENT, sub: 'user-1', iat: now, nbf: now, exp: now + 3600, nonce: 'n-1', ...payload };
  for (const name of options.omit ?? []) delete claims[name];
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1', ...options.header }).sign(options.key ?? key);
}

async function rejectedFor(token: string, reason: string): Promise<void> {
  await assert.rejects(verifyIdToken(token, keys, expect), (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'ID_TOKEN_INVALID');
    assert.equal(error.status, 401);
    assert.equal(error.facts.reason, reason);
    return true;
  });
}

function encode(part: object): string {
  return Buffer.from(JSON.stringify(part)).toString('base64url');
}

describe('verifyIdToken (OIDC Core 3.1.3.7)', () => {
  before(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    ({ privateKey: foreignKey } = await generateKeyPair('RS256'));
    const jwk = await exportJWK(pair.publicKey);
    keys = createLocalJWKSet({ keys: [{ ...jwk, kid: 'k1', alg: 'RS256', use: 'sig' }] });
  });

  it('should accept a token that matches every check', async () => {
    const payload = await verifyIdToken(await sign({ name: 'Megan Bowen' }), keys, expect);
    assert.equal(payload.name, 'Megan Bowen');
  });

  it('should reject a token signed by a foreign key', async () => rejectedFor(await sign({}, { key: foreignKey }), 'signature'));
  it('should reject a token whose kid is unknown', async () => rejectedFor(await sign({}, { header: { kid: 'other' } }), 'kid'));
  it('should reject a token from another issuer', async () => rejectedFor(await sign({ iss: 'https://evil.example/v2.0' }), 'iss'));
  it('should reject a token for another audience', async () => rejectedFor(await sign({ aud: 'someone-else' }), 'aud'));
  it('should reject a token with an extra untrusted audience', async () => rejectedFor(await sign({ aud: [CLIENT, 'other'] }), 'aud'));
  it('should reject a token whose azp is another client', async () => rejectedFor(await sign({ azp: 'other' }), 'azp'));
  it('should reject an expired token beyond the clock skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    await rejectedFor(await sign({ iat: now - 4000, nbf: now - 4000, exp: now - 120 }), 'exp');
  });
  it('should accept a token expired by less than the clock skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    await verifyIdToken(await sign({ iat: now - 600, exp: now - 30 }), keys, expect);
  });
  it('should reject a token not valid yet', async () => rejectedFor(await sign({ nbf: Math.floor(Date.now() / 1000) + 600 }), 'nbf'));
  it('should reject a token issued too long ago', async () => {
    const now = Math.floor(Date.now() / 1000);
    await rejectedFor(await sign({ iat: now - 7200, nbf: now - 7200 }), 'iat');
  });
  it('should reject a token without sub', async () => rejectedFor(await sign({}, { omit: ['sub'] }), 'sub'));
  it('should reject a token with another nonce', async () => rejectedFor(await sign({ nonce: 'n-2' }), 'nonce'));
  it('should reject a token that brings its own key in the header', async () => {
    await rejectedFor(await sign({}, { header: { jku: 'https://evil.example/keys' } }), 'header_key');
  });
  it('should reject alg none', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${encode({ alg: 'none' })}.${encode({ iss: ISSUER, aud: CLIENT, sub: 'x', iat: now, exp: now + 60, nonce: 'n-1' })}.`;
    await rejectedFor(token, 'alg');
  });
  it('should reject an HMAC token', async () => {
    const token = await new SignJWT({ iss: ISSUER, aud: CLIENT, sub: 'x', nonce: 'n-1' }).setIssuedAt().setExpirationTime('1h')
      .setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(32)));
    await rejectedFor(token, 'alg');
  });
  it('should fill a multi-tenant issuer template with the token\'s own tid', async () => {
    const tid = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const template = { ...expect, issuer: 'https://login.example/{tenantid}/v2.0' };
    await verifyIdToken(await sign({ iss: `https://login.example/${tid}/v2.0`, tid }), keys, template);
    const other = await sign({ iss: 'https://login.example/11111111-1111-1111-1111-111111111111/v2.0', tid });
    await assert.rejects(verifyIdToken(other, keys, template), (e: unknown) => e instanceof AppError && e.facts.reason === 'iss');
    await assert.rejects(verifyIdToken(await sign({ iss: 'https://login.example/x/v2.0' }), keys, template),
      (e: unknown) => e instanceof AppError && e.facts.reason === 'tid');
  });

  it('should admit only tenants on the allow-list when one is configured', async () => {
    const allowed = { ...expect, allowedTenants: ['72f988bf-86f1-41af-91ab-2d7cd011db47'] };
    await verifyIdToken(await sign({ tid: '72F988BF-86F1-41AF-91AB-2D7CD011DB47' }), keys, allowed);
    await assert.rejects(verifyIdToken(await sign({ tid: '11111111-1111-1111-1111-111111111111' }), keys, allowed),
      (e: unknown) => e instanceof AppError && e.facts.reason === 'tenant_not_allowed');
    await assert.rejects(verifyIdToken(await sign({}), keys, allowed), (e: unknown) => e instanceof AppError && e.facts.reason === 'tenant_not_allowed');
  });

  it('should check tfp and acr case-insensitively and accept a token naming no flow when a B2C user flow is expected', async () => {
    const flow = { ...expect, userFlow: 'B2C_1A_signup_signin' };
    const flowOf = async (claims: JWTPayload) => verifyIdToken(await sign(claims), keys, flow);
    await flowOf({ tfp: 'b2c_1a_SIGNUP_signin' });
    await flowOf({ acr: 'b2c_1a_signup_signin' });
    await flowOf({}); // a custom policy that outputs neither claim
    for (const claims of [{ tfp: 'B2C_1_reset' }, { acr: 'b2c_1_reset' }, { tfp: 'B2C_1A_signup_signin', acr: 'b2c_1_reset' }, { tfp: 7 }]) {
      await assert.rejects(flowOf(claims), (e: unknown) => e instanceof AppError && e.facts.reason === 'user_flow', JSON.stringify(claims));
    }
  });

  it('should reject garbage', async () => rejectedFor('not.a.jwt', 'malformed'));
});
