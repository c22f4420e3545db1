/**
 * States this process has already redeemed, until their transaction would have expired anyway.
 *
 * Defence in depth against a replayed transaction cookie: the callback removes a transaction from
 * the browser's cookie, but a copy of the old cookie value (taken before that Set-Cookie arrived)
 * still opens. Within one process such a replay is refused here; across instances the backstop is
 * the authority, which redeems an authorization code once only (RFC 6749 §4.1.2, §10.5): Entra answers
 * a second redemption with AADSTS54005 "OAuth2 Authorization code was already redeemed"
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes;
 * https://learn.microsoft.com/en-us/answers/questions/1127615/azure-adb2c-pkce-flow for B2C).
 * Bounded: beyond `capacity` the oldest entries go first, so a flood costs memory it cannot grow.
 */
export class ConsumedStates {
  readonly #expiries = new Map<string, number>();
  readonly #capacity: number;

  constructor(capacity = 20_000) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#expiries.size;
  }

  /** True when `state` was consumed here and its transaction has not expired yet. */
  has(state: string, now = Date.now()): boolean {
    const expiresAt = this.#expiries.get(state);
    return expiresAt !== undefined && expiresAt > now;
  }

  /** Records `state` as used until `expiresAt`, pruning expired entries and the oldest beyond capacity. */
  add(state: string, expiresAt: number, now = Date.now()): void {
    this.#expiries.delete(state);
    this.#expiries.set(state, expiresAt);
    for (const [key, expiry] of this.#expiries) {
      if (expiry > now && this.#expiries.size <= this.#capacity) break;
      this.#expiries.delete(key);
    }
  }
}
