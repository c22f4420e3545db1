/**
 * Starts the development tenant for `npm start` when no real tenant is configured, shaped like the
 * service DEV_TENANT_SHAPE names (Entra ID single- or multi-tenant, External ID, B2C), and returns
 * the settings that point the app at it. Imported only by the launcher; the app never imports it.
 * The one module of src/ that imports `@contoso/dev-tenant` (test/unit/boundaries.test.ts checks).
 */
import { buildConfig, ConfigError } from './config/index.ts';
import type { Config, RawSettings } from './config/index.ts';
import type { DevTenant } from '@contoso/dev-tenant';
import { trustCertificateAuthority } from './tls.ts';

const SHAPES = ['entra', 'multi_tenant', 'external_id', 'b2c'] as const;
type Shape = (typeof SHAPES)[number];

const LABELS: Record<Shape, string> = {
  entra: 'Microsoft Entra ID',
  multi_tenant: 'Microsoft Entra ID, multi-tenant',
  external_id: 'Microsoft Entra External ID',
  b2c: 'Azure AD B2C',
};

function shapeOf(value: string | undefined): Shape {
  const shape = (value ?? 'entra').toLowerCase();
  if (!(SHAPES as readonly string[]).includes(shape)) {
    throw new ConfigError('DEV_TENANT_SHAPE', `DEV_TENANT_SHAPE "${value}" must be one of ${SHAPES.join(', ')}`);
  }
  return shape as Shape;
}

/** The development tenant's package: a devDependency, so absent after `npm ci --omit=dev`. */
const DEV_TENANT_PACKAGE = '@contoso/dev-tenant';

/** True when `error` says that `name` itself (not something it imports) could not be found. */
export function isMissingPackage(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.startsWith(`Cannot find package '${name}' `);
}

/** The one place the app imports the development tenant; a production install says how to go on. */
async function loadDevTenant(): Promise<typeof import('@contoso/dev-tenant')> {
  try {
    return await import('@contoso/dev-tenant');
  } catch (error) {
    if (!isMissingPackage(error, DEV_TENANT_PACKAGE)) throw error;
    throw new ConfigError('CLIENT_ID', 'no tenant is configured and the development tenant is not installed: '
      + 'set CLIENT_ID, AUTHORITY and CLIENT_SECRET in .env (see .env.sample), or run `npm install` (without --omit=dev) to get the development tenant');
  }
}

/** The settings a real tenant of this kind would need, taken from the running development tenant. */
function settingsFor(shape: Shape, tenant: DevTenant, raw: RawSettings): Partial<RawSettings> {
  const common = { clientId: tenant.clientId, clientSecret: tenant.clientSecret, graphEndpoint: tenant.graphEndpoint };
  switch (shape) {
    case 'multi_tenant':
      // The development tenant is the app's home tenant: its role assignments count, Fabrikam's do not.
      return { ...common, authority: tenant.authorities.organizations, authorityTypeOverride: 'MULTI_TENANT', roleTenantIds: raw.roleTenantIds ?? tenant.tenantId };
    case 'external_id':
      return { ...common, authority: tenant.authority, authorityTypeOverride: 'EXTERNAL_ID' };
    case 'b2c':
      return { ...common, authority: tenant.b2c!.base, authorityTypeOverride: 'B2C', b2cPolicies: tenant.b2c!.policies };
    default:
      return { ...common, authority: tenant.authority };
  }
}

/** Starts the tenant, trusts its CA in this process, and builds the app's config for it. */
export async function launchDevTenant(raw: RawSettings): Promise<{ config: Config; close: () => Promise<void> }> {
  const shape = shapeOf(raw.devTenantShape);
  // Validate everything else first, with stand-ins for the values the tenant will provide.
  const draft = buildConfig({
    ...raw, clientId: '00000000-0000-0000-0000-000000000000', clientSecret: 'pending', authority: 'https://localhost/pending',
    authorityTypeOverride: 'SINGLE_TENANT', b2cPolicies: undefined,
  });
  const { startDevTenant } = await loadDevTenant();
  const tenant = await startDevTenant({
    nodeEnv: raw.nodeEnv,
    shape: shape === 'multi_tenant' ? 'entra' : shape,
    redirectUris: [draft.redirectUri],
    postLogoutRedirectUris: [draft.postSignOutRedirectUri],
    // Signing out of another app of the tenant then signs the user out here too (auth/front-channel-logout.ts).
    frontChannelLogoutUri: new URL(`/${draft.authEndpoints.prefix}/${draft.authEndpoints.frontChannelLogout}`, draft.redirectUri).href,
    // Like an app registration with the optional claim docs/entra-id.md asks for: sign-out then needs no account picker.
    ...(shape === 'b2c' ? {} : { optionalClaims: ['login_hint' as const] }),
  });
  trustCertificateAuthority(tenant.caPem);
  const notice = `Development tenant (shaped like ${LABELS[shape]}): this is not Microsoft Entra ID. Only demo accounts can sign in.`;
  const config = buildConfig({ ...raw, ...settingsFor(shape, tenant, raw), notice });
  process.stdout.write(`Development tenant (not Microsoft Entra ID; shaped like ${LABELS[shape]}) running at ${config.authority}\n`);
  return { config, close: () => tenant.close() };
}
