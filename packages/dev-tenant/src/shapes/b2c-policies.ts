/** The B2C user flows (policies) the development tenant offers, and how requests name them. */

/** The B2C tenant's name (`<name>.b2clogin.com` in the real service). */
export const B2C_TENANT = 'devtenantb2c';

/**
 * The user flows: sign-up/sign-in, password reset, profile editing (built-in `B2C_1_` flows), and a
 * sign-up/sign-in custom policy (`B2C_1A_`, Identity Experience Framework) served with the same pages.
 */
export const B2C_POLICIES = {
  susi: 'B2C_1_susi', password: 'B2C_1_reset', profile: 'B2C_1_edit_profile', custom: 'B2C_1A_signup_signin',
} as const;

/** One of the user flows' ids. */
export type B2cPolicy = (typeof B2C_POLICIES)[keyof typeof B2C_POLICIES];

const BY_LOWER = new Map<string, B2cPolicy>(Object.values(B2C_POLICIES).map((p) => [p.toLowerCase(), p]));

/** The policy id for a name in any letter case (B2C compares them case-insensitively). */
export function policyNamed(name: unknown): B2cPolicy | undefined {
  return typeof name === 'string' ? BY_LOWER.get(name.toLowerCase()) : undefined;
}

/**
 * Which ID-token claim names the user flow. Built-in user flows: the **Claim representing user flow**
 * setting, `tfp` by default, `acr` "only provided for backward-compatibility"
 * (https://learn.microsoft.com/azure/active-directory-b2c/configure-tokens#token-compatibility-settings,
 * https://learn.microsoft.com/azure/active-directory-b2c/tokens-overview#claims). Custom policies: `tfp`
 * only when the relying-party policy outputs `trustFrameworkPolicy`, `acr` when the JWT issuer's
 * `AuthenticationContextReferenceClaimPattern` is left out, neither otherwise ('none')
 * (https://learn.microsoft.com/azure/active-directory-b2c/jwt-issuer-technical-profile#metadata).
 */
export type B2cFlowClaim = 'tfp' | 'acr' | 'none';

/** The values DevTenantOptions.b2cFlowClaim accepts. */
export const B2C_FLOW_CLAIMS: readonly B2cFlowClaim[] = ['tfp', 'acr', 'none'];

/** The default: `tfp` for built-in user flows, 'none' for custom policies (`B2C_1A_…`). */
export function defaultFlowClaim(policy: B2cPolicy): B2cFlowClaim {
  return policy.toUpperCase().startsWith('B2C_1A_') ? 'none' : 'tfp';
}

/** The policy named by the path segment after `/<tenant>.onmicrosoft.com/`, if any. */
export function policyOfPath(path: string): B2cPolicy | undefined {
  const segments = path.split('?')[0]?.split('/') ?? [];
  return policyNamed(segments[2]);
}

/** Error descriptions B2C sends back to the app. */
export const B2C_ERRORS = {
  forgotPassword: 'AADB2C90118: The user has forgotten their password.',
  cancelled: 'AADB2C90091: The user has cancelled entering self-asserted information.',
} as const;
