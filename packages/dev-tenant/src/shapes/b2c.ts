/**
 * shape 'b2c': Azure AD B2C user flows. The tenant `devtenantb2c` serves one full authority per
 * policy, `/devtenantb2c.onmicrosoft.com/<policy>` (case-insensitive), all from one oidc-provider
 * with B2C's single issuer `…/{tenantId}/v2.0/` (trailing slash). ID tokens carry B2C's claims
 * (`emails`, `idp`, `ver` 1.0, `sub` = oid; no `tid`, no `preferred_username`), the user flow in
 * `tfp`, `acr` or nothing (b2c-flow-claim.ts); `client_info` uid is `<oid>-<policy>`.
 */
import type { Account, FindAccount, KoaContextWithOIDC } from 'oidc-provider';

import type { TenantContext } from '../context.ts';
import { ROUTES } from '../context.ts';
import type { Next } from '../shims.ts';
import { nameFlowInIdTokens } from './b2c-flow-claim.ts';
import { b2cPagesRouter } from './b2c-interactions.ts';
import { B2C_POLICIES, B2C_TENANT, defaultFlowClaim, policyNamed, policyOfPath } from './b2c-policies.ts';
import type { B2cFlowClaim, B2cPolicy } from './b2c-policies.ts';
import { createCustomerDirectory } from './directory.ts';
import type { CustomerDirectory } from './directory.ts';
import { classifierFor, interactionUrlAtMount, isAuthorize, mountProvider, setQuery } from './mounts.ts';
import type { ShapeInput } from './shape-input.ts';
import type { TenantShape } from './types.ts';

/** Domain of the demo consumers' e-mail addresses. */
export const B2C_EMAIL_DOMAIN = 'devtenantb2c.example';
/** Authorization parameter carrying the user flow into the interaction. */
export const POLICY_PARAM = 'dt_policy';

/**
 * B2C releases the user flow's claims whatever the scope; `emails` is an array; no `tid` and no
 * `preferred_username` (https://learn.microsoft.com/azure/active-directory-b2c/tokens-overview#claims).
 * `tfp`/`acr` are set by nameFlowInIdTokens.
 */
const B2C_CLAIMS = {
  openid: ['sub', 'oid', 'ver', 'tfp', 'name', 'emails', 'idp', 'nbf'],
  profile: ['name'],
  email: ['emails'],
};

function requestPolicy(ctx: KoaContextWithOIDC): B2cPolicy {
  const req = ctx.req as { originalUrl?: string };
  return policyOfPath(req.originalUrl ?? ctx.path) ?? B2C_POLICIES.susi;
}

/** The user flow a code or refresh token was issued by (kept as its `acr`), else the request's. */
function tokenPolicy(ctx: KoaContextWithOIDC, token: { acr?: unknown } | undefined): B2cPolicy {
  return policyNamed(token?.acr) ?? requestPolicy(ctx);
}

function findAccountFor(directory: CustomerDirectory): FindAccount {
  return (_ctx, sub) => {
    const user = directory.bySubject(sub);
    if (!user) return undefined;
    const account: Account = {
      accountId: sub,
      claims: () => ({
        sub,
        oid: user.oid,
        ver: '1.0',
        nbf: Math.floor(Date.now() / 1000),
        // Read at issue time: a profile edit shows in the next token.
        name: directory.byOid(user.oid)?.displayName ?? user.displayName,
        emails: [user.mail],
        idp: 'LocalAccount',
      }),
    };
    return account;
  };
}

function withPolicySuffix(clientInfo: string, policy: B2cPolicy): string {
  const info = JSON.parse(Buffer.from(clientInfo, 'base64url').toString('utf8')) as { uid?: string; utid?: string };
  return Buffer.from(JSON.stringify({ ...info, uid: `${info.uid}-${policy.toLowerCase()}` })).toString('base64url');
}

/**
 * Before oidc-provider: authorize requests get `dt_policy` = the user flow of their path (any
 * client-sent value is replaced). After the Entra shims: `client_info` of token responses gets
 * B2C's uid `<oid>-<policy in lower case>`.
 */
export async function b2cMiddleware(ctx: KoaContextWithOIDC, next: Next): Promise<void> {
  if (isAuthorize(ctx)) setQuery(ctx, { ...ctx.query, [POLICY_PARAM]: requestPolicy(ctx) });
  await next();
  const body = ctx.body as Record<string, unknown> | undefined;
  if (ctx.method === 'POST' && ctx.path === ROUTES.token && ctx.status === 200 && typeof body?.['client_info'] === 'string') {
    const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken;
    body['client_info'] = withPolicySuffix(body['client_info'], tokenPolicy(ctx, source));
  }
}

/** Builds the B2C shape for one running tenant. */
export function b2cShape(input: ShapeInput): TenantShape {
  const { secrets, origin } = input;
  const base = `/${B2C_TENANT}.onmicrosoft.com`;
  const mounts = Object.values(B2C_POLICIES).map((policy) => `${base}/${policy}`);
  const directory = createCustomerDirectory(B2C_EMAIL_DOMAIN, (oid) => oid, input.extraUsers);
  const tenant: TenantContext = {
    tenantId: secrets.tenantId,
    clientId: secrets.clientId,
    origin,
    mountPath: `${base}/${B2C_POLICIES.susi}`,
    issuer: `${origin}/${secrets.tenantId}/v2.0/`,
    graphEndpoint: `${origin}/v1.0`,
    users: directory,
    footer: `B2C tenant ${B2C_TENANT} (${secrets.tenantId}) · development only`,
    accessTokenTtl: input.accessTokenTtl,
  };
  const authorityOf = (policy: string): string => `${origin}${base}/${policy}`;
  const flowClaimOf = (policy: B2cPolicy): B2cFlowClaim => input.b2cFlowClaim?.[policy] ?? defaultFlowClaim(policy);
  return {
    tenant,
    directory,
    provider: {
      claims: B2C_CLAIMS,
      findAccount: findAccountFor(directory),
      extraParams: [POLICY_PARAM],
      clientMetadata: { require_auth_time: true },
      interactionUrl: interactionUrlAtMount,
      middleware: b2cMiddleware,
      customize: (provider) => nameFlowInIdTokens(provider, flowClaimOf, requestPolicy),
    },
    app: {
      classify: classifierFor(mounts),
      mount: (app, provider) => {
        const pages = b2cPagesRouter(provider, tenant, directory);
        for (const mount of mounts) mountProvider(app, mount, provider, pages);
      },
    },
    api: () => ({
      b2c: {
        base: `${origin}${base}`,
        tenantName: B2C_TENANT,
        policies: { ...B2C_POLICIES },
        authorities: {
          susi: authorityOf(B2C_POLICIES.susi), password: authorityOf(B2C_POLICIES.password),
          profile: authorityOf(B2C_POLICIES.profile), custom: authorityOf(B2C_POLICIES.custom),
        },
        flowClaims: Object.fromEntries(Object.values(B2C_POLICIES).map((p) => [p, flowClaimOf(p)])),
      },
    }),
  };
}
