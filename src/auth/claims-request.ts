/**
 * The longest claims request the app carries to the next sign-in. Microsoft's claims challenges
 * (a Conditional Access policy id, a CAE `nbf`) are a few hundred characters.
 */
export const MAX_CLAIMS_REQUEST_CHARS = 4096;

/**
 * `json` when it is a claims request the app may send with the next authorization request: a JSON
 * object (OpenID Connect Core §5.5) of at most MAX_CLAIMS_REQUEST_CHARS characters; undefined
 * otherwise. Such requests come from the token endpoint (the `claims` of an `interaction_required`
 * answer) or from a resource's claims challenge
 * (https://learn.microsoft.com/entra/identity-platform/claims-challenge), never from the browser.
 */
export function claimsRequestOf(json: unknown): string | undefined {
  if (typeof json !== 'string' || json.length === 0 || json.length > MAX_CLAIMS_REQUEST_CHARS) return undefined;
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? json : undefined;
  } catch {
    return undefined;
  }
}
