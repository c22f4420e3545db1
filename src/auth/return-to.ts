const BASE = 'http://return-to.invalid';
const MAX_LENGTH = 512;

function looksLocal(path: string): boolean {
  // Control characters and backslashes are refused outright: browsers treat `\` as `/`, so
  // `/\evil.example` would leave the site (CWE-601; RFC 9700 §4.11).
  return path.startsWith('/') && !path.startsWith('//') && !/[\\\u0000-\u001f\u007f]/.test(path);
}

/**
 * The page to return to after sign-in: a same-origin path, or `/` for anything else
 * (absolute URLs, `//host`, `/\host`, encoded slashes or backslashes, dot segments that resolve to
 * `//host`, `javascript:`, over-long values).
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_LENGTH || !looksLocal(value)) return '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return '/';
  }
  if (!looksLocal(decoded)) return '/';
  const url = new URL(value, BASE);
  if (url.origin !== BASE) return '/';
  // Dot segments can bring back a leading `//`: `/.//evil.example` resolves to the path `//evil.example`.
  const path = `${url.pathname}${url.search}`;
  return looksLocal(path) ? path : '/';
}
