import { randomUUID } from 'node:crypto';

// The AADSTS code Entra uses for each OAuth error (its most common cause).
const AADSTS: Record<string, number> = {
  access_denied: 65004,
  consent_required: 65001,
  interaction_required: 50076,
  invalid_client: 7000215,
  invalid_grant: 70000,
  invalid_redirect_uri: 50011,
  invalid_request: 90014,
  invalid_scope: 70011,
  invalid_target: 500011,
  login_required: 50058,
  server_error: 50000,
  temporarily_unavailable: 50000,
  unauthorized_client: 700016,
  unsupported_grant_type: 70003,
  unsupported_response_type: 700054,
};

/** The AADSTS number for an OAuth error code (50000, "there was an error", when unknown). */
export function aadstsCode(error: string): number {
  return AADSTS[error] ?? 50000;
}

/** Prefixes a description with `AADSTSnnnnn: ` unless it already has one (or B2C's `AADB2Cnnnnn: `). */
export function withAadsts(error: string, description: string | undefined): string {
  const text = description && description.length > 0 ? description : error;
  return /^(AADSTS|AADB2C)\d+:/.test(text) ? text : `AADSTS${aadstsCode(error)}: ${text}`;
}

/** Entra's timestamp format: "2026-11-03 10:11:12Z". */
export function entraTimestamp(date = new Date()): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** The JSON error body of Entra's token endpoint. */
export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
}

/**
 * Builds an error body shaped like Entra's (`error_description` starting with `AADSTSnnnnn:` and
 * ending with trace/correlation ids and a timestamp, plus `error_codes`, `trace_id`, `correlation_id`).
 */
export function entraErrorBody(error: string, description: string | undefined): EntraErrorBody {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = entraTimestamp();
  const text = withAadsts(error, description);
  return {
    error,
    error_description: `${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [Number(/^AADSTS(\d+)/.exec(text)?.[1] ?? aadstsCode(error))],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
  };
}
