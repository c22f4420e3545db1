/** The B2C user flows (policies) the development tenant offers, and how requests name them. */

/** The B2C tenant's name (`<name>.b2clogin.com` in the real service). */
export const B2C_TENANT = 'devtenantb2c';

/** The user flows: sign-up/sign-in, password reset, profile editing. */
export const B2C_POLICIES = { susi: 'B2C_1_susi', password: 'B2C_1_reset', profile: 'B2C_1_edit_profile' } as const;

/** One of the user flows' ids. */
export type B2cPolicy = (typeof B2C_POLICIES)[keyof typeof B2C_POLICIES];

const BY_LOWER = new Map<string, B2cPolicy>(Object.values(B2C_POLICIES).map((p) => [p.toLowerCase(), p]));

/** The policy id for a name in any letter case (B2C compares them case-insensitively). */
export function policyNamed(name: unknown): B2cPolicy | undefined {
  return typeof name === 'string' ? BY_LOWER.get(name.toLowerCase()) : undefined;
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
