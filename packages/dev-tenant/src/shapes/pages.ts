/**
 * Pages of the customer shapes (External ID and B2C) that both use: the account list with a
 * sign-up link, and the sign-up form. Same layout, banner and escaping as the Entra pages.
 */
import { html, layout, trusted } from '../html.ts';
import type { Html } from '../html.ts';
import { accountButton } from '../pages.ts';
import type { DemoUser } from '../types.ts';

/** Text of the link from the sign-in page to the sign-up page (External ID). */
export const CREATE_ACCOUNT_LINK = 'No account? Create one';

/** A form holding only a Cancel button (posts to `action`). */
export function cancelForm(action: string): Html {
  return html`<form method="post" action="${action}" class="dt-actions">
<button type="submit" class="dt-secondary">Cancel</button>
</form>`;
}

/** The accounts as picker buttons (`name="oid"`), generated ones folded away. */
export function accountList(users: readonly DemoUser[], moreUsers: readonly DemoUser[]): Html {
  const more = moreUsers.length === 0
    ? trusted('')
    : html`<details class="dt-more"><summary>${String(moreUsers.length)} generated test users</summary>
<ul class="dt-accounts">${moreUsers.map(accountButton)}</ul></details>`;
  return html`<ul class="dt-accounts">${users.map(accountButton)}</ul>
${more}`;
}

/** Input of {@link customerSignInPage}. */
export interface CustomerSignInInput {
  users: readonly DemoUser[];
  moreUsers: readonly DemoUser[];
  clientName: string;
  selectAction: string;
  cancelAction: string;
  signUpHref: string;
  footer: string;
}

/** External ID's sign-in: "Pick an account" plus the "No account? Create one" link. */
export function customerSignInPage(input: CustomerSignInInput): string {
  const body = html`<h1>Pick an account</h1>
<p class="dt-sub">to continue to <strong>${input.clientName}</strong></p>
<form method="post" action="${input.selectAction}">
${accountList(input.users, input.moreUsers)}
</form>
<p class="dt-links"><a href="${input.signUpHref}">${CREATE_ACCOUNT_LINK}</a></p>
${cancelForm(input.cancelAction)}`;
  return layout({ title: 'Sign in', body, footer: input.footer });
}

/** Input of {@link signUpPage}. */
export interface SignUpInput {
  clientName: string;
  action: string;
  cancelAction: string;
  /** Back to the account list. */
  signInHref: string;
  email?: string | undefined;
  displayName?: string | undefined;
  /** A message shown above the form (duplicate or invalid address, missing name). */
  error?: string | undefined;
  footer: string;
}

function field(id: string, label: string, type: string, value: string | undefined, autocomplete: string): Html {
  return html`<p class="dt-field"><label for="${id}">${label}</label>
<input id="${id}" name="${id}" type="${type}" value="${value ?? ''}" autocomplete="${autocomplete}" required></p>`;
}

/**
 * "Create account": inputs `email` ("Email address") and `displayName` ("Display name"),
 * a "Create account" button, a link back to sign-in, and Cancel.
 */
export function signUpPage(input: SignUpInput): string {
  const error = input.error ? html`<p class="dt-error" role="alert">${input.error}</p>` : trusted('');
  const body = html`<h1>Create account</h1>
<p class="dt-sub">to continue to <strong>${input.clientName}</strong></p>
${error}
<form method="post" action="${input.action}">
${field('email', 'Email address', 'email', input.email, 'email')}
${field('displayName', 'Display name', 'text', input.displayName, 'name')}
<div class="dt-actions"><button type="submit" class="dt-primary">Create account</button></div>
</form>
<p class="dt-links"><a href="${input.signInHref}">Already have an account? Sign in</a></p>
${cancelForm(input.cancelAction)}`;
  return layout({ title: 'Create account', body, footer: input.footer });
}
