import { readFile } from 'node:fs/promises';
import { LogLevel } from '@azure/msal-node';
import type { Configuration, NodeAuthOptions } from '@azure/msal-node';
import type { ClientCredential } from '../config/index.ts';
import { AppError, ErrorCode } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { AuthorityMetadata } from './metadata.ts';
import type { TimeoutNetworkClient } from './network.ts';

type CredentialOptions = Pick<NodeAuthOptions, 'clientSecret' | 'clientCertificate' | 'clientAssertion'>;

/**
 * Reads the client assertion for each token request: platforms (Kubernetes workload identity,
 * Azure) rotate the file, so it is never cached (RFC 7521 §4.2, RFC 7523 §2.2).
 */
function assertionReader(file: string): () => Promise<string> {
  return async () => {
    try {
      const jwt = (await readFile(file, 'utf8')).trim();
      if (jwt.split('.').length === 3) return jwt;
    } catch (cause) {
      throw new AppError(ErrorCode.CREDENTIAL_UNAVAILABLE, 503, 'client assertion file unreadable', {
        cause, detail: 'The app could not read its credential for the identity provider. Please try again in a moment.',
      });
    }
    throw new AppError(ErrorCode.CREDENTIAL_UNAVAILABLE, 503, 'client assertion file holds no JWT', {
      detail: 'The app could not read its credential for the identity provider. Please try again in a moment.',
    });
  };
}

/** The configured client credential as MSAL options: exactly one of secret, certificate, assertion. */
export function credentialOptions(credential: ClientCredential): CredentialOptions {
  switch (credential.kind) {
    case 'secret':
      return { clientSecret: credential.secret };
    case 'certificate':
      // SHA-256 thumbprint: MSAL signs a PS256 assertion with an `x5t#S256` header.
      return {
        clientCertificate: {
          thumbprintSha256: credential.thumbprintSha256,
          privateKey: credential.privateKey,
          ...(credential.x5c ? { x5c: credential.x5c } : {}),
        },
      };
    default:
      return { clientAssertion: assertionReader(credential.file) };
  }
}

/**
 * The app handles claims challenges (graph/routes.ts), so it declares the `CP1` client capability:
 * MSAL then adds `{"access_token":{"xms_cc":{"values":["CP1"]}}}` to the `claims` of every
 * authorize and token request. Only then does Microsoft Graph send Continuous Access Evaluation
 * challenges (401 `insufficient_claims`) instead of accepting a revoked token until it expires;
 * such CAE tokens may also live longer (up to 28 hours).
 * https://learn.microsoft.com/entra/identity-platform/claims-challenge#client-capabilities,
 * https://learn.microsoft.com/entra/identity-platform/app-resilience-continuous-access-evaluation
 */
const CLIENT_CAPABILITIES: readonly string[] = ['CP1'];

/**
 * MSAL options for one authority: its metadata handed over (MSAL makes no discovery request) and
 * its host trusted (no instance discovery at login.microsoftonline.com), our network client with
 * timeouts, the CP1 client capability, and a logger that never receives personal data.
 */
export function msalOptions(input: {
  clientId: string; credential: CredentialOptions; authority: string; metadata: AuthorityMetadata;
  network: TimeoutNetworkClient; logger: Logger;
}): Configuration {
  const { logger } = input;
  return {
    auth: {
      clientId: input.clientId,
      ...input.credential,
      authority: input.authority,
      knownAuthorities: [new URL(input.authority).host],
      authorityMetadata: input.metadata.json,
      clientCapabilities: [...CLIENT_CAPABILITIES],
    },
    system: {
      networkClient: input.network,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (_level, message, containsPii) => { if (!containsPii) logger.warn('msal', { message }); },
      },
    },
  };
}
