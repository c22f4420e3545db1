/**
 * Hostile mode for tests of relying parties: queued alterations of the next real successful token
 * responses (members removed or set), e.g. no `access_token`, `token_type: "MAC"`, no `id_token` —
 * what RFC 6749 §5.1 and OpenID Connect Core §3.1.3.3 forbid, hence what a client must refuse.
 * Switched on only through the programmatic API ({@link DevTenant.tamperTokenResponse}).
 */
import type { KoaContextWithOIDC } from 'oidc-provider';

import { ROUTES } from './context.ts';
import type { TokenResponseTamper } from './control-types.ts';
import { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';
import type { Next } from './shims.ts';
import { GRANTS, TamperQueue } from './tamper.ts';

function invalid(message: string): DevTenantError {
  return new DevTenantError(DEV_TENANT_ERROR_CODES.invalidOption, `tamperTokenResponse: ${message}`);
}

/** Validates one alteration (DEV_TENANT_INVALID_OPTION naming what is wrong). */
export function checkResponseTamper(tamper: TokenResponseTamper): void {
  const { grant, remove, set, times = 1 } = tamper;
  if (grant !== undefined && !GRANTS.includes(grant)) throw invalid(`grant must be one of ${GRANTS.join(', ')}`);
  if (remove !== undefined && !(Array.isArray(remove) && remove.every((n) => typeof n === 'string'))) throw invalid('remove must be an array of names');
  if (set !== undefined && (typeof set !== 'object' || set === null || Array.isArray(set))) throw invalid('set must be an object');
  if (remove === undefined && set === undefined) throw invalid('name members to remove or set');
  if (!Number.isInteger(times) || times < 1) throw invalid('times must be a positive integer');
}

/** Queued token-response alterations. */
export type ResponseTampers = TamperQueue<TokenResponseTamper>;

/** An empty queue of token-response alterations. */
export function responseTamperQueue(): ResponseTampers {
  return new TamperQueue<TokenResponseTamper>(checkResponseTamper);
}

/**
 * Koa middleware placed in front of every other tenant middleware, so it alters the token
 * response exactly as it would leave the tenant: members set, then removed.
 */
export function tokenResponseTamperer(queue: ResponseTampers) {
  return async (ctx: KoaContextWithOIDC, next: Next): Promise<void> => {
    await next();
    if (ctx.method !== 'POST' || ctx.path !== ROUTES.token || ctx.status !== 200) return;
    const body = ctx.body as Record<string, unknown> | undefined;
    if (typeof body?.['access_token'] !== 'string') return;
    const grant = ctx.oidc?.params?.['grant_type'];
    const tamper = queue.take(typeof grant === 'string' ? grant : 'unknown');
    if (!tamper) return;
    Object.assign(body, structuredClone(tamper.set ?? {}));
    for (const name of tamper.remove ?? []) delete body[name];
  };
}
