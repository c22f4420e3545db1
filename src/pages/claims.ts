/** A claim ready for display: every value is a string, escaped by the view. */
export interface ClaimRow {
  readonly name: string;
  readonly value: string;
  readonly meaning: string | undefined;
}

const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf', 'auth_time']);

const MEANINGS: Record<string, string> = {
  aud: 'Audience: the app (client id) the token was issued for',
  iss: 'Issuer: the authority that issued the token',
  iat: 'Issued at',
  nbf: 'Not valid before',
  exp: 'Expires at',
  sub: 'Subject: the user, as seen by this app',
  oid: 'Object id of the user in the tenant',
  tid: 'Tenant id',
  name: 'Display name',
  preferred_username: 'Sign-in name (not guaranteed unique or stable)',
  email: 'E-mail address',
  roles: 'App roles assigned to the user',
  groups: 'Groups the user belongs to (object ids)',
  _claim_names: 'Groups overage: too many groups for the token; the Groups page asks Microsoft Graph for them (POST /me/getMemberGroups)',
  _claim_sources: 'Where the overage points for the groups; the app does not call it, it uses POST /me/getMemberGroups on the Groups page',
  hasgroups: 'Groups overage (implicit flow): the groups were left out of the token',
  tfp: 'Azure AD B2C user flow that issued the token',
  acr: 'Azure AD B2C user flow (older tokens) or authentication context',
  emails: 'E-mail addresses (Azure AD B2C)',
  idp: 'Identity provider the user signed in with',
  nonce: 'Nonce sent by the app at sign-in, echoed back',
  ver: 'Token version',
  aio: 'Internal claim used by Microsoft Entra ID',
  uti: 'Token identifier',
  rh: 'Internal claim used by Microsoft Entra ID',
  sid: 'Session id at the identity provider',
  login_hint: 'Hint for signing this user in or out',
  azp: 'Authorized party',
  at_hash: 'Access token hash',
  c_hash: 'Code hash',
};

function display(name: string, value: unknown): string {
  if (TIME_CLAIMS.has(name) && typeof value === 'number') {
    return `${new Date(value * 1000).toUTCString()} (${value})`;
  }
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The ID token's claims as table rows, times made readable, in a stable order. */
export function claimRows(claims: Readonly<Record<string, unknown>>): ClaimRow[] {
  return Object.keys(claims)
    .sort()
    .map((name) => ({ name, value: display(name, claims[name]), meaning: MEANINGS[name] }));
}
