/** Public types of the development tenant. `index.ts` re-exports all of them; import from there. */

import type { DevTenantCounts, DevTenantRegistrationOptions, DevTenantRegistrations, Fault, FaultTarget, GraphCall, IdTokenTamper, RealTenantControls, RequestTiming } from './control-types.ts';

export type { DevTenantCounts, DevTenantExtraClient, DevTenantExtraClientOptions, DevTenantRegistrationOptions, DevTenantRegistrations, Fault, FaultTarget, GraphCall, IdTokenTamper, RealTenantControls, RequestTiming, TokenResponseTamper } from './control-types.ts';

/** Options for {@link startDevTenant}. Every field is optional (frontChannelLogoutUri, extraClients: registration-types.ts). */
export interface DevTenantOptions extends DevTenantRegistrationOptions {
  /** TCP port; default 0 (ephemeral). Listens on 127.0.0.1 and ::1; URLs use the host "localhost". */
  port?: number | undefined;
  /** Holds the CA, keys and client credentials; default ".devtenant" (relative to cwd); created if missing. */
  dataDir?: string | undefined;
  /** Registered redirect URIs; default ["http://localhost:8000/auth/redirect"]. */
  redirectUris?: string[] | undefined;
  /** Registered post-logout redirect URIs; default ["http://localhost:8000/auth/post_sign_out"]. */
  postLogoutRedirectUris?: string[] | undefined;
  /**
   * Generated demo users added after the named ones, for load and isolation tests: "Test User 001"
   * (`testuser001@devtenant.example`), … with stable oids and no roles; default 0, at most 9999.
   * They are listed on the account picker below the named accounts.
   */
  extraUsers?: number | undefined;
  /** Lifetime of access tokens; default 3600. */
  accessTokenTtlSeconds?: number | undefined;
  /** The caller passes process.env.NODE_ENV; "production" makes start-up throw DEV_TENANT_IN_PRODUCTION. */
  nodeEnv?: string | undefined;
  /**
   * How the one registered client authenticates at the token endpoint; default 'client_secret'
   * (`client_secret` in the body, as msal-node's `clientSecret` sends it). 'private_key_jwt'
   * (RFC 7523 §2.2, OIDC Core §9) registers {@link DevTenant.clientCertificate} instead, like an Entra
   * app with a certificate credential: the client then authenticates only with an RS256 or PS256
   * assertion signed by that key (msal-node's `clientCertificate: { thumbprintSha256, privateKey }`),
   * identified by its `x5t#S256` (or `x5t`, or `kid` = hex thumbprint) header, with iss = sub =
   * client id, aud = the token endpoint or the issuer, a jti and an exp at most 10 minutes ahead.
   * An assertion may be presented again unchanged until it expires (msal-node caches it; Entra
   * accepts that); another assertion reusing its jti is refused. Failures are 401 `invalid_client`
   * (AADSTS700027, AADSTS700024 when expired, AADSTS7000215 when a secret is sent).
   */
  clientAuth?: 'client_secret' | 'private_key_jwt' | undefined;
  /**
   * Which Microsoft identity service the tenant imitates; default 'entra' (workforce Entra ID).
   * 'external_id': Entra External ID for customers, tenant `devtenantcustomers`, authority
   * `https://localhost:<port>/devtenantcustomers.onmicrosoft.com` (also served under `/{tenantId}`),
   * demo customers, sign-up from the sign-in page and with `prompt=create`.
   * 'b2c': Azure AD B2C, tenant `devtenantb2c`, one authority per user flow (B2C_1_susi,
   * B2C_1_reset, B2C_1_edit_profile, custom policy B2C_1A_signup_signin) and B2C-shaped tokens. See {@link DevTenant.externalId} and {@link DevTenant.b2c}.
   */
  shape?: DevTenantShape | undefined;
  /**
   * 'b2c' only: which ID-token claim names each user flow, keyed by policy id (any case): 'tfp'
   * (default of built-in flows), 'acr' (older tenants) or 'none' (default of `B2C_1A_` custom policies).
   */
  b2cFlowClaim?: Partial<Record<string, 'tfp' | 'acr' | 'none'>> | undefined;
  /**
   * Optional ID-token claims configured on the app registration (Token configuration); default none.
   * ['login_hint']: ID tokens carry `login_hint`, which as `logout_hint` skips the sign-out account picker. Not for 'b2c'.
   */
  optionalClaims?: Array<'login_hint'> | undefined;
  /**
   * true imitates an RFC 9207 authority that is not Microsoft's (tests of the app's mix-up defence): single-tenant authorities
   * publish `authorization_response_iss_parameter_supported` and send `iss`. Default false, like Entra ID, External ID and B2C.
   */
  authorizationResponseIss?: boolean | undefined;
}

/** The identity services the development tenant can imitate (DevTenantOptions.shape). */
export type DevTenantShape = 'entra' | 'external_id' | 'b2c';

/** External ID's authorities: both serve the same tenant and publish the same issuer `…/{tenantId}/v2.0`. */
export interface DevTenantExternalId {
  /** "devtenantcustomers" (the `<name>.ciamlogin.com` subdomain of the real service). */
  readonly tenantName: string;
  readonly authorities: {
    /** `https://localhost:<port>/devtenantcustomers.onmicrosoft.com` (= DevTenant.authority). */
    readonly domain: string;
    /** `https://localhost:<port>/{tenantId}`. */
    readonly tenantId: string;
  };
}

/** B2C's user flows: each `authorities` entry is a full authority (`<base>/<policy>`). */
export interface DevTenantB2c {
  /** `https://localhost:<port>/devtenantb2c.onmicrosoft.com` (the tenant, without a user flow). */
  readonly base: string;
  /** "devtenantb2c". */
  readonly tenantName: string;
  /** The user-flow ids: "B2C_1_susi", "B2C_1_reset", "B2C_1_edit_profile", custom policy "B2C_1A_signup_signin". */
  readonly policies: { readonly susi: string; readonly password: string; readonly profile: string; readonly custom: string };
  /** `<base>/<policy>` for each user flow; `susi` = DevTenant.authority. */
  readonly authorities: { readonly susi: string; readonly password: string; readonly profile: string; readonly custom: string };
  /** The claim naming each user flow in its ID tokens (DevTenantOptions.b2cFlowClaim), by policy id. */
  readonly flowClaims: Readonly<Record<string, 'tfp' | 'acr' | 'none'>>;
}

/** One demo account of the development tenant. */
export interface DemoUser {
  oid: string;
  displayName: string;
  userPrincipalName: string;
  givenName: string;
  surname: string;
  mail: string;
  jobTitle: string;
  roles: string[];
  /** Microsoft Entra directory roles (not app roles); an administrator may consent to admin-only permissions. */
  directoryRoles?: string[];
}

/** One security group of the home tenant (Entra shape); see {@link DevTenant.groups}. */
export interface DevTenantGroup {
  /** The group's object id (what `groups` claims and Graph's getMemberGroups list). */
  readonly id: string;
  readonly displayName: string;
}

/** The app's certificate credential, generated once and kept in dataDir (see DevTenantOptions.clientAuth). */
export interface DevTenantClientCertificate {
  /** Absolute path of the private key (PKCS#8 PEM, mode 0600). */
  readonly keyFile: string;
  /** Absolute path of the self-signed X.509 certificate (PEM). */
  readonly certificateFile: string;
  /** RSA-2048 private key, PKCS#8 PEM: msal-node's `clientCertificate.privateKey`. */
  readonly privateKeyPem: string;
  readonly certificatePem: string;
  /** SHA-256 of the DER certificate, hex, upper-case: msal-node's `clientCertificate.thumbprintSha256`. */
  readonly thumbprintSha256: string;
}

/** A running development tenant. */
export interface DevTenant extends RealTenantControls, DevTenantRegistrations {
  readonly tenantId: string;
  /** The single-tenant authority `https://localhost:<port>/<tenantId>` (home users only). */
  readonly authority: string;
  /**
   * The authorities Entra serves: `tenant` (= authority), and the multi-tenant `organizations` and
   * `common` (`https://localhost:<port>/organizations`, …), where users of the home tenant and of
   * {@link DevTenant.guestTenant} sign in; their discovery publishes `issuer`
   * `https://localhost:<port>/{tenantid}/v2.0` and their tokens carry the user's own tenant's `iss` and `tid`.
   */
  readonly authorities: { readonly tenant: string; readonly organizations: string; readonly common: string };
  /** A second directory ("Fabrikam", fixed tenant id) whose users sign in through the multi-tenant authorities only. */
  readonly guestTenant: { readonly tenantId: string; readonly issuer: string; readonly users: readonly DemoUser[] };
  readonly clientCertificate: DevTenantClientCertificate;
  readonly issuer: string;
  readonly graphEndpoint: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly caPem: string;
  readonly caFile: string;
  /** Every user; with 'external_id' and 'b2c' the live directory (signed-up users and profile edits included). */
  readonly users: readonly DemoUser[];
  /** The user with this user principal name (for customers: the e-mail address), case-insensitively. */
  findUser(userPrincipalName: string): DemoUser | undefined;
  /**
   * The home tenant's security groups (Entra shape; empty for 'external_id' and 'b2c'): "Claims
   * Adjusters", "Underwriters", "All Employees", "Auditors" (fixed ids), then "Project Team 001" …
   * "Project Team 246" (name-based ids), 250 in all. ID tokens carry a member's group ids in
   * `groups` (1..200 groups; no claim for none); Patti Fernandez is in all 250, so her ID tokens
   * carry Entra's groups overage instead: no `groups`, `_claim_names: { groups: "src1" }` and
   * `_claim_sources: { src1: { endpoint: "https://graph.microsoft.com/v1.0/users/<oid>/getMemberObjects" } }`.
   * Graph's `POST /v1.0/me/getMemberGroups` (delegated GroupMember.Read.All, not admin-consented)
   * lists them all. Guest-organisation and generated users are in no group.
   */
  readonly groups: readonly DevTenantGroup[];
  /** Ids of the groups the user with this oid is a member of, in {@link DevTenant.groups} order; empty when none. */
  groupsOf(oid: string): readonly string[];
  /** The identity service imitated (DevTenantOptions.shape). */
  readonly shape: DevTenantShape;
  /** Set when shape is 'external_id'. */
  readonly externalId?: DevTenantExternalId | undefined;
  /** Set when shape is 'b2c'. */
  readonly b2c?: DevTenantB2c | undefined;
  counts(): DevTenantCounts;
  /**
   * Per-request durations of the counted endpoints since start or the last resetCounts(), oldest
   * first; the newest 10,000 are kept. Benchmarks subtract them to tell the app's own time apart.
   */
  timings(): readonly RequestTiming[];
  /** Clears the counters, the Graph call log and the timings. */
  resetCounts(): void;
  readonly graphCalls: readonly GraphCall[];
  setAccessTokenTtl(seconds: number): void;
  injectFault(target: FaultTarget, fault: Fault): void;
  /**
   * Queues an ID-token alteration (first in, first out: each ID token takes the first queued
   * tamper whose `grant` fits). Test-only; there is no HTTP way to switch it on.
   */
  tamperIdToken(tamper: IdTokenTamper): void;
  /** Forgets every queued fault, ID-token tamper and token-response tamper. */
  clearFaults(): void;
  /**
   * Adds a new RS256 signing key with a new kid; from now on tokens are signed with it and it is
   * listed first in the key set. keepOld (default true) keeps the previous keys in the JWKS;
   * false leaves only the new key (tokens signed with older keys then no longer verify, e.g. at
   * the Graph emulator). The keys are persisted in dataDir, so they survive restarts.
   */
  rotateSigningKey(options?: { keepOld?: boolean | undefined }): Promise<void>;
  close(): Promise<void>;
}
