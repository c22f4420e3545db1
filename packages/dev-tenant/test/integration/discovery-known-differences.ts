/**
 * Where the development tenant's discovery documents knowingly differ from the real ones recorded in
 * test/fixtures/discovery, each with why and what it means for the app. docs/dev-tenant-fidelity.md
 * lists them too; discovery-fidelity.test.ts fails when a difference appears that is not listed here,
 * or when a listed missing field starts being served.
 */

import type { KnownDifferences } from './discovery-shape.ts';

/** oidc-provider's standard metadata that Microsoft's documents leave out; msal-node reads none of it. */
const PROVIDER_EXTRAS = {
  claims_parameter_supported: 'false; Entra accepts a `claims` request parameter (CAE, Conditional Access) without advertising it',
  code_challenge_methods_supported: '["S256"]; Entra and B2C support PKCE without advertising it',
  grant_types_supported: 'authorization_code and refresh_token, the two grants the app uses',
  token_endpoint_auth_signing_alg_values_supported: 'algorithms for client assertions (private_key_jwt)',
  claim_types_supported: '["normal"], the OIDC default',
  // Not `authorization_response_iss_parameter_supported`: like Entra, External ID and B2C, no authority
  // of the dev tenant promises RFC 9207 `iss` (src/response-iss.ts) unless a test asks for it.
} as const;

/** Entra ID (workforce tenant, /organizations, /common) and External ID. */
export const ENTRA_DIFFERENCES: KnownDifferences = {
  missing: {
    userinfo_endpoint: 'no UserInfo endpoint (Entra points at Graph /oidc/userinfo); the app reads claims from the ID token',
    device_authorization_endpoint: 'no device code flow; the app is a web app',
    kerberos_endpoint: 'no Kerberos',
    cloud_graph_host_name: 'no Azure AD Graph (retired); the app calls Microsoft Graph',
    rbac_url: 'no Azure RBAC service',
  },
  value: {
    response_types_supported: '["code"] only; the app uses the authorization code flow',
    claims_supported: 'names the claims the dev tenant issues (oid, roles, groups, sid, ...)',
  },
  extra: PROVIDER_EXTRAS,
};

/** External ID: Entra's differences, plus an issuer that cannot be on a host of its own. */
export const EXTERNAL_ID_DIFFERENCES: KnownDifferences = {
  ...ENTRA_DIFFERENCES,
  value: {
    ...ENTRA_DIFFERENCES.value,
    // Real: https://{tid}.ciamlogin.com/{tid}/v2.0 beside the authority https://{name}.ciamlogin.com/{tid};
    // the dev tenant has one host, so the issuer is {origin}/{tid}/v2.0. The test checks the path.
    issuer: 'same path /{tid}/v2.0, but on the authority\'s host',
  },
};

/** A B2C user flow. */
export const B2C_DIFFERENCES: KnownDifferences = {
  missing: {},
  value: {
    response_types_supported: '["code"] only; B2C also lists implicit and hybrid types the app never uses',
    scopes_supported: 'adds profile, email, offline_access to openid; B2C accepts offline_access without listing it',
    token_endpoint_auth_methods_supported: 'adds private_key_jwt (one provider configuration for every shape)',
    claims_supported: 'names the claims the dev tenant issues for the user flow',
  },
  extra: {
    ...PROVIDER_EXTRAS,
    request_uri_parameter_supported: 'Entra metadata the dev tenant serves in every shape',
    cloud_instance_name: 'Entra metadata the dev tenant serves in every shape',
    msgraph_host: 'Entra metadata the dev tenant serves in every shape',
    tenant_region_scope: 'Entra metadata the dev tenant serves in every shape',
    http_logout_supported: 'Entra metadata the dev tenant serves in every shape',
    // B2C does single sign-out through each app's Front-channel logout URL (session-behavior#single-sign-out)
    // but its captured document does not say so; the dev tenant's front-channel logout serves every shape.
    frontchannel_logout_supported: 'Entra metadata the dev tenant serves in every shape; B2C signs out front-channel too',
  },
};
