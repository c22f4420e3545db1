import type { DevTenant } from '../types.ts';

/**
 * The `.env` lines that name the tenant's authority for the app: AUTHORITY alone for Entra;
 * plus AUTHORITY_TYPE=EXTERNAL_ID for External ID; for B2C the tenant without a user flow,
 * AUTHORITY_TYPE=B2C and the three B2C_*_POLICY user flows.
 */
export function authorityEnvLines(tenant: DevTenant): string[] {
  if (tenant.b2c) {
    return [
      `AUTHORITY=${tenant.b2c.base}`,
      'AUTHORITY_TYPE=B2C',
      `B2C_SIGN_UP_SIGN_IN_POLICY=${tenant.b2c.policies.susi}`,
      `B2C_PASSWORD_RESET_POLICY=${tenant.b2c.policies.password}`,
      `B2C_EDIT_PROFILE_POLICY=${tenant.b2c.policies.profile}`,
    ];
  }
  if (tenant.externalId) return [`AUTHORITY=${tenant.authority}`, 'AUTHORITY_TYPE=EXTERNAL_ID'];
  return [`AUTHORITY=${tenant.authority}`];
}

/** Reads `--shape entra|external_id|b2c` (or `--shape=…`) from command-line arguments; undefined when absent. */
export function shapeArgument(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--shape') return argv[i + 1] ?? '';
    if (arg.startsWith('--shape=')) return arg.slice('--shape='.length);
  }
  return undefined;
}
