/**
 * A small cookie-keeping HTTP client that follows redirects by hand and submits HTML forms,
 * so integration tests can walk the sign-in flow without a browser and see every hop.
 * Exported as `@contoso/dev-tenant/agent` for the app's tests and benchmarks as well as the tenant's own.
 */
export interface Hop {
  readonly url: string;
  readonly status: number;
  readonly location: string | undefined;
}

export interface Page {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  readonly hops: readonly Hop[];
}

function decode(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&#x27;/g, '\'').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
  return m ? decode(m[2] ?? m[3] ?? '') : undefined;
}

/** An HTML form as a browser would submit it. */
export interface Form {
  /** Absolute URL. */
  readonly action: string;
  /** Upper case. */
  readonly method: string;
  readonly fields: URLSearchParams;
}

/**
 * The form in `html` (a page at `base`) that contains a button whose text matches `button`:
 * its action, method, named inputs (submit inputs aside) and the button's own name/value.
 */
export function parseForm(html: string, button: RegExp, base: string): Form {
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, formAttrs = '', inner = ''] = match;
    const buttonMatch = [...inner.matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/gi)]
      .find(([, , text]) => button.test(decode((text ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim())));
    if (!buttonMatch) continue;
    const fields = new URLSearchParams();
    for (const [input] of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attr(input, 'name');
      if (name && attr(input, 'type') !== 'submit') fields.append(name, attr(input, 'value') ?? '');
    }
    const name = attr(buttonMatch[1] ?? '', 'name');
    if (name) fields.append(name, attr(buttonMatch[1] ?? '', 'value') ?? '');
    const formId = attr(buttonMatch[1] ?? '', 'form');
    const action = new URL(attr(formAttrs, 'action') ?? base, base).href;
    const method = (attr(formAttrs, 'method') ?? 'get').toUpperCase();
    if (formId) throw new Error('buttons bound with form= are not supported');
    return { action, method, fields };
  }
  throw new Error(`no form with a button matching ${button} on ${base}:\n${html.slice(0, 2000)}`);
}

/** A urlencoded POST. */
function formPost(fields: URLSearchParams): RequestInit {
  return { method: 'POST', body: fields, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

interface Cookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
}

/** RFC 6265 §5.1.4: a cookie path matches the request path itself or a sub-path of it. */
function pathMatches(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

export class Agent {
  /** host → cookies (a name may be set at several paths) */
  readonly #jar = new Map<string, Cookie[]>();
  /** Extra headers sent with every request (e.g. Sec-Fetch-Site). */
  headers: Record<string, string> = {};

  /** The value of the cookie `name` at path `/` for the URL's host. */
  cookie(url: string, name: string): string | undefined {
    return this.#jar.get(new URL(url).host)?.find((c) => c.name === name && c.path === '/')?.value;
  }

  /** Every cookie value held for the URL's host. */
  cookieValues(url: string): string[] {
    return (this.#jar.get(new URL(url).host) ?? []).map((c) => c.value);
  }

  /** Plants a cookie at path `/` (forged or replayed cookies in tests). */
  setCookie(url: string, name: string, value: string): void {
    const host = new URL(url).host;
    const others = (this.#jar.get(host) ?? []).filter((c) => !(c.name === name && c.path === '/'));
    this.#jar.set(host, [...others, { name, value, path: '/' }]);
  }

  #header(url: URL): string {
    return (this.#jar.get(url.host) ?? [])
      .filter((c) => pathMatches(c.path, url.pathname))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  #store(url: string, response: Response): void {
    const { host, pathname } = new URL(url);
    const defaultPath = pathname.slice(0, pathname.lastIndexOf('/')) || '/';
    let list = this.#jar.get(host) ?? [];
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const pathAttr = attrs.map((a) => a.trim()).find((a) => /^path=/i.test(a));
      const path = pathAttr ? pathAttr.slice(5) || '/' : defaultPath;
      const expired = attrs.some((a) => /^\s*max-age=0/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()));
      list = list.filter((c) => !(c.name === name && c.path === path));
      if (!expired) list.push({ name, value: pair.slice(eq + 1).trim(), path });
    }
    this.#jar.set(host, list);
  }

  /** One request, no redirect following. */
  async raw(url: string, init: RequestInit = {}): Promise<Response> {
    const cookie = this.#header(new URL(url));
    const headers = new Headers({ ...this.headers, ...(init.headers as Record<string, string> | undefined) });
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.#store(url, response);
    return response;
  }

  /** URLs for which `go` stops instead of following (the page's last hop holds the location). */
  stopBefore: ((url: string) => boolean) | undefined;

  /** A request followed through redirects (303/302 become GET), up to `maxHops`. */
  async go(url: string, init: RequestInit = {}, maxHops = 15): Promise<Page> {
    const hops: Hop[] = [];
    let current = url;
    let request = init;
    for (let i = 0; i <= maxHops; i++) {
      const response = await this.raw(current, request);
      const location = response.headers.get('location') ?? undefined;
      hops.push({ url: current, status: response.status, location });
      if (response.status < 300 || response.status >= 400 || !location) {
        return { url: current, status: response.status, headers: response.headers, body: await response.text(), hops };
      }
      const next = new URL(location, current).href;
      if (this.stopBefore?.(next)) {
        return { url: current, status: response.status, headers: response.headers, body: await response.text(), hops };
      }
      await response.body?.cancel();
      current = next;
      request = {};
    }
    throw new Error(`too many redirects from ${url}: ${hops.map((h) => h.url).join(' → ')}`);
  }

  /** Follows the link on `page` whose text matches `text`. */
  follow(page: Page, text: RegExp): Promise<Page> {
    const link = [...page.body.matchAll(/<a\b[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi)]
      .find(([, , label]) => text.test(decode((label ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim())));
    if (!link?.[1]) throw new Error(`no link ${text} on ${page.url}`);
    return this.go(new URL(decode(link[1]), page.url).href);
  }

  /** POSTs `fields` urlencoded, without following redirects. */
  post(url: string, fields: Record<string, string> | URLSearchParams): Promise<Response> {
    return this.raw(url, formPost(new URLSearchParams(fields)));
  }

  /**
   * Submits the form on `page` that contains a button whose text matches `button`,
   * with the form's hidden inputs and the button's own name/value, and `values` typed in.
   */
  async submit(page: Page, button: RegExp, values: Record<string, string> = {}): Promise<Page> {
    const form = parseForm(page.body, button, page.url);
    for (const [name, value] of Object.entries(values)) form.fields.set(name, value);
    if (form.method === 'GET') return this.go(`${form.action.split('?')[0]}?${form.fields}`);
    return this.go(form.action, formPost(form.fields));
  }
}
