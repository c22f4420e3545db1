import { html, layout } from './html.ts';
import type { DemoUser } from './types.ts';

/** Input of {@link needAdminApprovalPage}. */
export interface NeedAdminApprovalInput {
  clientName: string;
  user: DemoUser;
  /** The admin-only permissions asked for that no administrator granted. */
  permissions: readonly string[];
  /** The account picker of the same sign-in ("Have an admin account? Sign in with that account"). */
  pickAccountHref: string;
  /** POST target that returns to the app with an error. */
  returnAction: string;
  footer: string;
}

/**
 * Entra's "Need admin approval" page, shown instead of a consent prompt when a user who is not an
 * administrator is asked for permissions only an admin can grant (AADSTS90094,
 * https://learn.microsoft.com/entra/identity/enterprise-apps/application-sign-in-unexpected-user-consent-error).
 */
export function needAdminApprovalPage(input: NeedAdminApprovalInput): string {
  const permissions = input.permissions.map((p) => html`<li><code>${p}</code></li>`);
  const body = html`<h1>Need admin approval</h1>
<p class="dt-sub">Signed in as <strong>${input.user.displayName}</strong> (${input.user.userPrincipalName}).</p>
<p class="dt-error" role="alert">${input.clientName} needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.</p>
<details class="dt-permissions" open><summary>Permissions that need an administrator</summary><ul>${permissions}</ul></details>
<p><a href="${input.pickAccountHref}">Have an admin account? Sign in with that account</a></p>
<form method="post" action="${input.returnAction}" class="dt-actions">
<button type="submit" class="dt-secondary">Return to the application without granting consent</button>
</form>`;
  return layout({ title: 'Need admin approval', body, footer: input.footer });
}
