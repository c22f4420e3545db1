import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';

import { caeRefusal } from './cae.ts';
import type { TenantContext } from './context.ts';
import type { GraphCaller, GraphTokenVerifier } from './graph-auth.ts';
import { badRequest, bearerChallenge, GRAPH_JSON, requestIds, sendGraphError } from './graph-errors.ts';
import { mountGroupRoutes } from './graph-groups.ts';
import { parseSelect, parseSkipToken, parseTop, project, skipTokenFor } from './graph-query.ts';
import type { RequestLog } from './traffic.ts';
import type { DemoUser } from './types.ts';

/** Dependencies of the Graph emulator. */
export interface GraphDeps {
  tenant: TenantContext;
  verify: GraphTokenVerifier;
  log: RequestLog;
}

const LIST_PERMISSIONS = ['User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'];
const ME_PERMISSIONS = ['User.Read', 'User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'];
const UNSUPPORTED = ['$filter', '$orderby', '$search', '$count', '$expand', '$skip', '$format'];

function callerOf(res: Response): GraphCaller | undefined {
  return res.locals['caller'] as GraphCaller | undefined;
}

function single(req: Request, name: string): string | undefined {
  return new URL(req.originalUrl, 'https://localhost').searchParams.get(name) ?? undefined;
}

/** The caller's directory: Graph answers with its own tenant's users (home or guest organisation). */
function directoryUsers(deps: GraphDeps, res: Response): readonly DemoUser[] {
  return deps.tenant.organizations?.byTenantId(callerOf(res)?.tid)?.users ?? deps.tenant.users.users;
}

function sendJson(req: Request, res: Response, body: unknown): void {
  requestIds(req, res);
  res.status(200).type(GRAPH_JSON).send(JSON.stringify(body));
}

function recordCalls(deps: GraphDeps) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const { requestId, clientRequestId } = requestIds(req, res);
    res.set({ 'request-id': requestId, 'client-request-id': clientRequestId, 'Cache-Control': 'no-store' });
    res.on('finish', () => {
      const caller = callerOf(res);
      deps.log.recordGraphCall({
        path: req.originalUrl,
        status: res.statusCode,
        ...(caller?.oid === undefined ? {} : { oid: caller.oid }),
        ...(caller === undefined ? {} : { scp: caller.scp }),
      });
    });
    next();
  };
}

function authenticate(deps: GraphDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const result = await deps.verify(req.get('authorization'));
    if ('status' in result) {
      res.set('WWW-Authenticate', bearerChallenge(deps.tenant.issuer, 'invalid_token'));
      sendGraphError(req, res, 401, 'InvalidAuthenticationToken', result.message);
      return;
    }
    res.locals['caller'] = result;
    const revoked = caeRefusal(deps.tenant, result);
    if (revoked) {
      res.set('WWW-Authenticate', revoked.header);
      sendGraphError(req, res, 401, 'InvalidAuthenticationToken', revoked.message);
      return;
    }
    const unsupported = UNSUPPORTED.find((option) => single(req, option) !== undefined);
    if (unsupported) {
      sendGraphError(req, res, 400, 'Request_UnsupportedQuery', `The development tenant's Graph emulator does not support the query option '${unsupported}'.`);
      return;
    }
    next();
  };
}

/** Graph's 403 unless the token's scp holds one of `permissions`. */
function allowed(req: Request, res: Response, permissions: readonly string[]): boolean {
  if (permissions.some((p) => callerOf(res)?.permissions.has(p))) return true;
  sendGraphError(req, res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  return false;
}

function context(deps: GraphDeps, select: readonly string[] | undefined, suffix = ''): string {
  return `${deps.tenant.graphEndpoint}/$metadata#users${select ? `(${select.join(',')})` : ''}${suffix}`;
}

/** Graph-style next link: literal `$` option names, encoded values. */
function nextLink(deps: GraphDeps, top: number, select: readonly string[] | undefined, offset: number): string {
  const options = [`$top=${top}`, ...(select ? [`$select=${encodeURIComponent(select.join(','))}`] : []), `$skiptoken=${skipTokenFor(offset)}`];
  return `${deps.tenant.graphEndpoint}/users?${options.join('&')}`;
}

/**
 * External ID: "By default, customers can't access information about other users"
 * (https://learn.microsoft.com/entra/external-id/customers/reference-user-permissions): Graph
 * refuses `/users` and another user's `/users/{id}` with 403 Authorization_RequestDenied, whatever
 * the token's scp. True when the request was refused here.
 */
function refusedToCustomer(deps: GraphDeps, req: Request, res: Response): boolean {
  if (!deps.tenant.customers) return false;
  sendGraphError(req, res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  return true;
}

function listUsers(deps: GraphDeps) {
  return (req: Request, res: Response): void => {
    if (refusedToCustomer(deps, req, res)) return;
    if (!allowed(req, res, LIST_PERMISSIONS)) return;
    const top = parseTop(single(req, '$top'));
    const select = parseSelect(single(req, '$select'));
    const offset = parseSkipToken(single(req, '$skiptoken'));
    if (!top.ok) return badRequest(req, res, top.message);
    if (!select.ok) return badRequest(req, res, select.message);
    if (!offset.ok) return badRequest(req, res, offset.message);
    const all = directoryUsers(deps, res);
    const page = all.slice(offset.value, offset.value + top.value);
    const body: Record<string, unknown> = { '@odata.context': context(deps, select.value) };
    if (offset.value + top.value < all.length) {
      body['@odata.nextLink'] = nextLink(deps, top.value, select.value, offset.value + top.value);
    }
    body['value'] = page.map((u) => project(u, select.value));
    sendJson(req, res, body);
  };
}

function getUser(deps: GraphDeps, which: 'me' | 'id') {
  return (req: Request, res: Response): void => {
    const key = which === 'me' ? callerOf(res)?.oid ?? '' : String(req.params['id'] ?? '');
    const user = directoryUsers(deps, res).find((u) => u.oid === key || u.userPrincipalName.toLowerCase() === key.toLowerCase());
    const self = which === 'me' || (user !== undefined && user.oid === callerOf(res)?.oid);
    if (!self && refusedToCustomer(deps, req, res)) return;
    if (!allowed(req, res, which === 'me' || (self && deps.tenant.customers) ? ME_PERMISSIONS : LIST_PERMISSIONS)) return;
    const select = parseSelect(single(req, '$select'));
    if (!select.ok) return badRequest(req, res, select.message);
    if (!user) {
      sendGraphError(req, res, 404, 'Request_ResourceNotFound', `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
      return;
    }
    sendJson(req, res, { '@odata.context': context(deps, select.value, '/$entity'), ...project(user, select.value) });
  };
}

/**
 * The Microsoft Graph emulator, mounted at `/v1.0`: `GET /users` ($top, $select, $skiptoken,
 * `@odata.nextLink`), `GET /users/{id | userPrincipalName}`, `GET /me`, and the group endpoints
 * of graph-groups.ts (`POST /me/getMemberGroups`, `GET /groups/{id}`). Every request needs a
 * bearer token from this tenant (401 InvalidAuthenticationToken otherwise; a CAE claims challenge
 * for a CAE-capable token issued before the user's sessions were revoked, cae.ts) with a suitable
 * `scp` (403 Authorization_RequestDenied otherwise); every request is recorded in the call log.
 */
export function graphRouter(deps: GraphDeps): Router {
  const router = express.Router({ caseSensitive: false, strict: false });
  router.use(recordCalls(deps));
  router.use(authenticate(deps));
  router.get('/users', listUsers(deps));
  router.get('/users/:id', getUser(deps, 'id'));
  router.get('/me', getUser(deps, 'me'));
  mountGroupRoutes(router, { groups: deps.tenant.groups, graphEndpoint: deps.tenant.graphEndpoint });
  router.all('/{*rest}', (req, res) => {
    if (req.method !== 'GET') return sendGraphError(req, res, 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
    const segment = req.path.split('/').filter(Boolean)[0] ?? '';
    sendGraphError(req, res, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
  });
  return router;
}
