import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

/** Models whose entries are revoked together when their grant is revoked. */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);

/**
 * In-memory storage for one tenant's sessions, grants, codes and tokens, shared by all models.
 * Expired entries are dropped lazily on read; there is no timer, so nothing keeps the process alive.
 * Restarting the tenant forgets sessions and refresh tokens (signed JWTs stay verifiable: the keys persist).
 */
export class MemoryStore {
  readonly #entries = new Map<string, Entry>();
  readonly #grants = new Map<string, Set<string>>();
  readonly #uids = new Map<string, string>();
  readonly #userCodes = new Map<string, string>();

  get(key: string): AdapterPayload | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  set(key: string, payload: AdapterPayload, expiresIn: number | undefined, model: string): void {
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
    this.#entries.set(key, { payload, expiresAt });
    if (GRANTABLE.has(model) && payload.grantId) {
      const members = this.#grants.get(payload.grantId) ?? new Set<string>();
      members.add(key);
      this.#grants.set(payload.grantId, members);
    }
    if (model === 'Session' && payload.uid) this.#uids.set(payload.uid, key);
    if (payload.userCode) this.#userCodes.set(payload.userCode, key);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  keyForUid(uid: string): string | undefined {
    return this.#uids.get(uid);
  }

  keyForUserCode(code: string): string | undefined {
    return this.#userCodes.get(code);
  }

  revokeGrant(grantId: string): void {
    for (const key of this.#grants.get(grantId) ?? []) this.#entries.delete(key);
    this.#grants.delete(grantId);
  }
}

/** oidc-provider's adapter interface over a {@link MemoryStore}, one instance per model name. */
export class MemoryAdapter implements Adapter {
  readonly #model: string;
  readonly #store: MemoryStore;

  constructor(model: string, store: MemoryStore) {
    this.#model = model;
    this.#store = store;
  }

  #key(id: string): string {
    return `${this.#model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    this.#store.set(this.#key(id), payload, expiresIn, this.#model);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.#store.get(this.#key(id));
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const key = this.#store.keyForUid(uid);
    return key === undefined ? undefined : this.#store.get(key);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const key = this.#store.keyForUserCode(userCode);
    return key === undefined ? undefined : this.#store.get(key);
  }

  async consume(id: string): Promise<void> {
    const payload = this.#store.get(this.#key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.#store.delete(this.#key(id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    this.#store.revokeGrant(grantId);
  }
}

/** An adapter factory bound to one fresh store (one per tenant instance). */
export function memoryAdapterFactory(): (model: string) => MemoryAdapter {
  const store = new MemoryStore();
  return (model) => new MemoryAdapter(model, store);
}
