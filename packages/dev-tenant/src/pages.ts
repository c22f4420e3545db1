import { html, layout, trusted } from './html.ts';
import type { Html } from './html.ts';
import type { DemoUser } from './types.ts';

const PERMISSION_TEXT: Record<string, string> = {
  openid: 'Sign you in',
  profile: 'View your basic profile',
  email: 'View your email address',
  offline_access: 'Maintain access to data you have given it access to',
  'User.Read': 'Sign you in and read your profile',
  'User.ReadBasic.All': "Read all users' basic profiles",
  'User.Read.All': "Read all users' full profiles",
  'GroupMember.Read.All': 'Read group memberships',
  'Directory.Read.All': 'Read directory data',
};

function initials(user: DemoUser): string {
  return `${user.givenName.charAt(0)}${user.surname.charAt(0)}`;
}

/** One account of the picker: a submit button `name="oid"` showing name, user name and roles. */
export function accountButton(user: DemoUser): Html {
  const roles = user.roles.length > 0 ? html`<span class="dt-roles">Roles: ${user.roles.join(', ')}</span>` : trusted('');
  return html`<li><button type="submit" name="oid" value="${user.oid}" class="dt-account">
<span class="dt-avatar" aria-hidden="true">${initials(user)}</span>
<span class="dt-account-text"><span class="dt-name">${user.displayName}</span>
<span class="dt-upn">${user.userPrincipalName}</span>${roles}</span></button></li>`;
}

/** Input of {@link pickAccountPage}. */
export interface PickAccountInput {
  users: readonly DemoUser[];
  /** Generated test users, listed after `users` in a collapsed group so the named accounts stay in view. */
  moreUsers?: readonly DemoUser[] | undefined;
  clientName: string;
  /** Permission names the app asked for (already without resource prefix). */
  permissions: readonly string[];
  /** Those of `permissions` an admin consented to for every user (marked on the page). */
  adminConsented?: readonly string[] | undefined;
  /** Multi-tenant authorities: the accounts grouped by organisation (then `users` is ignored). */
  groups?: ReadonlyArray<{ label: string; users: readonly DemoUser[] }> | undefined;
  selectAction: string;
  cancelAction: string;
  footer: string;
  /** A return visit of a signed-in user asking for Graph permissions they have not granted yet (consent.ts permissionsToConsent). */
  newPermissions?: readonly string[] | undefined;
}

/** "‹app› needs your permission for: …": why an incremental-consent visit shows the picker again. */
function consentNeeded(clientName: string, permissions: readonly string[]): Html {
  if (permissions.length === 0) return trusted('');
  const items = permissions.map((p) => html`<li>${PERMISSION_TEXT[p] ?? p} <code>${p}</code></li>`);
  return html`<div class="dt-consent-needed" data-testid="consent-needed"><p>${clientName} needs your permission for: ${permissions.join(', ')}</p><ul>${items}</ul></div>`;
}

function moreAccounts(users: readonly DemoUser[]): Html {
  if (users.length === 0) return trusted('');
  return html`<details class="dt-more"><summary>${String(users.length)} generated test users</summary>
<ul class="dt-accounts">${users.map(accountButton)}</ul></details>`;
}

/** Entra's "Pick an account" page: one button per demo user and a Cancel button. */
export function pickAccountPage(input: PickAccountInput): string {
  const admin = new Set(input.adminConsented ?? []);
  const permissions = input.permissions.map((p) => html`<li>${PERMISSION_TEXT[p] ?? p} <code>${p}</code>${admin.has(p) ? ' (admin consent)' : ''}</li>`);
  const accounts = input.groups
    ? input.groups.map((g) => html`<h2 class="dt-org">${g.label}</h2><ul class="dt-accounts">${g.users.map(accountButton)}</ul>`)
    : html`<ul class="dt-accounts">${input.users.map(accountButton)}</ul>`;
  const body = html`<h1>Pick an account</h1>
<p class="dt-sub">to continue to <strong>${input.clientName}</strong></p>
${consentNeeded(input.clientName, input.newPermissions ?? [])}
<form method="post" action="${input.selectAction}">
${accounts}
${moreAccounts(input.moreUsers ?? [])}
</form>
<details class="dt-permissions"><summary>Permissions you grant by signing in</summary><ul>${permissions}</ul></details>
<form method="post" action="${input.cancelAction}" class="dt-actions">
<button type="submit" class="dt-secondary">Cancel</button>
</form>`;
  return layout({ title: 'Pick an account', body, footer: input.footer });
}

/** Input of {@link signOutPage}. */
export interface SignOutInput {
  /** oidc-provider's logout form (`<form id="op.logoutForm" …>` with the xsrf input); trusted markup. */
  form: string;
  user: DemoUser | undefined;
  footer: string;
}

/**
 * Entra's sign-out account picker ("Pick an account" / "Which account do you want to sign out
 * of?"), shown when the logout request names no account (no matching `logout_hint`): the signed-in
 * account and a "Sign out" button inside oidc-provider's form (it posts `logout=yes` with the xsrf token).
 */
export function signOutPage({ form, user, footer }: SignOutInput): string {
  const button = '<div class="dt-actions"><button type="submit" name="logout" value="yes" class="dt-primary" autofocus>Sign out</button></div>';
  const who = user
    ? html`<p class="dt-sub">You are signed in as <strong>${user.displayName}</strong> (${user.userPrincipalName}).</p>`
    : trusted('');
  const body = html`<h1>Pick an account</h1>
<p class="dt-sub">Which account do you want to sign out of?</p>
${who}
${trusted(form.replace('</form>', `${button}</form>`))}`;
  return layout({ title: 'Pick an account to sign out', body, footer });
}

/** Shown after sign-out when the app gave no post_logout_redirect_uri. */
export function signedOutPage(footer: string): string {
  const body = html`<h1>You signed out of your account</h1>
<p class="dt-sub">It's a good idea to close all browser windows.</p>`;
  return layout({ title: 'Signed out', body, footer });
}

/** Input of {@link errorPage}. */
export interface ErrorPageInput {
  error: string;
  description: string;
  footer: string;
}

/** Entra-style error page ("Sorry, but we're having trouble signing you in."). */
export function errorPage({ error, description, footer }: ErrorPageInput): string {
  const body = html`<h1>Sorry, but we're having trouble signing you in.</h1>
<p class="dt-error" role="alert">${description}</p>
<dl class="dt-details"><dt>Error</dt><dd><code>${error}</code></dd><dt>Timestamp</dt><dd>${new Date().toISOString()}</dd></dl>`;
  return layout({ title: 'Error', body, footer });
}

/**
 * A form that posts itself (response_mode=form_post and oidc-provider's own auto-submitting forms),
 * submitted by the external `autosubmit.js`; the button remains for people without JavaScript.
 */
export function autoSubmitPage(action: string, inputs: ReadonlyArray<[string, string]>, footer: string): string {
  const fields = inputs.map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  const body = html`<h1>Continuing…</h1>
<form method="post" action="${action}" id="dt-autosubmit">${fields}
<div class="dt-actions"><button type="submit" class="dt-primary">Continue</button></div>
</form>`;
  return layout({ title: 'Continuing', body, footer, script: 'autosubmit.js' });
}

/** Input of {@link homePage}. */
export interface HomeInput {
  discoveryUrl: string;
  authority: string;
  graphEndpoint: string;
  users: readonly DemoUser[];
  footer: string;
}

/** The dev tenant's landing page: what it is, where its metadata is, who the demo users are. */
export function homePage(input: HomeInput): string {
  const rows = input.users.map((u) => html`<tr><td>${u.displayName}</td><td>${u.userPrincipalName}</td><td>${u.roles.join(', ')}</td></tr>`);
  const body = html`<h1>Overview</h1>
<p class="dt-sub">An offline look-alike of Microsoft Entra ID and Microsoft Graph for local development and tests.</p>
<dl class="dt-details"><dt>Authority</dt><dd><code>${input.authority}</code></dd>
<dt>Metadata</dt><dd><a href="${input.discoveryUrl}">${input.discoveryUrl}</a></dd>
<dt>Graph</dt><dd><code>${input.graphEndpoint}</code></dd></dl>
<table class="dt-users"><thead><tr><th>Name</th><th>User name</th><th>Roles</th></tr></thead><tbody>${rows}</tbody></table>`;
  return layout({ title: 'Overview', body, footer: input.footer });
}
