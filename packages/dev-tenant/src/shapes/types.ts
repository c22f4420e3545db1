/**
 * What a tenant shape (Entra External ID, Azure AD B2C) plugs into the shared development tenant:
 * provider settings, the app's routes under its mounts, and the public API fields it adds.
 */
import type { Express } from 'express';
import type Provider from 'oidc-provider';
import type { Configuration, FindAccount, KoaContextWithOIDC } from 'oidc-provider';

import type { TenantContext } from '../context.ts';
import type { Next } from '../shims.ts';
import type { CountedEndpoint } from '../traffic.ts';
import type { DevTenantB2c, DevTenantExternalId } from '../types.ts';
import type { CustomerDirectory } from './directory.ts';

/** What a shape changes in the tenant's oidc-provider (see createTenantProvider). */
export interface ProviderShape {
  /** Replaces CLAIMS_BY_SCOPE. */
  claims?: Configuration['claims'];
  /** Replaces the Entra findAccount. */
  findAccount?: FindAccount;
  /** Authorization parameters oidc-provider keeps in the interaction (set by `middleware`). */
  extraParams?: string[];
  /** Merged into the one client's registration (e.g. require_auth_time). */
  clientMetadata?: Record<string, unknown>;
  /** Where the sign-in pages live, given the authorize request's context. */
  interactionUrl?: (ctx: KoaContextWithOIDC, interaction: { uid: string }) => string;
  /** Koa middleware in front of the Entra shims (it sees their finished responses). */
  middleware?: (ctx: KoaContextWithOIDC, next: Next) => Promise<void>;
  /** Adjusts the built provider (e.g. its IdToken class) before it serves anything. */
  customize?: (provider: Provider) => void;
}

/** What a shape changes in the tenant's Express app (see createTenantApp). */
export interface AppShape {
  /** Which counted endpoint a request is (replaces the Entra classifier). */
  classify(req: { path: string }): CountedEndpoint | undefined;
  /** Mounts discovery, the sign-in pages and the provider under the shape's paths. */
  mount(app: Express, provider: Provider): void;
}

/** Fields a shape adds to the public DevTenant (authority, issuer and users come from its TenantContext). */
export interface ShapeApi {
  externalId?: DevTenantExternalId;
  b2c?: DevTenantB2c;
}

/** One built shape: its tenant context plus the hooks above. */
export interface TenantShape {
  readonly tenant: TenantContext;
  readonly directory: CustomerDirectory;
  readonly provider: ProviderShape;
  readonly app: AppShape;
  api(): ShapeApi;
}
