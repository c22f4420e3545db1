import { createPrivateKey, KeyObject, webcrypto } from 'node:crypto';
import { join, resolve } from 'node:path';

import * as x509 from '@peculiar/x509';

import { readIfExists, writePublic, writeSecret } from './files.ts';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
/** One day in milliseconds. */
const DAY_MS = 24 * 60 * 60 * 1000;
const CA_DAYS = 3650;
// 397 days: the longest lifetime browsers accept for a server certificate.
const LEAF_DAYS = 397;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** PEM material for the HTTPS server and the CA file apps must trust. */
export interface TlsMaterial {
  caPem: string;
  caFile: string;
  certPem: string;
  keyPem: string;
}

interface Pair {
  cert: x509.X509Certificate;
  keyPem: string;
}

/** A certificate as PEM ending in a newline. */
export function certPem(cert: x509.X509Certificate): string {
  const pem = cert.toString('pem');
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}

/** A private key as PKCS#8 PEM. */
export function toPem(key: webcrypto.CryptoKey): string {
  return KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString();
}

async function importSigningKey(keyPem: string): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, ALG, false, ['sign']);
}

async function newKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
}

/** A validity period of `days` days starting a day ago (so clocks a little behind still accept it). */
export function validity(days: number): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(Date.now() - DAY_MS), notAfter: new Date(Date.now() + days * DAY_MS) };
}

/** True when the certificate is valid now and still for at least `minDays` days. */
export function validFor(cert: x509.X509Certificate, minDays: number): boolean {
  return cert.notBefore.getTime() <= Date.now() && cert.notAfter.getTime() > Date.now() + minDays * DAY_MS;
}

async function createCa(): Promise<Pair> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=Development tenant local CA (not Microsoft), O=devtenant.example',
    keys,
    signingAlgorithm: ALG,
    ...validity(CA_DAYS),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keyPem: toPem(keys.privateKey) };
}

async function createLeaf(ca: Pair): Promise<Pair> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.create({
    subject: 'CN=localhost',
    issuer: ca.cert.subject,
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(ca.keyPem),
    signingAlgorithm: ALG,
    ...validity(LEAF_DAYS),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keyPem: toPem(keys.privateKey) };
}

async function readPair(certFile: string, keyFile: string): Promise<Pair | undefined> {
  const [certPem, keyPem] = await Promise.all([readIfExists(certFile), readIfExists(keyFile)]);
  if (certPem === undefined || keyPem === undefined) return undefined;
  try {
    return { cert: new x509.X509Certificate(certPem), keyPem };
  } catch {
    return undefined; // unreadable: regenerate
  }
}

async function writePair(pair: Pair, certFile: string, keyFile: string): Promise<void> {
  await writeSecret(keyFile, pair.keyPem);
  await writePublic(certFile, certPem(pair.cert));
}

async function loadCa(dataDir: string): Promise<{ ca: Pair; created: boolean }> {
  const certFile = join(dataDir, 'ca.pem');
  const keyFile = join(dataDir, 'ca-key.pem');
  const existing = await readPair(certFile, keyFile);
  if (existing && validFor(existing.cert, 30)) return { ca: existing, created: false };
  const ca = await createCa();
  await writePair(ca, certFile, keyFile);
  return { ca, created: true };
}

async function leafUsable(leaf: Pair | undefined, ca: Pair): Promise<boolean> {
  if (!leaf || !validFor(leaf.cert, 1)) return false;
  return leaf.cert.verify({ publicKey: ca.cert, signatureOnly: true });
}

/**
 * Loads (or creates on first start) the tenant's certificate authority — P-256, ten years,
 * `basicConstraints cA`, `keyCertSign` — and a `localhost` / 127.0.0.1 / ::1 server certificate
 * signed by it. The CA is reused on later starts, so apps trust it once (`NODE_EXTRA_CA_CERTS`);
 * the server certificate is regenerated when missing, expiring or not issued by that CA.
 */
export async function loadTlsMaterial(dataDir: string): Promise<TlsMaterial> {
  const { ca, created } = await loadCa(dataDir);
  const certFile = join(dataDir, 'localhost.pem');
  const keyFile = join(dataDir, 'localhost-key.pem');
  let leaf = created ? undefined : await readPair(certFile, keyFile);
  if (!leaf || !(await leafUsable(leaf, ca))) {
    leaf = await createLeaf(ca);
    await writePair(leaf, certFile, keyFile);
  }
  return {
    caPem: certPem(ca.cert),
    caFile: resolve(dataDir, 'ca.pem'),
    certPem: certPem(leaf.cert),
    keyPem: leaf.keyPem,
  };
}
