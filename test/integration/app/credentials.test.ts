import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { importPKCS8, SignJWT } from 'jose';
import type { DevTenant } from '@contoso/dev-tenant';
import { makeCertificate } from '../../helpers/certificate.ts';
import { Agent, signIn, startApp, startTenant } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';

/** A client assertion as a workload-identity platform would mount it: signed by the registered certificate's key. */
async function assertionFor(tenant: DevTenant, tokenEndpoint: string): Promise<string> {
  const key = await importPKCS8(tenant.clientCertificate.privateKeyPem, 'PS256');
  const x5t = Buffer.from(tenant.clientCertificate.thumbprintSha256, 'hex').toString('base64url');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': x5t })
    .setIssuer(tenant.clientId).setSubject(tenant.clientId).setAudience(tokenEndpoint)
    .setJti(randomUUID()).setIssuedAt().setExpirationTime('10m')
    .sign(key);
}

describe('client credentials against a tenant that accepts only private_key_jwt', () => {
  let tenant: DevTenant;
  before(async () => {
    tenant = await startTenant({ clientAuth: 'private_key_jwt' });
  });
  after(() => tenant.close());
  beforeEach(() => {
    tenant.setAccessTokenTtl(3600);
    tenant.resetCounts();
  });

  describe('a certificate', () => {
    let app: AppUnderTest;
    before(async () => {
      const cert = tenant.clientCertificate;
      app = await startApp(tenant, {
        clientSecret: undefined, certificateKeyFile: cert.keyFile, certificateFile: cert.certificateFile, certificateSendX5c: 'true',
      });
    });
    after(() => app.close());

    it('should sign in, call Graph and refresh with a signed assertion instead of a secret', async () => {
      tenant.setAccessTokenTtl(120); // due for refresh at once (MSAL refreshes within 300 s of expiry)
      const agent = new Agent();
      const home = await signIn(agent, app);
      assert.match(home.body, /Hello Megan Bowen!/);
      assert.equal((await agent.go(`${app.origin}/call_ms_graph`)).status, 200);
      assert.equal(tenant.counts().tokenByGrant.authorization_code, 1);
      assert.equal(tenant.counts().tokenByGrant.refresh_token, 1);
    });

    it('should refuse the sign-in with a 500 page naming the certificate setting and no session when the certificate is not the registered one', async () => {
      const stranger = await makeCertificate();
      const other = await startApp(tenant, { clientSecret: undefined, certificateKeyFile: stranger.keyFile, certificateFile: stranger.certificateFile });
      try {
        const agent = new Agent();
        const page = await signIn(agent, other);
        assert.equal(page.status, 500, 'a configuration mistake (IDP_CONFIGURATION), not the authority failing');
        assert.match(page.body, /invalid_client/);
        assert.match(page.body, /AADSTS700027/);
        assert.match(page.body, /CLIENT_CERTIFICATE_FILE/);
        assert.equal((await agent.go(`${other.origin}/token_details`)).status, 401);
      } finally {
        await other.close();
      }
    });
  });

  describe('a client assertion file (workload identity federation)', () => {
    let app: AppUnderTest;
    let file: string;
    let tokenEndpoint: string;
    before(async () => {
      const dir = (await makeCertificate()).dir;
      file = join(dir, 'federated-token');
      const discovery = await fetch(`${tenant.authority}/v2.0/.well-known/openid-configuration`).then((r) => r.json()) as { token_endpoint: string };
      tokenEndpoint = discovery.token_endpoint;
      await writeFile(file, `${await assertionFor(tenant, tokenEndpoint)}\n`);
      app = await startApp(tenant, { clientSecret: undefined, federatedTokenFile: file });
    });
    after(() => app.close());

    it('should re-read the file for every token request, as the platform rotates it', async () => {
      tenant.setAccessTokenTtl(120);
      const agent = new Agent();
      assert.match((await signIn(agent, app)).body, /Hello Megan Bowen!/);
      // A file now holding an assertion of a key the tenant does not know: the refresh must fail,
      // which it would not if the app had kept the first assertion.
      const stranger = await makeCertificate();
      await writeFile(file, await assertionFor({ ...tenant, clientCertificate: { ...tenant.clientCertificate, privateKeyPem: stranger.privateKeyPem } }, tokenEndpoint));
      const refused = await agent.go(`${app.origin}/call_ms_graph`);
      assert.equal(refused.status, 500);
      assert.match(refused.body, /IDP_CONFIGURATION/);
      assert.match(refused.body, /invalid_client/);
      await writeFile(file, await assertionFor(tenant, tokenEndpoint));
      assert.equal((await agent.go(`${app.origin}/call_ms_graph`)).status, 200);
      assert.equal(tenant.counts().tokenByGrant.refresh_token, 2);
    });

    it('should answer 503 CREDENTIAL_UNAVAILABLE, keep the session, and recover when the file comes back', async () => {
      tenant.setAccessTokenTtl(120);
      await writeFile(file, await assertionFor(tenant, tokenEndpoint));
      const agent = new Agent();
      await signIn(agent, app);
      await rm(file);
      const page = await agent.go(`${app.origin}/call_ms_graph`);
      assert.equal(page.status, 503);
      assert.match(page.body, /could not read its credential/);
      assert.match(app.logs.join('\n'), /"code":"CREDENTIAL_UNAVAILABLE"/);
      assert.equal((await agent.go(`${app.origin}/token_details`)).status, 200, 'still signed in');
      await writeFile(file, await assertionFor(tenant, tokenEndpoint));
      assert.equal((await agent.go(`${app.origin}/call_ms_graph`)).status, 200);
    });
  });
});
