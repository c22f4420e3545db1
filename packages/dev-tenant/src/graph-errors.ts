import { randomUUID } from 'node:crypto';

import type { Request, Response } from 'express';

/** Graph's JSON content type. */
export const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Graph's request-id for this request (echoing client-request-id like Graph does). */
export function requestIds(req: Request, res: Response): { requestId: string; clientRequestId: string } {
  const existing = res.getHeader('request-id');
  const requestId = typeof existing === 'string' ? existing : randomUUID();
  const header = req.get('client-request-id');
  return { requestId, clientRequestId: header && header.length <= 100 ? header : requestId };
}

/** Sends a Graph error: `{"error":{"code","message","innerError":{date, request-id, client-request-id}}}`. */
export function sendGraphError(req: Request, res: Response, status: number, code: string, message: string): void {
  const { requestId, clientRequestId } = requestIds(req, res);
  res.status(status).type(GRAPH_JSON).send(JSON.stringify({
    error: {
      code,
      message,
      innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': clientRequestId },
    },
  }));
}

/** Graph's 400 for a bad query option. */
export function badRequest(req: Request, res: Response, message: string): void {
  sendGraphError(req, res, 400, 'Request_BadRequest', message);
}

/** Microsoft Graph's application id, named in its `WWW-Authenticate` challenges. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/**
 * Graph's `WWW-Authenticate: Bearer realm="", authorization_uri="…", client_id="…", error="…"` (RFC 6750 §3)
 * pointing at the tenant's authorize endpoint, plus `extra` parameters (a claims challenge's `claims`).
 */
export function bearerChallenge(issuer: string, error: string, extra: Readonly<Record<string, string>> = {}): string {
  const params = { realm: '', authorization_uri: `${issuer.replace(/\/v2\.0$/, '')}/oauth2/v2.0/authorize`, client_id: GRAPH_APP_ID, error, ...extra };
  return `Bearer ${Object.entries(params).map(([name, value]) => `${name}="${value}"`).join(', ')}`;
}
