/**
 * The client credential: a secret, a certificate, or a client assertion read from a file
 * (workload identity federation). Exactly one must be configured.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './errors.ts';
import { isPlaceholder } from './parse.ts';
import type { ClientCredential, RawSettings } from './types.ts';

const OPTIONS = 'CLIENT_SECRET, CLIENT_CERTIFICATE_KEY_FILE (with CLIENT_CERTIFICATE_THUMBPRINT or CLIENT_CERTIFICATE_FILE) or CLIENT_ASSERTION_FILE';

function readText(key: string, path: string): string {
  try {
    return readFileSync(resolve(path), 'utf8');
  } catch {
    throw new ConfigError(key, `${key} "${path}" cannot be read: check the path and the file's permissions`);
  }
}

/** An unencrypted RSA private key from a PEM file, as PKCS#8 PEM (what MSAL signs assertions with). */
function privateKeyOf(path: string): string {
  const key = 'CLIENT_CERTIFICATE_KEY_FILE';
  const pem = readText(key, path);
  if (pem.includes('ENCRYPTED')) {
    throw new ConfigError(key, `${key} "${path}" is encrypted: store it unencrypted with restricted permissions (openssl pkey -in key.pem -out key-plain.pem)`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new ConfigError(key, `${key} "${path}" holds no PEM private key ("-----BEGIN PRIVATE KEY-----")`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new ConfigError(key, `${key} "${path}" is a ${privateKey.asymmetricKeyType ?? 'non-RSA'} key: Microsoft Entra needs an RSA certificate key`);
  }
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** A SHA-256 thumbprint as upper-case hex; colons and spaces (as tools print them) are ignored. */
function thumbprintOf(value: string): string {
  const hex = value.replace(/[\s:]/g, '').toUpperCase();
  if (/^[0-9A-F]{40}$/.test(hex)) {
    throw new ConfigError('CLIENT_CERTIFICATE_THUMBPRINT', 'CLIENT_CERTIFICATE_THUMBPRINT is a SHA-1 thumbprint: give the SHA-256 one (openssl x509 -in cert.pem -noout -fingerprint -sha256)');
  }
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw new ConfigError('CLIENT_CERTIFICATE_THUMBPRINT', 'CLIENT_CERTIFICATE_THUMBPRINT must be the certificate\'s SHA-256 thumbprint: 64 hex digits');
  }
  return hex;
}

function certificateOf(raw: RawSettings, keyFile: string): ClientCredential {
  const privateKey = privateKeyOf(keyFile);
  const given = raw.certificateThumbprint === undefined ? undefined : thumbprintOf(raw.certificateThumbprint);
  const sendX5c = raw.certificateSendX5c === 'true';
  if (raw.certificateSendX5c !== undefined && !['true', 'false'].includes(raw.certificateSendX5c)) {
    throw new ConfigError('CLIENT_CERTIFICATE_SEND_X5C', 'CLIENT_CERTIFICATE_SEND_X5C must be true or false');
  }
  if (raw.certificateFile === undefined) {
    if (sendX5c) throw new ConfigError('CLIENT_CERTIFICATE_FILE', 'CLIENT_CERTIFICATE_FILE is needed when CLIENT_CERTIFICATE_SEND_X5C=true: give the certificate (PEM) to send');
    if (!given) throw new ConfigError('CLIENT_CERTIFICATE_THUMBPRINT', 'CLIENT_CERTIFICATE_THUMBPRINT is not set: set CLIENT_CERTIFICATE_FILE to the certificate (PEM), or give its SHA-256 thumbprint (openssl x509 -in cert.pem -noout -fingerprint -sha256; the portal shows the SHA-1 thumbprint)');
    return Object.freeze({ kind: 'certificate', privateKey, thumbprintSha256: given, x5c: undefined });
  }
  const pem = readText('CLIENT_CERTIFICATE_FILE', raw.certificateFile);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw new ConfigError('CLIENT_CERTIFICATE_FILE', `CLIENT_CERTIFICATE_FILE "${raw.certificateFile}" holds no PEM certificate`);
  }
  if (!certificate.checkPrivateKey(createPrivateKey(privateKey))) {
    throw new ConfigError('CLIENT_CERTIFICATE_FILE', 'CLIENT_CERTIFICATE_FILE does not match CLIENT_CERTIFICATE_KEY_FILE: give the certificate of that key');
  }
  if (Date.parse(certificate.validTo) < Date.now()) {
    throw new ConfigError('CLIENT_CERTIFICATE_FILE', `CLIENT_CERTIFICATE_FILE expired on ${certificate.validTo}: upload a new certificate to the app registration`);
  }
  const thumbprintSha256 = certificate.fingerprint256.replace(/:/g, '').toUpperCase();
  if (given && given !== thumbprintSha256) {
    throw new ConfigError('CLIENT_CERTIFICATE_THUMBPRINT', 'CLIENT_CERTIFICATE_THUMBPRINT is not the SHA-256 thumbprint of CLIENT_CERTIFICATE_FILE: remove it or correct it');
  }
  return Object.freeze({ kind: 'certificate', privateKey, thumbprintSha256, x5c: sendX5c ? pem : undefined });
}

function assertionOf(key: 'CLIENT_ASSERTION_FILE' | 'AZURE_FEDERATED_TOKEN_FILE', path: string): ClientCredential {
  const file = resolve(path);
  try {
    accessSync(file, constants.R_OK);
  } catch {
    throw new ConfigError(key, `${key} "${path}" cannot be read: check the path (the platform mounts it) and its permissions`);
  }
  return Object.freeze({ kind: 'assertion', file, key });
}

/** The one configured credential; none or several stop the start with a message naming the keys. */
export function credentialOf(raw: RawSettings): ClientCredential {
  const secret = raw.clientSecret !== undefined && !isPlaceholder(raw.clientSecret) ? raw.clientSecret : undefined;
  const configured = [
    ...(secret !== undefined ? ['CLIENT_SECRET'] : []),
    ...(raw.certificateKeyFile !== undefined ? ['CLIENT_CERTIFICATE_KEY_FILE'] : []),
    ...(raw.clientAssertionFile !== undefined ? ['CLIENT_ASSERTION_FILE'] : []),
    ...(raw.federatedTokenFile !== undefined ? ['AZURE_FEDERATED_TOKEN_FILE'] : []),
  ];
  if (configured.length > 1) {
    throw new ConfigError(configured[1]!, `${configured.join(' and ')} are ${configured.length === 2 ? 'both' : 'all'} set: configure exactly one client credential and unset the others`);
  }
  if (raw.certificateKeyFile !== undefined) return certificateOf(raw, raw.certificateKeyFile);
  if (raw.clientAssertionFile !== undefined) return assertionOf('CLIENT_ASSERTION_FILE', raw.clientAssertionFile);
  if (raw.federatedTokenFile !== undefined) return assertionOf('AZURE_FEDERATED_TOKEN_FILE', raw.federatedTokenFile);
  if (secret !== undefined) return Object.freeze({ kind: 'secret', secret });
  if (raw.clientSecret !== undefined) {
    throw new ConfigError('CLIENT_SECRET', `CLIENT_SECRET is still a placeholder: set it in .env (see .env.sample), or use ${OPTIONS}`);
  }
  throw new ConfigError('CLIENT_SECRET', `CLIENT_SECRET is not set: set it in .env (see .env.sample), or use ${OPTIONS}`);
}
