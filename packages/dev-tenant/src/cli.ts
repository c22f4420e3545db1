/**
 * `npm run dev-tenant`: starts the development tenant on DEV_TENANT_PORT (default 9443) and prints
 * the settings that point the app at it (also written to <dataDir>/app.env).
 * Reads DEV_TENANT_PORT, DEV_TENANT_DATA_DIR, DEV_TENANT_REDIRECT_URIS and
 * DEV_TENANT_POST_LOGOUT_REDIRECT_URIS (comma lists), NODE_ENV; `--shape entra|external_id|b2c`
 * picks the identity service imitated (default entra).
 */
import { join, resolve } from 'node:path';

import { writeSecret } from './files.ts';
import { DEV_TENANT_ERROR_CODES, DevTenantError, startDevTenant } from './index.ts';
import type { DevTenant, DevTenantOptions } from './index.ts';
import { authorityEnvLines, shapeArgument } from './shapes/env-lines.ts';

const DEFAULT_PORT = 9443;

function portFrom(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(raw)) {
    throw new DevTenantError(DEV_TENANT_ERROR_CODES.invalidOption, `DEV_TENANT_PORT must be a port number (0..65535), got "${raw}"`);
  }
  return Number(raw);
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function options(env: NodeJS.ProcessEnv, argv: readonly string[] = []): DevTenantOptions & { dataDir: string } {
  const shape = shapeArgument(argv);
  const redirectUris = list(env['DEV_TENANT_REDIRECT_URIS']);
  const postLogoutRedirectUris = list(env['DEV_TENANT_POST_LOGOUT_REDIRECT_URIS']);
  return {
    port: portFrom(env['DEV_TENANT_PORT']),
    nodeEnv: env['NODE_ENV'],
    dataDir: resolve(env['DEV_TENANT_DATA_DIR'] || '.devtenant'),
    ...(redirectUris.length > 0 ? { redirectUris } : {}),
    ...(postLogoutRedirectUris.length > 0 ? { postLogoutRedirectUris } : {}),
    ...(shape === undefined ? {} : { shape: shape as DevTenantOptions['shape'] }),
  };
}

/** The lines that point the app at the tenant (the format of `.env`). */
export function appEnvLines(tenant: DevTenant): string[] {
  return [
    ...authorityEnvLines(tenant),
    `CLIENT_ID=${tenant.clientId}`,
    `CLIENT_SECRET=${tenant.clientSecret}`,
    `GRAPH_ENDPOINT=${tenant.graphEndpoint}`,
    `NODE_EXTRA_CA_CERTS=${tenant.caFile}`,
  ];
}

function banner(tenant: DevTenant, envFile: string): string {
  const rule = '='.repeat(72);
  return [
    rule,
    ' DEVELOPMENT TENANT: this is NOT Microsoft Entra ID. Demo accounts only.',
    ` Listening on ${new URL(tenant.authority).origin} (tenant ${tenant.tenantId})`,
    rule,
    '',
    'Point the app at it with these settings (also written to ' + envFile + '):',
    '',
    ...appEnvLines(tenant),
    '',
    `Demo users: ${tenant.users.map((u) => u.userPrincipalName).join(', ')}`,
    'Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const settings = options(process.env, process.argv.slice(2));
  const tenant = await startDevTenant(settings);
  const envFile = join(settings.dataDir, 'app.env');
  await writeSecret(envFile, `# Development tenant (not Microsoft Entra ID)\n${appEnvLines(tenant).join('\n')}\n`);
  const stop = (): void => {
    tenant.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Printed last: whoever reads the settings may stop the tenant at once.
  process.stdout.write(`${banner(tenant, envFile)}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof DevTenantError) {
    process.stderr.write(`dev-tenant: ${error.message}\n`);
  } else {
    process.stderr.write(`dev-tenant: failed to start: ${(error as Error)?.message ?? String(error)}\n`);
  }
  process.exit(1);
});
