import { createHash, createPublicKey, webcrypto } from 'node:crypto';
import { join, resolve } from 'node:path';

import * as x509 from '@peculiar/x509';
import type { JWK } from 'jose';

import { certPem, toPem, validFor, validity } from './certs.ts';
import { readIfExists, writePublic, writeSecret } from './files.ts';

const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) } as const;
/** Two years, Entra's longest lifetime for a certificate credential uploaded in the portal. */
const CERT_DAYS = 730;
const CERT_FILE = 'client-cert.pem';
const KEY_FILE = 'client-key.pem';

/** The app's certificate credential (what DevTenant.clientCertificate exposes). */
export interface ClientCertificate {
  keyFile: string;
  certificateFile: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  certificatePem: string;
  /** SHA-256 of the DER certificate, hex, upper-case (msal-node's `thumbprintSha256`). */
  thumbprintSha256: string;
}

async function createCertificate(): Promise<{ certPem: string; keyPem: string }> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Development tenant app credential (not Microsoft), O=devtenant.example',
    keys,
    signingAlgorithm: ALG,
    ...validity(CERT_DAYS),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  return { certPem: certPem(cert), keyPem: toPem(keys.privateKey) };
}

function derOf(certPem: string): Buffer {
  return Buffer.from(new x509.X509Certificate(certPem).rawData);
}

function usable(certPem: string | undefined, keyPem: string | undefined): boolean {
  if (certPem === undefined || keyPem === undefined) return false;
  try {
    const cert = new x509.X509Certificate(certPem);
    return validFor(cert, 1) && cert.publicKey.algorithm.name === ALG.name;
  } catch {
    return false; // unreadable: regenerate
  }
}

/**
 * Loads (or creates on first start, or when expiring) the app's certificate credential in
 * `dataDir`: an RSA-2048 key (`client-key.pem`, PKCS#8, 0600) and a self-signed X.509 certificate
 * (`client-cert.pem`), what an Entra app registration lists under "Certificates & secrets".
 */
export async function loadClientCertificate(dataDir: string): Promise<ClientCertificate> {
  const certificateFile = resolve(join(dataDir, CERT_FILE));
  const keyFile = resolve(join(dataDir, KEY_FILE));
  let [certificatePem, privateKeyPem] = await Promise.all([readIfExists(certificateFile), readIfExists(keyFile)]);
  if (!usable(certificatePem, privateKeyPem) || certificatePem === undefined || privateKeyPem === undefined) {
    const created = await createCertificate();
    await writeSecret(keyFile, created.keyPem);
    await writePublic(certificateFile, created.certPem);
    ({ certPem: certificatePem, keyPem: privateKeyPem } = created);
  }
  const thumbprintSha256 = createHash('sha256').update(derOf(certificatePem)).digest('hex').toUpperCase();
  return { keyFile, certificateFile, privateKeyPem, certificatePem, thumbprintSha256 };
}

/** The `x5t#S256` header value (RFC 7515 §4.1.8) identifying the certificate: base64url of the SHA-256 thumbprint. */
export function x5tS256(cert: ClientCertificate): string {
  return Buffer.from(cert.thumbprintSha256, 'hex').toString('base64url');
}

/** The `x5t` header value (RFC 7515 §4.1.7): base64url of the SHA-1 thumbprint (Entra's older identifier). */
export function x5tSha1(cert: ClientCertificate): string {
  return createHash('sha1').update(derOf(cert.certificatePem)).digest('base64url');
}

/**
 * The public JWK registered for the client (RFC 7517 §4.7–4.9 members `x5c`, `x5t#S256`), with
 * `kid` = the hex thumbprint. No `alg`, so both RS256 and PS256 assertions verify with it.
 */
export function clientCertificateJwk(cert: ClientCertificate): JWK {
  const jwk = createPublicKey(cert.certificatePem).export({ format: 'jwk' }) as JWK;
  const der = derOf(cert.certificatePem);
  return { kty: jwk.kty, n: jwk.n, e: jwk.e, use: 'sig', kid: cert.thumbprintSha256, x5c: [der.toString('base64')], 'x5t#S256': x5tS256(cert) } as JWK;
}
