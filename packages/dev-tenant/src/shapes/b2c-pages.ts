/**
 * The pages of the B2C user flows: sign-up/sign-in, password reset and profile editing. Same
 * layout, banner and escaping as the Entra pages.
 */
import { html, layout, trusted } from '../html.ts';
import type { Html } from '../html.ts';
import type { DemoUser } from '../types.ts';
import { accountList, cancelForm } from './pages.ts';

/** Link texts and button labels of the B2C pages (what a browser test clicks). */
export const B2C_LABELS = {
  forgotPassword: 'Forgot your password?',
  signUp: 'Sign up now',
  resetContinue: 'Continue',
  save: 'Save',
} as const;

function errorLine(error: string | undefined): Html {
  return error ? html`<p class="dt-error" role="alert">${error}</p>` : trusted('');
}

/** Input of {@link susiPage}. */
export interface SusiInput {
  users: readonly DemoUser[];
  moreUsers: readonly DemoUser[];
  clientName: string;
  selectAction: string;
  forgotHref: string;
  signUpHref: string;
  cancelAction: string;
  footer: string;
}

/** B2C_1_susi: the accounts (buttons `name="oid"`), "Forgot your password?", "Sign up now", Cancel. */
export function susiPage(input: SusiInput): string {
  const body = html`<h1>Sign in</h1>
<p class="dt-sub">with your account to continue to <strong>${input.clientName}</strong></p>
<form method="post" action="${input.selectAction}">
${accountList(input.users, input.moreUsers)}
</form>
<p class="dt-links"><a href="${input.forgotHref}">${B2C_LABELS.forgotPassword}</a>
<span>Don't have an account? <a href="${input.signUpHref}">${B2C_LABELS.signUp}</a></span></p>
${cancelForm(input.cancelAction)}`;
  return layout({ title: 'Sign up or sign in', body, footer: input.footer });
}

/** Input of {@link resetPage}. */
export interface ResetInput {
  users: readonly DemoUser[];
  action: string;
  cancelAction: string;
  /** oid of the account chosen before (kept when the form is shown again). */
  chosen?: string | undefined;
  error?: string | undefined;
  footer: string;
}

function choice(user: DemoUser, chosen: string | undefined): Html {
  const checked = user.oid === chosen ? trusted(' checked') : trusted('');
  return html`<li><label><input type="radio" name="oid" value="${user.oid}"${checked} required>
<span><span class="dt-name">${user.displayName}</span> <span class="dt-upn">${user.userPrincipalName}</span></span></label></li>`;
}

/** B2C_1_reset: radio buttons `name="oid"` (labelled with the display name), "New password" (`newPassword`), Continue. */
export function resetPage(input: ResetInput): string {
  const body = html`<h1>Reset your password</h1>
<p class="dt-sub">Choose your account and enter a new password (this tenant does not check it).</p>
${errorLine(input.error)}
<form method="post" action="${input.action}">
<ul class="dt-choices">${input.users.map((u) => choice(u, input.chosen))}</ul>
<p class="dt-field"><label for="newPassword">New password</label>
<input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required></p>
<div class="dt-actions"><button type="submit" class="dt-primary">${B2C_LABELS.resetContinue}</button></div>
</form>
${cancelForm(input.cancelAction)}`;
  return layout({ title: 'Reset your password', body, footer: input.footer });
}

/** Input of {@link profilePickPage}. */
export interface ProfilePickInput {
  users: readonly DemoUser[];
  moreUsers: readonly DemoUser[];
  /** GET target; the chosen account comes back as `?oid=`. */
  action: string;
  cancelAction: string;
  footer: string;
}

/** B2C_1_edit_profile without a session: pick the account to edit first (GET form, buttons `name="oid"`). */
export function profilePickPage(input: ProfilePickInput): string {
  const body = html`<h1>Edit your profile</h1>
<p class="dt-sub">Sign in to edit your profile: pick an account.</p>
<form method="get" action="${input.action}">
${accountList(input.users, input.moreUsers)}
</form>
${cancelForm(input.cancelAction)}`;
  return layout({ title: 'Edit your profile', body, footer: input.footer });
}

/** Input of {@link profileEditPage}. */
export interface ProfileEditInput {
  user: DemoUser;
  action: string;
  cancelAction: string;
  error?: string | undefined;
  footer: string;
}

/** B2C_1_edit_profile: "Display name" (`displayName`, prefilled), hidden `oid`, Save and Cancel. */
export function profileEditPage(input: ProfileEditInput): string {
  const body = html`<h1>Edit your profile</h1>
<p class="dt-sub">Signed in as <strong>${input.user.displayName}</strong> (${input.user.userPrincipalName}).</p>
${errorLine(input.error)}
<form method="post" action="${input.action}">
<input type="hidden" name="oid" value="${input.user.oid}">
<p class="dt-field"><label for="displayName">Display name</label>
<input id="displayName" name="displayName" type="text" value="${input.user.displayName}" autocomplete="name" required></p>
<div class="dt-actions"><button type="submit" class="dt-primary">${B2C_LABELS.save}</button></div>
</form>
${cancelForm(input.cancelAction)}`;
  return layout({ title: 'Edit your profile', body, footer: input.footer });
}
