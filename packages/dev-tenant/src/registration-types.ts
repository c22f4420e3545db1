/**
 * Public types of the tenant's app registrations beyond the main one (re-exported by types.ts and
 * index.ts): each registration's Front-channel logout URL and more apps in the same tenant.
 */

/** One more app registration in the tenant (DevTenantOptions.extraClients). */
export interface DevTenantExtraClientOptions {
  /** Its registered redirect URIs (http(s), no fragment; loopback ports are ignored as for the main app). */
  redirectUris: string[];
  /** Its registered post-logout redirect URIs. */
  postLogoutRedirectUris: string[];
  /** Its Front-channel logout URL (https, or http on localhost); absent = none. */
  frontChannelLogoutUri?: string | undefined;
  /** Its display name; default "Extra app <n>" (n from 1). */
  name?: string | undefined;
}

/** The app registrations' options (part of DevTenantOptions). */
export interface DevTenantRegistrationOptions {
  /**
   * The main app's Front-channel logout URL (the portal's Authentication blade; one per app):
   * https, or http on localhost. When the user signs out at the tenant, the sign-out page loads it
   * in a hidden iframe with `?iss=<issuer>&sid=<sid>` (OpenID Connect Front-Channel Logout 1.0 §3)
   * before it continues to post_logout_redirect_uri. Absent = none.
   */
  frontChannelLogoutUri?: string | undefined;
  /**
   * More app registrations in the same tenant (e.g. a second app for single sign-out tests), at
   * most 10: confidential clients with their own generated client id and secret (new at every
   * start), the main client's authentication method and the same Graph permissions. Default none.
   */
  extraClients?: DevTenantExtraClientOptions[] | undefined;
}

/** The credentials of one extra app registration, generated at start. */
export interface DevTenantExtraClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** What a running tenant tells about its extra app registrations (part of DevTenant). */
export interface DevTenantRegistrations {
  /** One per DevTenantOptions.extraClients entry, in the same order. */
  readonly extraClients: readonly DevTenantExtraClient[];
}
