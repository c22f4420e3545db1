/** A self-signed RSA client certificate for tests, written to a temp folder as PEM files. */
import { createHash, webcrypto } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface TestCertificate {
  readonly dir: string;
  readonly keyFile: string;
  readonly certificateFile: string;
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  /** SHA-256 of the DER certificate, upper-case hex. */
  readonly thumbprintSha256: string;
}

const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

/** Makes a key pair and a certificate valid from `notBefore` for `days` days. */
export async function makeCertificate(options: { days?: number; notBefore?: Date } = {}): Promise<TestCertificate> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: 'CN=test client', notBefore,
    notAfter: new Date(notBefore.getTime() + (options.days ?? 30) * 86_400_000), signingAlgorithm: ALG, keys,
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  const certificatePem = cert.toString('pem');
  const dir = await mkdtemp(join(tmpdir(), 'client-cert-'));
  const keyFile = join(dir, 'key.pem');
  const certificateFile = join(dir, 'cert.pem');
  await writeFile(keyFile, privateKeyPem, { mode: 0o600 });
  await writeFile(certificateFile, certificatePem);
  const thumbprintSha256 = createHash('sha256').update(Buffer.from(cert.rawData)).digest('hex').toUpperCase();
  return { dir, keyFile, certificateFile, privateKeyPem, certificatePem, thumbprintSha256 };
}
