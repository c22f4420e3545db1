/**
 * Plain-words diagnoses for `npm run check-config`: why the authority could not be reached, where a
 * problem's value came from, and a redirect URI that would bring the sign-in back to another process.
 * Pure functions: no network, no process state (test/unit/check-config/explain.test.ts).
 */
import type { Config, RawSettings } from '../config/index.ts';

/** The `code`s and names along an error's `cause` chain (fetch wraps the socket error in TypeError's `cause`). */
function causesOf(error: unknown): { codes: string[]; names: string[]; messages: string[] } {
  const codes: string[] = [];
  const names: string[] = [];
  const messages: string[] = [];
  for (let e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && typeof e === 'object' && depth < 5; e = e.cause as typeof e, depth += 1) {
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.name === 'string') names.push(e.name);
    if (typeof e.message === 'string') messages.push(e.message);
  }
  return { codes, names, messages };
}

/**
 * Node's TLS verification codes (OpenSSL's X509_V_ERR_* names, https://nodejs.org/api/tls.html#x509-certificate-error-codes)
 * and its ERR_TLS_* codes.
 */
function isTlsCode(code: string): boolean {
  return /CERT|^ERR_TLS_|^ERR_SSL_|SELF_SIGNED|UNABLE_TO_(VERIFY|GET)/.test(code);
}

/** DNS failures of getaddrinfo (https://nodejs.org/api/dns.html#error-codes). */
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'ENODATA']);

/**
 * Why fetching `url` (the authority's discovery document) failed, in words that name the fix: DNS (the
 * host and a likely typo), TLS (the certificate code and NODE_EXTRA_CA_CERTS, https://nodejs.org/api/cli.html#node_extra_ca_certsfile),
 * the HTTP status (Entra answers 400 with AADSTS90002 for a tenant that does not exist,
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes), a refused connection, or the timeout.
 */
export function explainAuthorityFailure(error: unknown, url: string, timeoutMs: number): string {
  const { host, hostname } = new URL(url);
  const { codes, names, messages } = causesOf(error);
  const dns = codes.find((c) => DNS_CODES.has(c));
  if (dns) return `the host name ${hostname} does not resolve (DNS ${dns}): check AUTHORITY for a typo in the host or the tenant name (login.microsoftonline.com for Entra ID, <subdomain>.ciamlogin.com for External ID, <tenant>.b2clogin.com for B2C)`;
  const tls = codes.find(isTlsCode);
  if (tls) return `${host}'s TLS certificate was refused (${tls}): behind a TLS-inspecting proxy or with a private certificate authority, give that CA's certificate (PEM) as NODE_EXTRA_CA_CERTS${/EXPIRED|NOT_YET_VALID/.test(tls) ? '; also check this machine\'s clock' : ''}`;
  if (names.includes('TimeoutError') || messages.some((m) => /did not answer within/.test(m))) {
    return `${host} did not answer within ${timeoutMs} ms (HTTP_TIMEOUT_MS): check the network, a proxy or a firewall between here and ${hostname}`;
  }
  const status = messages.map((m) => /answered HTTP (\d{3})/.exec(m)?.[1]).find(Boolean);
  if (status === '400' || status === '404') {
    return `${url} answered HTTP ${status}: the tenant in AUTHORITY was not found there (Entra ID answers 400, AADSTS90002, for a tenant that does not exist): check the tenant id (Directory (tenant) ID on the app registration's Overview page) or domain`;
  }
  if (status) return `${url} answered HTTP ${status}${Number(status) >= 500 ? ': the service has a problem, try again later' : ''}`;
  if (codes.includes('ECONNREFUSED')) return `${host} refused the connection (ECONNREFUSED): check the host and port in AUTHORITY`;
  const code = codes.find((c) => /^E[A-Z]+$/.test(c) || c.startsWith('UND_'));
  return `${host} could not be reached${code ? ` (${code})` : ''}: ${messages.at(-1) ?? String(error)}`;
}

/** Where `key`'s value came from, for a problem line: the user may not know which file or variable to edit. */
export function originNote(raw: RawSettings, key: string): string {
  const origin = raw.origins?.[key];
  if (!origin) return key.includes('.') ? ' [in aad.config.json]' : '';
  if (origin.from === 'aad.config.json' && origin.placeholder) return ` [${key}: still the placeholder shipped in aad.config.json; set ${key} in .env]`;
  if (origin.from === 'the environment') return ` [${key} from the environment, which overrides .env]`;
  return ` [${key} from ${origin.from}]`;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A loopback redirect URI on another port than PORT: the sign-in comes back to whatever listens on that
 * port, not to this app (e.g. .env.sample copied and only PORT changed). A warning, not an error: behind a
 * port mapping (Docker) the ports differ on purpose.
 */
export function portMismatchOf(config: Pick<Config, 'redirectUri' | 'port'>, raw: RawSettings): string | undefined {
  const url = new URL(config.redirectUri);
  const redirectPort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  if (!LOOPBACK.has(url.hostname) || config.port === 0 || redirectPort === config.port) return undefined;
  return `REDIRECT_URI ${config.redirectUri} is on port ${redirectPort} but the app listens on PORT=${config.port}${originNote(raw, 'PORT')}: `
    + `the sign-in would come back to whatever listens on port ${redirectPort}. Remove REDIRECT_URI (it then follows PORT) or make the ports agree`
    + ' (ignore this behind a port mapping such as Docker\'s)';
}
