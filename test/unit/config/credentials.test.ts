import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildConfig, ConfigError } from '../../../src/config/index.ts';
import type { RawSettings } from '../../../src/config/index.ts';
import { makeCertificate } from '../../helpers/certificate.ts';
import type { TestCertificate } from '../../helpers/certificate.ts';
import { rawSettings } from '../../helpers/settings.ts';

const base: RawSettings = rawSettings({
  clientId: '11111111-2222-3333-4444-555555555555',
  clientSecret: '{enter-your-client-secret-here}',
  authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
});

function rejects(overrides: Partial<RawSettings>, key: string, pattern: RegExp): void {
  assert.throws(() => buildConfig({ ...base, ...overrides }), (error: unknown) => {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.key, key);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('client credentials', () => {
  let cert: TestCertificate;
  let other: TestCertificate;
  before(async () => {
    cert = await makeCertificate();
    other = await makeCertificate();
  });

  it('should use the client secret when it is the only credential', () => {
    const config = buildConfig({ ...base, clientSecret: 's3cret' });
    assert.deepEqual(config.credential, { kind: 'secret', secret: 's3cret' });
  });

  it('should take a certificate with its SHA-256 thumbprint, ignoring the sample\'s secret placeholder', () => {
    const config = buildConfig({ ...base, certificateKeyFile: cert.keyFile, certificateThumbprint: cert.thumbprintSha256.toLowerCase().match(/../g)!.join(':') });
    assert.equal(config.credential.kind, 'certificate');
    if (config.credential.kind !== 'certificate') return;
    assert.equal(config.credential.thumbprintSha256, cert.thumbprintSha256);
    assert.match(config.credential.privateKey, /^-----BEGIN PRIVATE KEY-----/);
    assert.equal(config.credential.x5c, undefined);
  });

  it('should compute the thumbprint from the certificate file and send x5c when asked', () => {
    const config = buildConfig({ ...base, certificateKeyFile: cert.keyFile, certificateFile: cert.certificateFile, certificateSendX5c: 'true' });
    assert.ok(config.credential.kind === 'certificate');
    assert.equal(config.credential.thumbprintSha256, cert.thumbprintSha256);
    assert.equal(config.credential.x5c, cert.certificatePem);
  });

  it('should refuse a certificate that does not match the key, a wrong or SHA-1 thumbprint, and a missing thumbprint', () => {
    rejects({ certificateKeyFile: cert.keyFile, certificateFile: other.certificateFile }, 'CLIENT_CERTIFICATE_FILE', /does not match CLIENT_CERTIFICATE_KEY_FILE/);
    rejects({ certificateKeyFile: cert.keyFile, certificateFile: cert.certificateFile, certificateThumbprint: other.thumbprintSha256 },
      'CLIENT_CERTIFICATE_THUMBPRINT', /not the SHA-256 thumbprint of CLIENT_CERTIFICATE_FILE/);
    rejects({ certificateKeyFile: cert.keyFile, certificateThumbprint: 'AB'.repeat(20) }, 'CLIENT_CERTIFICATE_THUMBPRINT', /SHA-1 thumbprint/);
    rejects({ certificateKeyFile: cert.keyFile }, 'CLIENT_CERTIFICATE_THUMBPRINT', /is not set/);
    rejects({ certificateKeyFile: cert.keyFile, certificateThumbprint: cert.thumbprintSha256, certificateSendX5c: 'true' }, 'CLIENT_CERTIFICATE_FILE', /needed when CLIENT_CERTIFICATE_SEND_X5C=true/);
  });

  it('should refuse an expired certificate, a missing key file, a non-key file, a non-RSA key and an encrypted key', async () => {
    const expired = await makeCertificate({ notBefore: new Date(Date.now() - 10 * 86_400_000), days: 1 });
    rejects({ certificateKeyFile: expired.keyFile, certificateFile: expired.certificateFile }, 'CLIENT_CERTIFICATE_FILE', /expired on/);
    rejects({ certificateKeyFile: join(cert.dir, 'missing.pem'), certificateThumbprint: cert.thumbprintSha256 }, 'CLIENT_CERTIFICATE_KEY_FILE', /cannot be read/);
    rejects({ certificateKeyFile: cert.certificateFile, certificateThumbprint: cert.thumbprintSha256 }, 'CLIENT_CERTIFICATE_KEY_FILE', /no PEM private key/);
    const ec = join(cert.dir, 'ec.pem');
    await writeFile(ec, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    rejects({ certificateKeyFile: ec, certificateThumbprint: cert.thumbprintSha256 }, 'CLIENT_CERTIFICATE_KEY_FILE', /ec key: Microsoft Entra needs an RSA/);
    const encrypted = join(cert.dir, 'encrypted.pem');
    await writeFile(encrypted, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }));
    rejects({ certificateKeyFile: encrypted, certificateThumbprint: cert.thumbprintSha256 }, 'CLIENT_CERTIFICATE_KEY_FILE', /is encrypted: store it unencrypted/);
  });

  it('should take a client assertion file, from CLIENT_ASSERTION_FILE or AZURE_FEDERATED_TOKEN_FILE', async () => {
    const file = join(cert.dir, 'token');
    await writeFile(file, 'a.b.c');
    const config = buildConfig({ ...base, federatedTokenFile: file });
    assert.deepEqual(config.credential, { kind: 'assertion', file, key: 'AZURE_FEDERATED_TOKEN_FILE' });
    rejects({ clientAssertionFile: join(cert.dir, 'nope') }, 'CLIENT_ASSERTION_FILE', /cannot be read/);
  });

  it('should stop when more than one credential is configured, naming them', () => {
    rejects({ clientSecret: 's3cret', certificateKeyFile: cert.keyFile }, 'CLIENT_CERTIFICATE_KEY_FILE',
      /^CLIENT_SECRET and CLIENT_CERTIFICATE_KEY_FILE are both set: configure exactly one client credential/);
    rejects({ clientSecret: 's3cret', clientAssertionFile: 'x', federatedTokenFile: 'y' }, 'CLIENT_ASSERTION_FILE', /are all set/);
  });

  it('should name CLIENT_SECRET with every alternative when no credential is configured', () => {
    rejects({}, 'CLIENT_SECRET', /still a placeholder: set it in \.env \(see \.env\.sample\), or use .*CLIENT_CERTIFICATE_KEY_FILE.*CLIENT_ASSERTION_FILE/);
  });
});
