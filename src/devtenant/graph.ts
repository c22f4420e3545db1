import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';

import type { TenantContext } from './context.ts';
import type { GraphCaller, GraphTokenVerifier } from './graph-auth.ts';
import { badRequest, GRAPH_JSON, requestIds, sendGraphError } from './graph-errors.ts';
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

const LIST_PERMISSIONS = ['User.ReadBasic.All', 'User.Read.All'];
const ME_PERMISSIONS = ['User.Read', 'User.ReadBasic.All', 'User.Read.All'];
const UNSUPPORTED = ['$filter', '$orderby', '$search', '$count', '$expand', '$skip', '$format'];
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

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
      const authorizationUri = `${deps.tenant.issuer.replace(/\/v2\.0$/, '')}/oauth2/v2.0/authorize`;
      res.set('WWW-Authenticate', `Bearer realm="", authorization_uri="${authorizationUri}", client_id="${GRAPH_APP_ID}", error="invalid_token"`);
      sendGraphError(req, res, 401, 'InvalidAuthenticationToken', result.message);
      return;
    }
    res.locals['caller'] = result;
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

function listUsers(deps: GraphDeps) {
  return (req: Request, res: Response): void => {
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
    if (!allowed(req, res, which === 'me' ? ME_PERMISSIONS : LIST_PERMISSIONS)) return;
    const select = parseSelect(single(req, '$select'));
    if (!select.ok) return badRequest(req, res, select.message);
    const key = which === 'me' ? callerOf(res)?.oid ?? '' : String(req.params['id'] ?? '');
    const user = directoryUsers(deps, res).find((u) => u.oid === key || u.userPrincipalName.toLowerCase() === key.toLowerCase());
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
 * bearer token from this tenant (401 InvalidAuthenticationToken otherwise) with a suitable `scp`
 * (403 Authorization_RequestDenied otherwise); every request is recorded in the call log.
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
