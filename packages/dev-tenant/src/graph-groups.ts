/**
 * The Graph emulator's group endpoints: `POST /me/getMemberGroups` and `GET /groups/{id}`, both
 * under delegated GroupMember.Read.All (not admin-consented: see consent.ts). All groups are
 * security groups, so `securityEnabledOnly` does not change the answer.
 */
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';

import type { GraphCaller } from './graph-auth.ts';
import { badRequest, GRAPH_JSON, requestIds, sendGraphError } from './graph-errors.ts';
import type { GroupDirectory } from './groups.ts';
import type { DevTenantGroup } from './types.ts';

/** Permissions that let a caller read its own group memberships. */
export const MEMBER_GROUPS_PERMISSIONS = ['GroupMember.Read.All', 'Directory.Read.All'] as const;

/** Properties of microsoft.graph.group the emulator returns. */
const GROUP_PROPERTIES = ['id', 'displayName', 'description', 'groupTypes', 'mailEnabled', 'securityEnabled'] as const;

const UNREADABLE = 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.';

/** What the group endpoints need from the tenant. */
export interface GroupRouteDeps {
  /** The home tenant's groups; absent = nobody is in any group. */
  groups: GroupDirectory | undefined;
  /** "https://localhost:<port>/v1.0", for `@odata.context`. */
  graphEndpoint: string;
}

function callerOf(res: Response): GraphCaller | undefined {
  return res.locals['caller'] as GraphCaller | undefined;
}

function sendJson(req: Request, res: Response, body: unknown): void {
  requestIds(req, res);
  res.status(200).type(GRAPH_JSON).send(JSON.stringify(body));
}

function allowed(req: Request, res: Response): boolean {
  if (MEMBER_GROUPS_PERMISSIONS.some((p) => callerOf(res)?.permissions.has(p))) return true;
  sendGraphError(req, res, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
  return false;
}

/** The `securityEnabledOnly` of a getMemberGroups body, or Graph's 400 message. */
export function parseMemberGroupsBody(raw: unknown): { ok: true; value: boolean } | { ok: false; message: string } {
  let body: unknown;
  try {
    body = JSON.parse(typeof raw === 'string' ? raw : '');
  } catch {
    return { ok: false, message: UNREADABLE };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, message: UNREADABLE };
  const value = (body as Record<string, unknown>)['securityEnabledOnly'];
  if (value === undefined) {
    return { ok: false, message: "One or more parameters of the function import 'getMemberGroups' are missing from the request payload. The missing parameters are: securityEnabledOnly." };
  }
  if (typeof value !== 'boolean') return { ok: false, message: `Cannot convert the literal '${String(value)}' to the expected type 'Edm.Boolean'.` };
  return { ok: true, value };
}

function memberGroups(deps: GroupRouteDeps) {
  return (req: Request, res: Response): void => {
    if (!allowed(req, res)) return;
    const parsed = parseMemberGroupsBody(req.body);
    if (!parsed.ok) return badRequest(req, res, parsed.message);
    const oid = callerOf(res)?.oid;
    const ids = oid === undefined ? [] : deps.groups?.of(oid) ?? [];
    sendJson(req, res, { '@odata.context': `${deps.graphEndpoint}/$metadata#Collection(Edm.String)`, value: [...ids] });
  };
}

function toGraphGroup(group: DevTenantGroup): Record<string, unknown> {
  return { id: group.id, displayName: group.displayName, description: null, groupTypes: [], mailEnabled: false, securityEnabled: true };
}

function getGroup(deps: GroupRouteDeps) {
  return (req: Request, res: Response): void => {
    if (!allowed(req, res)) return;
    const raw = new URL(req.originalUrl, 'https://localhost').searchParams.get('$select');
    const select = raw === null ? [...GROUP_PROPERTIES] : raw.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = select.find((name) => !GROUP_PROPERTIES.some((p) => p.toLowerCase() === name.toLowerCase()));
    if (unknown !== undefined) return badRequest(req, res, `Could not find a property named '${unknown}' on type 'microsoft.graph.group'.`);
    const id = String(req.params['id'] ?? '');
    const oid = callerOf(res)?.oid;
    const group = deps.groups?.byId(id);
    if (!group || oid === undefined || !deps.groups?.of(oid).includes(group.id)) {
      sendGraphError(req, res, 404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
      return;
    }
    const full = toGraphGroup(group);
    const properties = GROUP_PROPERTIES.filter((p) => select.some((name) => name.toLowerCase() === p.toLowerCase()));
    const suffix = raw === null ? '' : `(${properties.join(',')})`;
    sendJson(req, res, { '@odata.context': `${deps.graphEndpoint}/$metadata#groups${suffix}/$entity`, ...Object.fromEntries(properties.map((p) => [p, full[p]])) });
  };
}

/** Graph's 400 when the request body cannot be read (too large, bad encoding). */
function unreadableBody(err: unknown, req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(err);
  const status = (err as { status?: unknown }).status;
  if (status === 413) return sendGraphError(req, res, 413, 'Request_EntityTooLarge', 'The request payload is too large.');
  badRequest(req, res, UNREADABLE);
}

/**
 * Mounts the group endpoints on the Graph router (after authentication, before its catch-all):
 * `POST /me/getMemberGroups` `{"securityEnabledOnly": boolean}` → 200 `{"value": [ids]}` (every group
 * of the caller), 400 for a bad body; `GET /groups/{id}` (`$select`) → 200 for a group the caller
 * is in, 404 otherwise; both 403 Authorization_RequestDenied without GroupMember.Read.All.
 */
export function mountGroupRoutes(router: Router, deps: GroupRouteDeps): void {
  router.post('/me/getMemberGroups', express.text({ type: () => true, limit: '16kb' }), memberGroups(deps), unreadableBody);
  router.get('/groups/:id', getGroup(deps));
}
