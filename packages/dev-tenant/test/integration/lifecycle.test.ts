import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import * as x509 from '@peculiar/x509';

import { DevTenantError, startDevTenant } from '../../src/index.ts';
import { redeemCode, signIn, startTestTenant, tempDir } from './helpers.ts';

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('start and stop', () => {
  it('should refuse to start with DEV_TENANT_IN_PRODUCTION when nodeEnv is production', async () => {
    const dataDir = await tempDir();
    try {
      await assert.rejects(startDevTenant({ nodeEnv: 'production', dataDir, port: 0 }), (err: unknown) => {
        assert.ok(err instanceof DevTenantError);
        assert.equal(err.code, 'DEV_TENANT_IN_PRODUCTION');
        assert.match(err.message, /refuses to run when NODE_ENV=production/);
        return true;
      });
      await assert.rejects(stat(join(dataDir, 'ca.pem')), 'nothing was written');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('should reuse the CA, identity and signing key when started twice with the same dataDir', async () => {
    const dataDir = await tempDir();
    try {
      const first = await startTestTenant({ dataDir });
      const { body } = await redeemCode(first.tenant, await signIn(first.tenant));
      const identity = { tenantId: first.tenant.tenantId, clientId: first.tenant.clientId, clientSecret: first.tenant.clientSecret, caPem: first.tenant.caPem };
      await first.stop();

      const second = await startTestTenant({ dataDir });
      try {
        assert.deepEqual(
          { tenantId: second.tenant.tenantId, clientId: second.tenant.clientId, clientSecret: second.tenant.clientSecret, caPem: second.tenant.caPem },
          identity,
        );
        assert.equal(await readFile(second.tenant.caFile, 'utf8'), identity.caPem);
        // The access token from before the restart still verifies (the issuer's port differs, so check the signature only).
        const jwks = await (await fetch(`${second.tenant.authority}/discovery/v2.0/keys`)).json() as { keys: Array<{ kid: string }> };
        const kid = JSON.parse(Buffer.from(String(body['access_token']).split('.')[0]!, 'base64url').toString()).kid;
        assert.ok(jwks.keys.some((k) => k.kid === kid));
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('should serve a localhost certificate signed by a 10-year CA with cA and keyCertSign', async () => {
    const { tenant, dataDir, stop } = await startTestTenant();
    try {
      const ca = new X509Certificate(tenant.caPem);
      const leaf = new X509Certificate(await readFile(join(dataDir, 'localhost.pem')));
      assert.equal(ca.ca, true);
      const caExt = new x509.X509Certificate(tenant.caPem);
      assert.equal(caExt.getExtension(x509.BasicConstraintsExtension)?.ca, true);
      assert.ok(((caExt.getExtension(x509.KeyUsagesExtension)?.usages ?? 0) & x509.KeyUsageFlags.keyCertSign) !== 0, 'keyCertSign');
      assert.ok(new Date(ca.validTo).getTime() - Date.now() > 9.9 * 365 * 24 * 3600 * 1000);
      assert.ok(leaf.verify(ca.publicKey));
      assert.equal(leaf.ca, false);
      assert.match(leaf.subjectAltName ?? '', /DNS:localhost/);
      assert.match(leaf.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
      assert.match(leaf.subjectAltName ?? '', /IP Address:0:0:0:0:0:0:0:1|IP Address:::1/);
      assert.equal(((await stat(join(dataDir, 'ca-key.pem'))).mode & 0o077), 0, 'the CA key is private');
      assert.equal(((await stat(join(dataDir, 'tenant.json'))).mode & 0o077), 0, 'the client secret is private');
      // fetch verifies the chain against the trusted CA: no certificate check is disabled anywhere.
      assert.equal((await fetch(`${tenant.authority}/v2.0/.well-known/openid-configuration`)).status, 200);
    } finally {
      await stop();
    }
  });

  it('should regenerate the server certificate when it is missing', async () => {
    const dataDir = await tempDir();
    try {
      const first = await startTestTenant({ dataDir });
      await first.stop();
      const before = await readFile(join(dataDir, 'localhost.pem'), 'utf8');
      await rm(join(dataDir, 'localhost.pem'));
      const second = await startTestTenant({ dataDir });
      try {
        assert.notEqual(await readFile(join(dataDir, 'localhost.pem'), 'utf8'), before);
        assert.equal(second.tenant.caPem, first.tenant.caPem);
        assert.equal((await fetch(`${second.tenant.authority}/discovery/v2.0/keys`)).status, 200);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('should stop listening and drop open connections when closed', async () => {
    const { tenant, stop } = await startTestTenant();
    const port = Number(new URL(tenant.authority).port);
    await fetch(`${tenant.authority}/discovery/v2.0/keys`, { keepalive: true });
    await stop();
    assert.equal(await refused(port), true);
    await tenant.close(); // idempotent
  });

  it('should reject invalid options with DEV_TENANT_INVALID_OPTION', async () => {
    for (const options of [{ port: -1 }, { port: 1.5 }, { accessTokenTtlSeconds: 0 }, { redirectUris: ['not a uri'] }, { redirectUris: [] }]) {
      await assert.rejects(startDevTenant({ ...options, dataDir: '/nonexistent-never-created' }), { code: 'DEV_TENANT_INVALID_OPTION' });
    }
  });

  it('should reject a bad TTL and an unknown fault target at run time', async () => {
    const { tenant, stop } = await startTestTenant();
    try {
      assert.throws(() => tenant.setAccessTokenTtl(0), { code: 'DEV_TENANT_INVALID_OPTION' });
      assert.throws(() => tenant.injectFault('nope' as 'token', { status: 500 }), { code: 'DEV_TENANT_INVALID_OPTION' });
      assert.throws(() => tenant.injectFault('token', { status: 42 }), { code: 'DEV_TENANT_INVALID_OPTION' });
    } finally {
      await stop();
    }
  });

  it('should expose the API values in Entra\'s shape', async () => {
    const { tenant, stop } = await startTestTenant();
    try {
      const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
      assert.match(tenant.tenantId, guid);
      assert.match(tenant.clientId, guid);
      assert.match(tenant.authority, new RegExp(`^https://localhost:\\d+/${tenant.tenantId}$`));
      assert.equal(tenant.issuer, `${tenant.authority}/v2.0`);
      assert.equal(tenant.graphEndpoint, `${new URL(tenant.authority).origin}/v1.0`);
      assert.ok(tenant.clientSecret.length >= 32);
      assert.ok(tenant.users.length >= 10);
      assert.equal(tenant.users[0]!.displayName, 'Megan Bowen');
      assert.deepEqual(tenant.users[0]!.roles, ['Employee']);
      assert.equal(new Set(tenant.users.map((u) => u.oid)).size, tenant.users.length);
    } finally {
      await stop();
    }
  });
});
