const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function loopbackWithoutPort(uri: string): string | undefined {
  const url = URL.parse(uri);
  if (!url || url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  if (url.username || url.password || url.hash) return undefined;
  return `${url.protocol}//${url.hostname}${url.pathname}${url.search}`;
}

/**
 * Entra's localhost exception: for an `http://localhost` (or 127.0.0.1 / [::1]) redirect URI
 * the port is ignored when matching, so an app running on any port is accepted as long as scheme,
 * host and path (and query) equal a registered URI. Any other URI must match exactly.
 * See https://learn.microsoft.com/entra/identity-platform/reply-url#localhost-exceptions
 */
export function loopbackRedirectAllowed(requested: string, registered: readonly string[]): boolean {
  const wanted = loopbackWithoutPort(requested);
  if (wanted === undefined) return false;
  return registered.some((uri) => loopbackWithoutPort(uri) === wanted);
}
