import { createHash } from 'node:crypto';

import { errors } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

import { clientCertificateJwk, x5tS256, x5tSha1 } from './client-cert.ts';
import type { ClientCertificate } from './client-cert.ts';

/** How the one registered client authenticates at the token endpoint (DevTenantOptions.clientAuth). */
export type ClientAuth = 'client_secret' | 'private_key_jwt';

/** The values DevTenantOptions.clientAuth accepts. */
export const CLIENT_AUTH_METHODS: readonly ClientAuth[] = ['client_secret', 'private_key_jwt'];

/** Longest assertion lifetime accepted (exp − now), in seconds: msal-node makes 600 s ones; 60 s of clock skew. */
export const MAX_ASSERTION_LIFETIME = 660;

/** error_detail values this module throws; token-errors.ts turns them into AADSTS descriptions. */
export const ASSERTION_PROBLEMS = {
  unknownCertificate: 'assertion certificate not registered',
  replayed: 'assertion jti already used',
  tooLong: 'assertion lifetime too long',
} as const;

/**
 * The client metadata for the chosen method: `client_secret_post` with the secret (what msal-node
 * sends), or `private_key_jwt` (RFC 7523 §2.2, OIDC Core §9) with the certificate's public key.
 */
export function clientAuthMetadata(auth: ClientAuth, clientSecret: string, cert: ClientCertificate): Record<string, unknown> {
  if (auth === 'client_secret') return { client_secret: clientSecret, token_endpoint_auth_method: 'client_secret_post' };
  return { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [clientCertificateJwk(cert)] } };
}

/**
 * Remembers which assertion first used each jti until it expires. The exact same assertion may be
 * presented again (msal-node caches its assertion for its 10-minute lifetime and Entra accepts
 * that); a different assertion carrying a used jti is a replay (RFC 7523 §3 item 7).
 */
export class AssertionBook {
  readonly #seen = new Map<string, { digest: string; exp: number }>();

  /** Records the assertion; false when its jti was used by a different assertion. */
  admit(jti: string, exp: number, assertion: string): boolean {
    const now = Math.floor(Date.now() / 1000);
    for (const [key, entry] of this.#seen) if (entry.exp < now) this.#seen.delete(key);
    const digest = createHash('sha256').update(assertion).digest('base64url');
    const known = this.#seen.get(jti);
    if (known) return known.digest === digest;
    this.#seen.set(jti, { digest, exp });
    return true;
  }
}

function identifiesCertificate(header: Record<string, unknown>, cert: ClientCertificate): boolean {
  if (header['x5t#S256'] !== undefined) return header['x5t#S256'] === x5tS256(cert);
  if (header['x5t'] !== undefined) return header['x5t'] === x5tSha1(cert);
  return header['kid'] === cert.thumbprintSha256;
}

/**
 * oidc-provider's `assertJwtClientAuthClaimsAndHeader` (runs after its own checks of alg, iss, aud,
 * exp and the signature): Entra finds the certificate by the `x5t#S256` (or `x5t`, or `kid`)
 * header, caps the lifetime, and refuses a jti reused by another assertion.
 */
export function assertionChecks(cert: ClientCertificate, book: AssertionBook) {
  return async (ctx: KoaContextWithOIDC, claims: Record<string, unknown>, header: Record<string, unknown>, client: { clientAuthMethod?: string | undefined }): Promise<void> => {
    if (client.clientAuthMethod !== 'private_key_jwt') return;
    if (!identifiesCertificate(header, cert)) throw new errors.InvalidClientAuth(ASSERTION_PROBLEMS.unknownCertificate);
    const exp = Number(claims['exp']);
    if (exp - Math.floor(Date.now() / 1000) > MAX_ASSERTION_LIFETIME) throw new errors.InvalidClientAuth(ASSERTION_PROBLEMS.tooLong);
    const assertion = String(ctx.oidc.params?.['client_assertion'] ?? '');
    if (!book.admit(String(claims['jti']), exp, assertion)) throw new errors.InvalidClientAuth(ASSERTION_PROBLEMS.replayed);
  };
}

/**
 * oidc-provider refuses any second use of a client-assertion jti; the tenant's {@link AssertionBook}
 * decides instead (it lets msal-node's cached assertion through). Other replay checks are kept.
 */
export function delegateAssertionReplay(provider: Provider, clientIds: readonly string[]): void {
  const replay = provider.ReplayDetection as unknown as { unique(iss: string, jti: string, exp: number): Promise<boolean> };
  const unique = replay.unique.bind(replay);
  replay.unique = async (iss, jti, exp) => (clientIds.includes(iss) ? true : unique(iss, jti, exp));
}

/** What the provider needs for {@link ClientAuth}: the method, the certificate and the tenant's one {@link AssertionBook}. */
export interface ClientAuthSetup {
  method: ClientAuth;
  certificate: ClientCertificate;
  book: AssertionBook;
}
