/**
 * The `claims` request parameter (OpenID Connect Core §5.5) as Entra reads it on authorize and
 * token requests: the client capabilities it declares (`access_token.xms_cc`) and the Conditional
 * Access policies it answers (`access_token.capolids`).
 * https://learn.microsoft.com/entra/identity-platform/claims-challenge
 */

/** Longer `claims` values are ignored (msal sends a few hundred characters). */
const MAX_CLAIMS_CHARS = 16_384;

/** A parsed claims request: a JSON object. */
export type ClaimsRequest = Readonly<Record<string, unknown>>;

/** The `claims` parameter as a JSON object, or undefined when absent, too long or not a JSON object. */
export function parseClaimsRequest(value: unknown): ClaimsRequest | undefined {
  if (typeof value !== 'string' || value.length > MAX_CLAIMS_CHARS) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The string `values` asked for the access-token claim `name` (`{"access_token":{name:{"values":[…]}}}`). */
function accessTokenValues(claims: ClaimsRequest | undefined, name: string): string[] {
  const accessToken = claims?.['access_token'];
  const claim = isObject(accessToken) ? accessToken[name] : undefined;
  const values = isObject(claim) ? claim['values'] : undefined;
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The client capabilities the request declares that Entra knows, as asked: only `cp1` (case
 * insensitive: "The values aren't case-sensitive"). msal-node sends
 * `{"access_token":{"xms_cc":{"values":["CP1"]}}}` when configured with `clientCapabilities: ["CP1"]`.
 * https://learn.microsoft.com/entra/identity-platform/claims-challenge#receiving-xms_cc-claim-in-an-access-token
 */
export function clientCapabilities(claims: ClaimsRequest | undefined): string[] {
  return accessTokenValues(claims, 'xms_cc').filter((v) => v.toLowerCase() === 'cp1');
}

/** The Conditional Access policy ids the request answers: `{"access_token":{"capolids":{"essential":true,"values":[…]}}}`. */
export function conditionalAccessPolicyIds(claims: ClaimsRequest | undefined): string[] {
  return accessTokenValues(claims, 'capolids');
}
