/**
 * The claim that names the user flow in B2C ID tokens: `tfp`, `acr`, or none at all, per user flow
 * (DevTenantOptions.b2cFlowClaim; see {@link B2cFlowClaim} for the documented settings).
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';

import { policyNamed } from './b2c-policies.ts';
import type { B2cFlowClaim, B2cPolicy } from './b2c-policies.ts';

/** The flow's claim as set for this tenant (the option, else the default). */
export type FlowClaimOf = (policy: B2cPolicy) => B2cFlowClaim;

/**
 * The claims naming `policy` under the setting `claim`: `tfp` keeps the policy id as configured;
 * `acr` carries it in lower case, as B2C's older tokens show it: Microsoft's 2016 B2C token reference
 * gives `acr` = "b2c_1_sign_in" as the example value (its sample token: "b2c_1_sign_in_stock"), though
 * that page names its policies in lower case too, so lower-casing a mixed-case id is inferred
 * (https://github.com/MicrosoftDocs/azure-docs/blob/04e64ba51def392a11c9bd70a881f24ffd1ae8f9/articles/active-directory-b2c/active-directory-b2c-reference-tokens.md);
 * 'none' adds nothing.
 */
export function flowClaims(policy: B2cPolicy, claim: B2cFlowClaim): Record<string, string> {
  if (claim === 'tfp') return { tfp: policy };
  if (claim === 'acr') return { acr: policy.toLowerCase() };
  return {};
}

/**
 * Makes `provider`'s ID tokens name their user flow as `claimOf` says. The flow travels with the
 * sign-in, code and refresh token as oidc-provider's `acr` (see finishSignIn), which oidc-provider
 * hands to every ID token it builds (the key is present, even when undefined, only for ID tokens);
 * its own `acr` claim stays off because the tenant declares no `acr_values`. Patches this provider's
 * own IdToken class, the way provider.ts patches its Client class.
 */
export function nameFlowInIdTokens(provider: Provider, claimOf: FlowClaimOf, requestPolicy: (ctx: KoaContextWithOIDC) => B2cPolicy): void {
  const proto = provider.IdToken.prototype;
  const payload = proto.payload;
  proto.payload = async function named(this: InstanceType<Provider['IdToken']>) {
    const claims = await payload.call(this);
    if (!Object.hasOwn(this.available, 'acr')) return claims; // userinfo, logout tokens
    const policy = policyNamed(this.available['acr']) ?? requestPolicy(this.ctx);
    const { tfp: _tfp, acr: _acr, ...rest } = claims;
    return { ...rest, ...flowClaims(policy, claimOf(policy)) };
  };
}
