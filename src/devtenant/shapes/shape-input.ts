import type { TenantSecrets } from '../keys.ts';

/** What every shape is built from: the tenant's secrets, its origin and the run-time settings. */
export interface ShapeInput {
  secrets: TenantSecrets;
  /** "https://localhost:<port>" */
  origin: string;
  extraUsers: number;
  /** Current access-token lifetime in seconds. */
  accessTokenTtl(): number;
}
