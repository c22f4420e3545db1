import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { before, describe, it } from 'node:test';

import { useTestTenant } from './helpers.ts';

const hasIpv6Loopback = Object.values(networkInterfaces()).flat().some((i) => i?.internal && i.address === '::1');

describe('discovery and keys', () => {
  const ctx = useTestTenant();
  let metadata: Record<string, unknown>;

  before(async () => {
    const response = await fetch(`${ctx.tenant.authority}/v2.0/.well-known/openid-configuration`);
    assert.equal(response.status, 200);
    metadata = await response.json() as Record<string, unknown>;
  });

  it('should publish Entra-layout endpoints when the Entra discovery path is fetched', () => {
    assert.equal(metadata['issuer'], `${ctx.tenant.authority}/v2.0`);
    assert.equal(metadata['authorization_endpoint'], `${ctx.tenant.authority}/oauth2/v2.0/authorize`);
    assert.equal(metadata['token_endpoint'], `${ctx.tenant.authority}/oauth2/v2.0/token`);
    assert.equal(metadata['end_session_endpoint'], `${ctx.tenant.authority}/oauth2/v2.0/logout`);
    assert.equal(metadata['jwks_uri'], `${ctx.tenant.authority}/discovery/v2.0/keys`);
  });

  it('should advertise code flow, PKCE S256, RS256 and the scopes msal asks for', () => {
    assert.deepEqual(metadata['response_types_supported'], ['code']);
    assert.deepEqual(metadata['code_challenge_methods_supported'], ['S256']);
    assert.deepEqual(metadata['id_token_signing_alg_values_supported'], ['RS256']);
    for (const scope of ['openid', 'profile', 'email', 'offline_access']) assert.ok((metadata['scopes_supported'] as string[]).includes(scope), scope);
    assert.ok((metadata['token_endpoint_auth_methods_supported'] as string[]).includes('client_secret_post'));
  });

  it('should publish the RS256 signing key with a kid and no private members', async () => {
    const response = await fetch(String(metadata['jwks_uri']));
    const { keys } = await response.json() as { keys: Array<Record<string, unknown>> };
    assert.equal(keys.length, 1);
    assert.equal(keys[0]!['kty'], 'RSA');
    assert.equal(keys[0]!['alg'], 'RS256');
    assert.equal(typeof keys[0]!['kid'], 'string');
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal(member in keys[0]!, false, member);
  });

  it('should count discovery and key-set requests', async () => {
    ctx.tenant.resetCounts();
    await fetch(`${ctx.tenant.authority}/v2.0/.well-known/openid-configuration`);
    await fetch(`${ctx.tenant.authority}/discovery/v2.0/keys`);
    await fetch(`${ctx.tenant.authority}/discovery/v2.0/keys`);
    assert.equal(ctx.tenant.counts().discovery, 1);
    assert.equal(ctx.tenant.counts().jwks, 2);
  });

  it('should answer on [::1] as well when the host has an IPv6 loopback', { skip: !hasIpv6Loopback && 'no ::1 here' }, async () => {
    const port = new URL(ctx.tenant.authority).port;
    const response = await fetch(`https://[::1]:${port}/${ctx.tenant.tenantId}/discovery/v2.0/keys`);
    assert.equal(response.status, 200);
  });
});
