/**
 * What a tenant's Conditional Access and Continuous Access Evaluation decide, as state the token
 * endpoint (access-shims.ts), the sign-in pages (step-up.ts), the access-token customizer
 * (claims.ts) and Graph (cae.ts) share: step-up policies, what each interactive sign-in carried,
 * and sign-in session revocations.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type { TenantContext } from './context.ts';
import type { RealTenantControls } from './control-types.ts';
import { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';

/** How a refresh refused by a step-up policy is answered (both are shapes Entra uses). */
export type StepUpError = 'interaction_required' | 'invalid_grant';

/** A Conditional Access policy that requires multifactor authentication. */
export interface StepUpPolicy {
  /** The policy id Entra names in `capolids`. */
  readonly id: string;
  /** Only this user's refreshes; undefined = every user's. */
  readonly oid: string | undefined;
  readonly error: StepUpError;
  /** Refreshes still to refuse; Infinity = until satisfied. */
  remaining: number;
}

/** What an interactive sign-in carried: the policies its user satisfied there, the client capabilities declared. */
export interface SignInEvidence {
  readonly satisfied: readonly string[];
  readonly capabilities: readonly string[];
}

/** Sign-ins remembered (by grant id); the oldest are forgotten beyond this. */
const MAX_SIGN_INS = 50_000;

/** The access policies of one tenant (shared by every mount and provider rebuild). */
export class AccessPolicies {
  readonly #policies: StepUpPolicy[] = [];
  readonly #signIns = new Map<string, SignInEvidence>();
  readonly #validFrom = new Map<string, number>();
  readonly #inactiveBefore = new Map<string, number>();

  /** Adds a step-up policy; returns it. */
  requireStepUp(options: { oid?: string | undefined; error?: StepUpError | undefined; times?: number | undefined } = {}): StepUpPolicy {
    const policy: StepUpPolicy = { id: randomUUID(), oid: options.oid, error: options.error ?? 'interaction_required', remaining: options.times ?? Infinity };
    this.#policies.push(policy);
    return policy;
  }

  /** The policies that apply to this user now. */
  policiesFor(oid: string): StepUpPolicy[] {
    return this.#policies.filter((p) => p.remaining > 0 && (p.oid === undefined || p.oid === oid));
  }

  /** Remembers what the sign-in that made this grant carried. */
  recordSignIn(grantId: string, evidence: SignInEvidence): void {
    if (evidence.satisfied.length === 0 && evidence.capabilities.length === 0) return;
    this.#signIns.set(grantId, evidence);
    if (this.#signIns.size > MAX_SIGN_INS) this.#signIns.delete(this.#signIns.keys().next().value as string);
  }

  /** What the sign-in that made this grant carried (nothing when not remembered). */
  signIn(grantId: string | undefined): SignInEvidence {
    return (grantId ? this.#signIns.get(grantId) : undefined) ?? { satisfied: [], capabilities: [] };
  }

  /**
   * The policy that refuses a refresh of this user's grant: the first that applies and that the
   * grant's sign-in did not satisfy. Each refusal counts against the policy's `times`.
   */
  refuseRefresh(oid: string, grantId: string | undefined): StepUpPolicy | undefined {
    const { satisfied } = this.signIn(grantId);
    const policy = this.policiesFor(oid).find((p) => !satisfied.includes(p.id));
    if (policy) policy.remaining -= 1;
    return policy;
  }

  /**
   * Graph's `user: revokeSignInSessions`: tokens of this user issued before now are no longer
   * valid ("signInSessionsValidFromDateTime" = now). Token times are whole seconds, so the
   * revocation takes effect at the next whole second and the promise settles then: tokens issued
   * before it settles are revoked, tokens issued after it are not.
   * https://learn.microsoft.com/graph/api/user-revokesigninsessions
   */
  async revokeSignInSessions(oid: string): Promise<void> {
    const validFrom = Math.floor(Date.now() / 1000) + 1;
    this.#validFrom.set(oid, validFrom);
    await sleep(Math.max(0, validFrom * 1000 - Date.now()));
  }

  /** The user's signInSessionsValidFromDateTime in seconds since the epoch, when sessions were revoked. */
  validFrom(oid: string | undefined): number | undefined {
    return oid === undefined ? undefined : this.#validFrom.get(oid);
  }

  /** True when a token of this user issued at `iat` (seconds) was revoked. */
  revoked(oid: string | undefined, iat: unknown): boolean {
    const validFrom = this.validFrom(oid);
    return validFrom !== undefined && (typeof iat !== 'number' || iat < validFrom);
  }

  /**
   * The user's refresh tokens issued before now have been unused longer than their lifetime (90 days
   * by default, "Token lifetime"): a refresh with one answers AADSTS700082. Settles, like
   * revokeSignInSessions, at the next whole second. https://learn.microsoft.com/entra/identity-platform/refresh-tokens
   */
  async expireRefreshTokens(oid: string): Promise<void> {
    const from = Math.floor(Date.now() / 1000) + 1;
    this.#inactiveBefore.set(oid, from);
    await sleep(Math.max(0, from * 1000 - Date.now()));
  }

  /** True when a refresh token of this user issued at `iat` (seconds) expired through inactivity. */
  inactive(oid: string | undefined, iat: unknown): boolean {
    const from = oid === undefined ? undefined : this.#inactiveBefore.get(oid);
    return from !== undefined && (typeof iat !== 'number' || iat < from);
  }

  /** Forgets every policy, revocation and expiry (what sign-ins carried is kept). */
  clear(): void {
    this.#policies.length = 0;
    this.#validFrom.clear();
    this.#inactiveBefore.clear();
  }
}

function knownUser(tenant: TenantContext, oid: unknown): oid is string {
  return typeof oid === 'string' && (tenant.users.byOid(oid) !== undefined || (tenant.organizations?.all ?? []).some((org) => org.users.some((u) => u.oid === oid)));
}

function invalid(message: string): DevTenantError {
  return new DevTenantError(DEV_TENANT_ERROR_CODES.invalidOption, message);
}

/** The Conditional Access and CAE controls of {@link RealTenantControls}; they throw DEV_TENANT_INVALID_OPTION for bad input or another shape. */
export function accessPolicyControls(tenant: TenantContext): Pick<RealTenantControls, 'requireStepUp' | 'revokeSignInSessions' | 'expireRefreshTokens' | 'clearAccessPolicies'> {
  const access = (): AccessPolicies => {
    if (!tenant.access) throw invalid('Conditional Access and CAE controls need the Entra shape');
    return tenant.access;
  };
  return {
    requireStepUp: (options = {}) => {
      if (options.oid !== undefined && !knownUser(tenant, options.oid)) throw invalid(`requireStepUp: no user with oid '${options.oid}'`);
      if (options.error !== undefined && options.error !== 'interaction_required' && options.error !== 'invalid_grant') throw invalid('requireStepUp: error must be interaction_required or invalid_grant');
      if (options.times !== undefined && !(Number.isInteger(options.times) && options.times > 0)) throw invalid('requireStepUp: times must be a positive integer');
      return access().requireStepUp(options).id;
    },
    revokeSignInSessions: async (oid) => {
      if (!knownUser(tenant, oid)) throw invalid(`revokeSignInSessions: no user with oid '${String(oid)}'`);
      await access().revokeSignInSessions(oid);
    },
    expireRefreshTokens: async (oid) => {
      if (!knownUser(tenant, oid)) throw invalid(`expireRefreshTokens: no user with oid '${String(oid)}'`);
      await access().expireRefreshTokens(oid);
    },
    clearAccessPolicies: () => tenant.access?.clear(),
  };
}
