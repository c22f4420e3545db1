/**
 * Conditional Access step-up at the sign-in pages: an authorize request whose `claims` carry the
 * `capolids` of a step-up policy (what the token endpoint asked for, access-shims.ts) makes the
 * user pass a "Verify your identity" step after picking the account; the grant of that sign-in
 * then satisfies the policy. A sign-in without those claims does not (the app must carry them).
 * https://learn.microsoft.com/entra/identity-platform/claims-challenge
 */
import type { SignInEvidence, StepUpPolicy } from './access-policies.ts';
import { clientCapabilities, conditionalAccessPolicyIds, parseClaimsRequest } from './claims-request.ts';
import type { TenantContext } from './context.ts';
import { html, layout } from './html.ts';
import type { DemoUser } from './types.ts';

/** The form field the "Verify" button posts with the picked account. */
const VERIFIED_FIELD = 'verified';

/** Input of {@link verifyIdentityPage}. */
export interface VerifyIdentityInput {
  user: DemoUser;
  policies: readonly StepUpPolicy[];
  /** The account picker's POST target; the page posts the account again, verified. */
  selectAction: string;
  footer: string;
}

/** Entra's "Verify your identity" (MFA) step, reduced to one "Verify" button: demo accounts have no second factor. */
export function verifyIdentityPage(input: VerifyIdentityInput): string {
  const policies = input.policies.map((p) => html`<li><code>${p.id}</code></li>`);
  const body = html`<h1>Verify your identity</h1>
<p class="dt-sub">Signed in as <strong>${input.user.displayName}</strong> (${input.user.userPrincipalName}).</p>
<p>Your organization requires multifactor authentication to continue. A real tenant asks you to approve a request in Microsoft Authenticator or to enter a code.</p>
<details class="dt-permissions"><summary>Conditional Access policies requiring it</summary><ul>${policies}</ul></details>
<form method="post" action="${input.selectAction}" class="dt-actions">
<input type="hidden" name="oid" value="${input.user.oid}"/>
<input type="hidden" name="${VERIFIED_FIELD}" value="yes"/>
<button type="submit" class="dt-primary">Verify</button>
</form>`;
  return layout({ title: 'Verify your identity', body, footer: input.footer });
}

/** The step-up of one interactive sign-in: a page to show first, or what to record with its grant. */
export type StepUp = { page: string } | { evidence: SignInEvidence };

/**
 * What the authorize request's `claims` (kept in the interaction's params) mean for this sign-in:
 * the step-up policies of this user it carries need the "Verify" step first (unless `body` is its
 * answer); then those policies are satisfied and the declared client capabilities are recorded.
 */
export function stepUpAtSignIn(tenant: TenantContext, params: Record<string, unknown>, user: DemoUser, body: unknown, selectAction: string): StepUp {
  const claims = parseClaimsRequest(params['claims']);
  const carried = conditionalAccessPolicyIds(claims);
  const policies = tenant.access?.policiesFor(user.oid).filter((p) => carried.includes(p.id)) ?? [];
  const verified = (body as Record<string, unknown> | undefined)?.[VERIFIED_FIELD] === 'yes';
  if (policies.length > 0 && !verified) {
    return { page: verifyIdentityPage({ user, policies, selectAction, footer: tenant.footer }) };
  }
  return { evidence: { satisfied: policies.map((p) => p.id), capabilities: clientCapabilities(claims) } };
}
