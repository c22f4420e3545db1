/**
 * The authority's own answer to a refused request, made fit for the error page: the AADSTS code,
 * the description (trimmed of the ids Entra appends), the correlation id and the timestamp, and,
 * for a refusal that only a change of this app's configuration can fix, the setting to change.
 *
 * Error codes and their fixes: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 * and https://learn.microsoft.com/azure/developer/java/sdk/troubleshooting-authentication-service-principal
 * (AADSTS7000215 invalid secret, AADSTS7000222 expired secret, AADSTS700016 app not found in the
 * tenant, AADSTS700027 certificate). The correlation id and timestamp are what the tenant's sign-in
 * logs and Microsoft support ask for.
 */
import type { AuthError, ServerError } from '@azure/msal-node';
import { AppError, ErrorCode } from '../errors.ts';

/** What the authority said, each part optional. */
export interface AuthorityAnswer {
  readonly error: string;
  readonly aadsts: string | undefined;
  readonly description: string | undefined;
  readonly correlationId: string | undefined;
  readonly timestamp: string | undefined;
}

const CREDENTIAL_FIX = 'the client secret or certificate (CLIENT_SECRET, or CLIENT_CERTIFICATE_FILE and CLIENT_CERTIFICATE_KEY_FILE, or the client assertion file): '
  + 'it is wrong, expired, or not one registered on the app (App registrations › the app › Certificates & secrets)';

/** AADSTS codes that mean this app's configuration is wrong, and the setting that fixes each. */
const CONFIGURATION_FIXES: Readonly<Record<string, string>> = {
  AADSTS7000215: CREDENTIAL_FIX,
  AADSTS7000222: CREDENTIAL_FIX,
  AADSTS700027: CREDENTIAL_FIX,
  AADSTS7000218: CREDENTIAL_FIX,
  AADSTS700016: 'CLIENT_ID, or the tenant in AUTHORITY: the app is not registered in that tenant',
  AADSTS50011: 'REDIRECT_URI: it must be one of the redirect URIs registered on the app (Authentication page)',
};

const MAX_DESCRIPTION = 500;
const ID_PATTERN = /[0-9a-f-]{36}/i;

/** The description without Entra's "Trace ID: … Correlation ID: … Timestamp: …" tail, one line, at most 500 characters. */
export function trimDescription(text: string): string {
  const cut = text.search(/\s*Trace ID:/);
  const body = (cut >= 0 ? text.slice(0, cut) : text).replace(/\s+/g, ' ').trim();
  return body.length > MAX_DESCRIPTION ? `${body.slice(0, MAX_DESCRIPTION)}…` : body;
}

/**
 * The digits of msal's `errorNo`, when it holds an AADSTS number: msal-common copies `error_codes[0]`
 * there, typed string but a JSON number at run time. The one reader of it (revoked-grant.ts uses it too).
 */
export function errorNoOf(error: AuthError): string | undefined {
  const errorNo = (error as { errorNo?: unknown }).errorNo;
  return (typeof errorNo === 'number' || typeof errorNo === 'string') && /^\d{4,8}$/.test(String(errorNo)) ? String(errorNo) : undefined;
}

function aadstsOf(errorNo: string | undefined, description: string | undefined): string | undefined {
  if (errorNo !== undefined) return `AADSTS${errorNo}`;
  return /^(AADSTS\d{4,8})\b/.exec(description ?? '')?.[1];
}

/**
 * Reads msal's ServerError: msal keeps `errorNo` (the first of `error_codes`) and `correlationId`,
 * and writes the timestamp and description into `errorMessage` as
 * "Error(s): … - Timestamp: … - Description: … - Correlation ID: … - Trace ID: …".
 */
export function answerOfServerError(error: ServerError): AuthorityAnswer {
  const message = error.errorMessage ?? '';
  const raw = /- Description: ([\s\S]*?) - Correlation ID: /.exec(message)?.[1];
  const description = raw === undefined || raw === 'Not Available' ? undefined : raw;
  const stamp = /- Timestamp: (.+?) - Description:/.exec(message)?.[1];
  // The server's own correlation_id (in the message) is what its sign-in logs show; msal's request id otherwise.
  const correlation = /- Correlation ID: ([0-9a-f-]{36})/i.exec(message)?.[1] ?? error.correlationId;
  return {
    error: error.errorCode,
    aadsts: aadstsOf(errorNoOf(error), description),
    description: description === undefined ? undefined : trimDescription(description),
    correlationId: correlation && ID_PATTERN.test(correlation) ? correlation : undefined,
    timestamp: stamp && stamp !== 'Not Available' ? stamp.slice(0, 40) : undefined,
  };
}

/** Reads the authority's `error` answer on the callback (OIDC Core §3.1.2.6), ids from the description's tail. */
export function answerOfCallback(error: string, description: string | undefined): AuthorityAnswer {
  return {
    error,
    aadsts: aadstsOf(undefined, description),
    description: description === undefined ? undefined : trimDescription(description),
    correlationId: /Correlation ID: ([0-9a-f-]{36})/i.exec(description ?? '')?.[1],
    timestamp: /Timestamp: (\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\dZ)/.exec(description ?? '')?.[1],
  };
}

/** The setting to fix when the answer means this app is misconfigured; undefined otherwise. */
export function configurationFix(answer: AuthorityAnswer): string | undefined {
  if (answer.aadsts !== undefined && CONFIGURATION_FIXES[answer.aadsts]) return CONFIGURATION_FIXES[answer.aadsts];
  return answer.error === 'invalid_client' ? CREDENTIAL_FIX : undefined;
}

/** The answer as the page's facts, escaped on render. */
export function answerFacts(answer: AuthorityAnswer): Record<string, string> {
  return {
    'Identity provider error': answer.error || 'unknown',
    ...(answer.aadsts ? { 'AADSTS code': answer.aadsts } : {}),
    ...(answer.description ? { Description: answer.description } : {}),
    ...(answer.correlationId ? { 'Correlation ID': answer.correlationId } : {}),
    ...(answer.timestamp ? { Timestamp: answer.timestamp } : {}),
  };
}

/**
 * A refusal that a change of this app's configuration fixes: 500 IDP_CONFIGURATION. Not 502: the
 * authority worked and answered correctly; the fault is this server's configuration (RFC 9110
 * §15.6.1), and retrying cannot help, so the page never says "try again in a moment".
 */
export function configurationError(answer: AuthorityAnswer, fix: string, cause: unknown): AppError {
  return new AppError(ErrorCode.IDP_CONFIGURATION, 500, `authority refused the app's configuration: ${answer.aadsts ?? answer.error}`, {
    cause,
    detail: 'The identity provider refused this app because of how the app is configured. Retrying will not help: '
      + 'whoever runs the app must fix the setting named below, restart the app, then sign in again.',
    facts: { 'Setting to fix': fix, ...answerFacts(answer) },
  });
}
