import type { TenantSecrets } from '../keys.ts';
import type { B2cFlowClaim, B2cPolicy } from './b2c-policies.ts';

/** What every shape is built from: the tenant's secrets, its origin and the run-time settings. */
export interface ShapeInput {
  secrets: TenantSecrets;
  /** "https://localhost:<port>" */
  origin: string;
  extraUsers: number;
  /** B2C: the claim naming each user flow in ID tokens (DevTenantOptions.b2cFlowClaim); absent = defaults. */
  b2cFlowClaim?: Readonly<Partial<Record<B2cPolicy, B2cFlowClaim>>> | undefined;
  /** Current access-token lifetime in seconds. */
  accessTokenTtl(): number;
}
