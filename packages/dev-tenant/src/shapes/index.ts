/**
 * The tenant shapes besides Entra's default: 'external_id' (Entra External ID for customers) and
 * 'b2c' (Azure AD B2C user flows). index.ts builds one per tenant when `shape` asks for it.
 */
import type { DevTenantShape } from '../types.ts';
import { b2cShape } from './b2c.ts';
import { externalIdShape } from './external-id.ts';
import type { ShapeInput } from './shape-input.ts';
import type { TenantShape } from './types.ts';

export type { ShapeInput } from './shape-input.ts';
export type { TenantShape } from './types.ts';

/** The shape's tenant context, provider and app hooks, and API fields; undefined for 'entra'. */
export function createShape(shape: DevTenantShape, input: ShapeInput): TenantShape | undefined {
  if (shape === 'external_id') return externalIdShape(input);
  if (shape === 'b2c') return b2cShape(input);
  return undefined;
}
