/**
 * Hostile mode for tests of relying parties: queued alterations of the ID tokens the token
 * endpoint returns (OpenID Connect Core §3.1.3.7, RFC 8725). Switched on only through the
 * programmatic API ({@link DevTenant.tamperIdToken}); never by default, never over HTTP.
 */
import { constants, createHmac, createPrivateKey, generateKeyPair, sign as rsaSign } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

import type { JWK } from 'jose';

import { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';
import type { IdTokenTamper } from './types.ts';

/** The grants whose token responses a tamper may name (`grant`). */
export const GRANTS: readonly string[] = ['authorization_code', 'refresh_token'];
const SIGN_MODES = ['tenant', 'foreign', 'none', 'hs256'];
const generateRsa = promisify(generateKeyPair);

/** The RSA JWS algorithms the tamperer can really sign with: digest, and PSS or PKCS#1 v1.5. */
const RSA_ALGS: Record<string, { digest: string; pss: boolean }> = {
  RS256: { digest: 'sha256', pss: false },
  RS384: { digest: 'sha384', pss: false },
  RS512: { digest: 'sha512', pss: false },
  PS256: { digest: 'sha256', pss: true },
  PS384: { digest: 'sha384', pss: true },
  PS512: { digest: 'sha512', pss: true },
};

/** What signing an altered token needs: the tenant's current private key and the client secret. */
export interface TamperKeys {
  signingKey: JWK;
  clientSecret: string;
}

function invalidTamper(message: string): DevTenantError {
  return new DevTenantError(DEV_TENANT_ERROR_CODES.invalidOption, `tamperIdToken: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNameList(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function checkTamper(tamper: IdTokenTamper): void {
  const { grant, claims, removeClaims, header, removeHeader, sign, times = 1 } = tamper;
  if (grant !== undefined && !GRANTS.includes(grant)) throw invalidTamper(`grant must be one of ${GRANTS.join(', ')}`);
  if (sign !== undefined && !SIGN_MODES.includes(sign)) throw invalidTamper(`sign must be one of ${SIGN_MODES.join(', ')}`);
  if (claims !== undefined && !isRecord(claims)) throw invalidTamper('claims must be an object');
  if (header !== undefined && !isRecord(header)) throw invalidTamper('header must be an object');
  if (removeClaims !== undefined && !isNameList(removeClaims)) throw invalidTamper('removeClaims must be an array of names');
  if (removeHeader !== undefined && !isNameList(removeHeader)) throw invalidTamper('removeHeader must be an array of names');
  if (!Number.isInteger(times) || times < 1) throw invalidTamper('times must be a positive integer');
}

/** What every queued alteration names: the grant it applies to, and how many times. */
interface Queued {
  grant?: string | undefined;
  times?: number | undefined;
}

/**
 * Queued tampers, first in first out; each token (or response) takes the first one whose `grant`
 * fits. `check` validates each injected tamper (default: the ID-token tamper's checks).
 */
export class TamperQueue<T extends Queued = IdTokenTamper> {
  #queue: Array<{ tamper: T; left: number }> = [];
  readonly #check: (tamper: T) => void;

  constructor(check: (tamper: T) => void = checkTamper as unknown as (tamper: T) => void) {
    this.#check = check;
  }

  inject(tamper: T): void {
    this.#check(tamper);
    this.#queue.push({ tamper: structuredClone(tamper), left: tamper.times ?? 1 });
  }

  /** The tamper for the next token of `grantType`, consuming one use of it. */
  take(grantType: string): T | undefined {
    const index = this.#queue.findIndex(({ tamper }) => tamper.grant === undefined || tamper.grant === grantType);
    const entry = this.#queue[index];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.#queue.splice(index, 1);
    return entry.tamper;
  }

  clear(): void {
    this.#queue = [];
  }
}

function decodePart(part: string | undefined): Record<string, unknown> {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

function encodePart(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function edit(source: Record<string, unknown>, set: Record<string, unknown> = {}, remove: string[] = []): Record<string, unknown> {
  const result = { ...source, ...structuredClone(set) };
  for (const name of remove) delete result[name];
  return result;
}

const ALG_OF_MODE = { tenant: 'RS256', foreign: 'RS256', none: 'none', hs256: 'HS256' } as const;

function rsaSignature(input: string, alg: unknown, key: KeyObject): Buffer {
  const { digest, pss } = RSA_ALGS[String(alg)] ?? { digest: 'sha256', pss: false };
  const options = pss
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : { key, padding: constants.RSA_PKCS1_PADDING };
  return rsaSign(digest, Buffer.from(input), options);
}

async function signatureOf(input: string, alg: unknown, mode: keyof typeof ALG_OF_MODE, keys: TamperKeys): Promise<Buffer> {
  switch (mode) {
    case 'none':
      return Buffer.alloc(0);
    case 'hs256':
      return createHmac('sha256', Buffer.from(keys.clientSecret, 'utf8')).update(input).digest();
    case 'foreign':
      return rsaSignature(input, alg, (await generateRsa('rsa', { modulusLength: 2048 })).privateKey);
    case 'tenant':
      return rsaSignature(input, alg, createPrivateKey({ key: keys.signingKey as JsonWebKey, format: 'jwk' }));
  }
}

/**
 * Alters a compact JWS as `tamper` says: payload claims set then removed, the sign mode's alg
 * set, then header parameters set then removed, and the result signed as `tamper.sign` says.
 * Tampered tokens are for tests only: they exist to be refused.
 */
export async function tamperJwt(jwt: string, tamper: IdTokenTamper, keys: TamperKeys): Promise<string> {
  const [headerPart, payloadPart] = jwt.split('.');
  const mode = tamper.sign ?? 'tenant';
  const payload = edit(decodePart(payloadPart), tamper.claims, tamper.removeClaims);
  const header = edit({ ...decodePart(headerPart), alg: ALG_OF_MODE[mode] }, tamper.header, tamper.removeHeader);
  const input = `${encodePart(header)}.${encodePart(payload)}`;
  return `${input}.${(await signatureOf(input, header['alg'], mode, keys)).toString('base64url')}`;
}
