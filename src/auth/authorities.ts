import type { Config, UserFlow } from '../config/index.ts';
import { featureUnavailable } from '../errors.ts';
import type { AppError } from '../errors.ts';
import { createKeySet } from './id-token.ts';
import type { KeySet } from './id-token.ts';
import { fetchAuthorityMetadata, MetadataSource } from './metadata.ts';
import type { AuthorityMetadata } from './metadata.ts';

/**
 * The authority of each user flow with its metadata and signing keys, each fetched once per
 * process. Entra ID and External ID have one flow; Azure AD B2C has one authority per user flow
 * (sign-up/sign-in, password reset, profile editing), all with the same issuer.
 */
export class Authorities {
  readonly #config: Config;
  readonly #sources = new Map<UserFlow, MetadataSource>();
  /** One key set per `jwks_uri` (B2C publishes one per user flow). */
  readonly #keys = new Map<string, KeySet>();

  constructor(config: Config, signIn: MetadataSource) {
    this.#config = config;
    for (const [flow, authority] of Object.entries(config.userFlows) as [UserFlow, string][]) {
      this.#sources.set(flow, flow === 'signIn'
        ? signIn
        : new MetadataSource(() => fetchAuthorityMetadata(authority, config.httpTimeoutMs)));
    }
  }

  /** The flow's authority URL. */
  authority(flow: UserFlow): string {
    const url = (this.#config.userFlows as Partial<Record<UserFlow, string>>)[flow];
    if (url === undefined) throw unavailable(flow);
    return url;
  }

  /** B2C's user-flow (policy) name, which its ID tokens carry in `tfp` or `acr` when set to; undefined elsewhere. */
  policy(flow: UserFlow): string | undefined {
    return this.#config.authorityType === 'B2C' ? this.authority(flow).split('/').pop() : undefined;
  }

  metadata(flow: UserFlow): Promise<AuthorityMetadata> {
    const source = this.#sources.get(flow);
    return source ? source.get() : Promise.reject(unavailable(flow));
  }

  async keySet(flow: UserFlow): Promise<KeySet> {
    const { jwks_uri: uri } = await this.metadata(flow);
    let keys = this.#keys.get(uri);
    if (!keys) {
      keys = createKeySet(uri, this.#config.httpTimeoutMs);
      this.#keys.set(uri, keys);
    }
    return keys;
  }

  /** Loads every flow's metadata (at start-up); failures are retried on first use. */
  loadAll(): Promise<unknown> {
    return Promise.all([...this.#sources.values()].map((source) => source.get()));
  }

  /** True once every flow's metadata is loaded (readiness). */
  get loaded(): boolean {
    return [...this.#sources.values()].every((source) => source.current !== undefined);
  }
}

function unavailable(flow: UserFlow): AppError {
  return featureUnavailable(`User flow ${flow}`, 'This sign-in option is not configured for this app.');
}
