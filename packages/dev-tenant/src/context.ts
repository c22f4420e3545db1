import type { AccessPolicies } from './access-policies.ts';
import type { ConsentBook } from './consent.ts';
import type { GroupDirectory } from './groups.ts';
import type { Organizations } from './organizations.ts';
import type { UserDirectory } from './users.ts';

/** Entra's endpoint paths, relative to the tenant mount `/{tenantId}`. */
export const ROUTES = {
  authorization: '/oauth2/v2.0/authorize',
  token: '/oauth2/v2.0/token',
  end_session: '/oauth2/v2.0/logout',
  jwks: '/discovery/v2.0/keys',
  interaction: '/oauth2/v2.0/interaction',
  discovery: '/v2.0/.well-known/openid-configuration',
} as const;

/** Display name of the one registered client (the app's registration name), shown on the account picker and in AADSTS texts. */
export const CLIENT_NAME = 'Contoso Identity Sample';

/** What every part of one running tenant needs to know about it. */
export interface TenantContext {
  readonly tenantId: string;
  readonly clientId: string;
  /** "https://localhost:<port>" */
  readonly origin: string;
  /** "/<tenantId>" */
  readonly mountPath: string;
  /** "https://localhost:<port>/<tenantId>/v2.0" */
  readonly issuer: string;
  /** "https://localhost:<port>/v1.0" */
  readonly graphEndpoint: string;
  readonly users: UserDirectory;
  /** Small print for the pages' footer. */
  readonly footer: string;
  /** Current access-token lifetime in seconds (changeable at run time). */
  accessTokenTtl(): number;
  /** Every directory the tenant hosts (home, guest); absent = only this one. Users' tokens carry their own directory's tid/iss. */
  readonly organizations?: Organizations | undefined;
  /** Users' remembered consents, shared by every mount and provider rebuild; absent = remembered per router. */
  readonly consents?: ConsentBook | undefined;
  /** The home tenant's groups (Entra shape); absent = no groups, hence no `groups` claims. */
  readonly groups?: GroupDirectory | undefined;
  /** Conditional Access step-up policies and CAE revocations (access-policies.ts); absent = none (External ID, B2C). */
  readonly access?: AccessPolicies | undefined;
  /** External ID: the users are customers, who may read their own profile only (graph.ts); absent = workforce users. */
  readonly customers?: boolean | undefined;
}
