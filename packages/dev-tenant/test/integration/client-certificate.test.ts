import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, randomUUID, X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { before, describe, it } from 'node:test';

import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { importPKCS8, SignJWT } from 'jose';
import type { CryptoKey, KeyObject } from 'jose';

import type { DevTenant } from '../../src/index.ts';
import { Agent } from '../../src/agent.ts';
import { claimsOf, location, signIn, startTestTenant, submitOnTenant, useTestTenant } from './helpers.ts';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function tokenEndpoint(tenant: DevTenant): string {
  return `${tenant.authority}/oauth2/v2.0/token`;
}

function x5tS256(tenant: DevTenant): string {
  return Buffer.from(tenant.clientCertificate.thumbprintSha256, 'hex').toString('base64url');
}

interface AssertionOptions {
  alg?: 'RS256' | 'PS256';
  key?: CryptoKey | KeyObject;
  aud?: string;
  jti?: string;
  expiresIn?: number;
  header?: Record<string, unknown>;
}

/** A client assertion made the RFC 7523 way with jose (what an app without msal would send). */
async function assertion(tenant: DevTenant, options: AssertionOptions = {}): Promise<string> {
  const alg = options.alg ?? 'RS256';
  const key = options.key ?? await importPKCS8(tenant.clientCertificate.privateKeyPem, alg);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ jti: options.jti ?? randomUUID() })
    .setProtectedHeader({ alg, 'x5t#S256': x5tS256(tenant), ...options.header })
    .setIssuer(tenant.clientId)
    .setSubject(tenant.clientId)
    .setAudience(options.aud ?? tokenEndpoint(tenant))
    .setNotBefore(now)
    .setExpirationTime(now + (options.expiresIn ?? 300))
    .sign(key);
}

async function token(tenant: DevTenant, fields: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(tokenEndpoint(tenant), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: tenant.clientId, client_info: '1', ...fields }),
  });
  return { status: response.status, body: await response.json() as Record<string, unknown> };
}

function withAssertion(jwt: string): Record<string, string> {
  return { client_assertion_type: ASSERTION_TYPE, client_assertion: jwt };
}

/** A refresh request that fails at client authentication, before the (bogus) refresh token is looked at. */
function refreshWith(tenant: DevTenant, auth: Record<string, string>) {
  return token(tenant, { grant_type: 'refresh_token', refresh_token: 'not-looked-at', scope: 'openid', ...auth });
}

function assertInvalidClient(result: { status: number; body: Record<string, unknown> }, code: number): void {
  assert.equal(result.status, 401);
  assert.equal(result.body['error'], 'invalid_client');
  assert.deepEqual(result.body['error_codes'], [code]);
  assert.match(String(result.body['error_description']), new RegExp(`^AADSTS${code}: .+ Trace ID: `));
  for (const field of ['timestamp', 'trace_id', 'correlation_id']) assert.equal(typeof result.body[field], 'string');
}

describe('clientAuth: private_key_jwt', () => {
  const ctx = useTestTenant({ clientAuth: 'private_key_jwt' });

  it('should persist an RSA-2048 key and a self-signed certificate whose SHA-256 thumbprint is exposed when the tenant starts', async () => {
    const cert = ctx.tenant.clientCertificate;
    const x509 = new X509Certificate(await readFile(cert.certificateFile, 'utf8'));
    assert.equal(cert.thumbprintSha256, createHash('sha256').update(x509.raw).digest('hex').toUpperCase());
    assert.equal(x509.publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.equal(x509.subject, x509.issuer, 'self-signed');
    assert.equal(x509.verify(x509.publicKey), true, 'signed by its own key');
    assert.match(cert.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/, 'PKCS#8');
    assert.equal(await readFile(cert.keyFile, 'utf8'), cert.privateKeyPem);
    assert.equal((await stat(cert.keyFile)).mode & 0o777, 0o600);
    const again = await startTestTenant({ dataDir: ctx.dataDir, clientAuth: 'private_key_jwt' });
    try {
      assert.equal(again.tenant.clientCertificate.thumbprintSha256, cert.thumbprintSha256, 'the same certificate after a restart');
    } finally {
      await again.tenant.close();
    }
  });

  for (const withX5c of [false, true]) {
    it(`should sign in and refresh with msal-node's clientCertificate${withX5c ? ' and x5c' : ''} when private_key_jwt is registered`, async () => {
      const { tenant } = ctx;
      const authorityMetadata = await (await fetch(`${tenant.authority}/v2.0/.well-known/openid-configuration`)).text();
      const cert = tenant.clientCertificate;
      const cca = new ConfidentialClientApplication({
        auth: {
          clientId: tenant.clientId,
          clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKeyPem, ...(withX5c ? { x5c: cert.certificatePem } : {}) },
          authority: tenant.authority,
          knownAuthorities: [new URL(tenant.authority).host],
          authorityMetadata,
        },
      });
      const scopes = ['User.ReadBasic.All'];
      const redirectUri = 'http://localhost:8000/auth/redirect';
      const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
      const url = await cca.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: challenge, codeChallengeMethod: 'S256' });
      const agent = new Agent();
      const pickerUrl = location(await agent.raw(url), url);
      const back = await submitOnTenant(agent, tenant, await (await agent.raw(pickerUrl)).text(), /Adele Vance/, pickerUrl);
      const byCode = await cca.acquireTokenByCode({ code: back.searchParams.get('code')!, scopes, redirectUri, codeVerifier: verifier });
      assert.equal(byCode.account?.username, 'AdeleV@devtenant.example');
      const refreshed = await cca.acquireTokenSilent({ account: byCode.account!, scopes, forceRefresh: true });
      assert.equal(refreshed.fromCache, false);
      assert.equal(claimsOf(refreshed.accessToken)['scp'], 'User.ReadBasic.All');
    });
  }

  it('should accept RS256 and PS256 assertions made with jose, aud = token endpoint or issuer, when the code is redeemed and refreshed', async () => {
    const { tenant } = ctx;
    const result = await signIn(tenant);
    const redeemed = await token(tenant, {
      grant_type: 'authorization_code',
      code: result.redirect.searchParams.get('code') ?? '',
      redirect_uri: `${result.redirect.origin}${result.redirect.pathname}`,
      code_verifier: result.verifier,
      scope: 'User.ReadBasic.All openid profile offline_access',
      ...withAssertion(await assertion(tenant)),
    });
    assert.equal(redeemed.status, 200, JSON.stringify(redeemed.body));
    const refreshed = await token(tenant, {
      grant_type: 'refresh_token',
      refresh_token: String(redeemed.body['refresh_token']),
      scope: 'User.ReadBasic.All openid profile offline_access',
      ...withAssertion(await assertion(tenant, { alg: 'PS256', aud: tenant.issuer })),
    });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
  });

  it('should refuse an assertion signed by another key with invalid_client AADSTS700027', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    assertInvalidClient(await refreshWith(ctx.tenant, withAssertion(await assertion(ctx.tenant, { key: privateKey }))), 700027);
  });

  it('should refuse an assertion naming another certificate with invalid_client AADSTS700027', async () => {
    const header = { 'x5t#S256': createHash('sha256').update('another certificate').digest('base64url') };
    assertInvalidClient(await refreshWith(ctx.tenant, withAssertion(await assertion(ctx.tenant, { header }))), 700027);
  });

  it('should refuse an expired assertion with invalid_client AADSTS700024', async () => {
    assertInvalidClient(await refreshWith(ctx.tenant, withAssertion(await assertion(ctx.tenant, { expiresIn: -120 }))), 700024);
  });

  it('should refuse an assertion valid for longer than 10 minutes with invalid_client', async () => {
    assertInvalidClient(await refreshWith(ctx.tenant, withAssertion(await assertion(ctx.tenant, { expiresIn: 3600 }))), 700024);
  });

  it('should refuse a second assertion that replays a used jti with invalid_client AADSTS700027', async () => {
    const jti = randomUUID();
    const first = await refreshWith(ctx.tenant, withAssertion(await assertion(ctx.tenant, { jti })));
    assert.equal(first.body['error'], 'invalid_grant', 'the client authenticated; the bogus refresh token is refused');
    assertInvalidClient(await refreshWith(ctx.tenant, withAssertion(await assertion(ctx.tenant, { jti, expiresIn: 200 }))), 700027);
  });

  it('should accept the very same assertion again while it is valid when msal-node re-sends its cached one', async () => {
    const same = await assertion(ctx.tenant);
    assert.equal((await refreshWith(ctx.tenant, withAssertion(same))).body['error'], 'invalid_grant');
    assert.equal((await refreshWith(ctx.tenant, withAssertion(same))).body['error'], 'invalid_grant', 'authenticated again');
  });

  it('should refuse the client secret with invalid_client AADSTS7000215 when private_key_jwt is registered', async () => {
    assertInvalidClient(await refreshWith(ctx.tenant, { client_secret: ctx.tenant.clientSecret }), 7000215);
  });
});

describe('clientAuth: client_secret (default)', () => {
  const ctx = useTestTenant();
  let jwt: string;
  before(async () => {
    jwt = await assertion(ctx.tenant);
  });

  it('should refuse a certificate assertion with invalid_client AADSTS700027 when only the secret is registered', async () => {
    assertInvalidClient(await refreshWith(ctx.tenant, withAssertion(jwt)), 700027);
  });

  it('should refuse a wrong secret with invalid_client AADSTS7000215', async () => {
    assertInvalidClient(await refreshWith(ctx.tenant, { client_secret: 'wrong-secret-wrong-secret-wrong-secret-00' }), 7000215);
  });

  it('should refuse an unknown clientAuth value with DEV_TENANT_INVALID_OPTION', async () => {
    await assert.rejects(startTestTenant({ clientAuth: 'tls_client_auth' as 'client_secret' }), { code: 'DEV_TENANT_INVALID_OPTION' });
  });
});
