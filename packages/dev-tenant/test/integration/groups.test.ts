import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';

import type { DevTenant } from '../../src/index.ts';
import { Agent, parseForm } from '../../src/agent.ts';
import { authorizeUrl, claimsOf, location, pkce, redeemCode, signIn, submitOnTenant, tokenRequest, useTestTenant } from './helpers.ts';

const OIDC = 'openid profile offline_access';

function oidOf(tenant: DevTenant, name: string): string {
  const user = tenant.users.find((u) => u.displayName === name);
  assert.ok(user, name);
  return user.oid;
}

/** Signs `user` in asking for `scope`; returns the token response body. */
async function tokensFor(tenant: DevTenant, user: string, scope: string): Promise<Record<string, unknown>> {
  const { status, body } = await redeemCode(tenant, await signIn(tenant, user, { scope }), { scope });
  assert.equal(status, 200, JSON.stringify(body));
  return body;
}

async function graph(tenant: DevTenant, method: 'GET' | 'POST', path: string, token: string, body?: string) {
  const response = await fetch(`${tenant.graphEndpoint}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, body: await response.json() as Record<string, any> };
}

function memberGroups(tenant: DevTenant, token: string, body = '{"securityEnabledOnly":false}') {
  return graph(tenant, 'POST', '/me/getMemberGroups', token, body);
}

describe('groups of the entra tenant', () => {
  const ctx = useTestTenant();
  beforeEach(() => ctx.tenant.resetCounts());

  it('should list 250 groups, named ones first, and Patti Fernandez in all of them when the tenant starts', () => {
    const { tenant } = ctx;
    assert.equal(tenant.groups.length, 250);
    assert.deepEqual(tenant.groups.slice(0, 4).map((g) => g.displayName), ['Claims Adjusters', 'Underwriters', 'All Employees', 'Auditors']);
    assert.equal(tenant.groups[4]?.displayName, 'Project Team 001');
    assert.equal(tenant.groups.at(-1)?.displayName, 'Project Team 246');
    assert.equal(new Set(tenant.groups.map((g) => g.id)).size, 250);
    assert.deepEqual(tenant.groupsOf(oidOf(tenant, 'Patti Fernandez')), tenant.groups.map((g) => g.id));
    assert.deepEqual(tenant.groupsOf('00000000-0000-0000-0000-000000000000'), []);
  });

  it('should put the user\'s group ids in the ID token\'s groups claim when the user has 1..200 groups', async () => {
    const { tenant } = ctx;
    const expected = tenant.groupsOf(oidOf(tenant, 'Megan Bowen'));
    assert.deepEqual(expected, ['a1f4aa92-c6e7-4354-bd13-06a58589b52e', 'a7dde0e8-8261-40ac-8830-2053f075bea8']);
    const body = await tokensFor(tenant, 'Megan Bowen', `User.ReadBasic.All ${OIDC}`);
    const idToken = claimsOf(body['id_token']);
    assert.deepEqual(idToken['groups'], expected);
    assert.equal('_claim_names' in idToken, false);
    assert.equal('groups' in claimsOf(body['access_token']), false, 'Graph access tokens carry no groups');
    const refreshed = await tokenRequest(tenant, { grant_type: 'refresh_token', refresh_token: String(body['refresh_token']), scope: `User.ReadBasic.All ${OIDC}` });
    assert.deepEqual(claimsOf(refreshed.body['id_token'])['groups'], expected, 'refreshed ID token too');
  });

  it('should send the groups overage instead of groups when the user has more than 200 groups', async () => {
    const { tenant } = ctx;
    const oid = oidOf(tenant, 'Patti Fernandez');
    const body = await tokensFor(tenant, 'Patti Fernandez', `User.ReadBasic.All ${OIDC}`);
    const idToken = claimsOf(body['id_token']);
    assert.equal('groups' in idToken, false);
    assert.deepEqual(idToken['_claim_names'], { groups: 'src1' });
    assert.deepEqual(idToken['_claim_sources'], { src1: { endpoint: `https://graph.microsoft.com/v1.0/users/${oid}/getMemberObjects` } });
    assert.equal(idToken['name'], 'Patti Fernandez', 'the other claims are unchanged');
  });

  it('should send no groups claim when the user is in no group', async () => {
    const { tenant } = ctx;
    assert.deepEqual(tenant.groupsOf(oidOf(tenant, 'Alex Wilber')), []);
    const idToken = claimsOf((await tokensFor(tenant, 'Alex Wilber', OIDC))['id_token']);
    assert.equal('groups' in idToken, false);
    assert.equal('_claim_names' in idToken, false);
    assert.equal('_claim_sources' in idToken, false);
  });

  it('should answer getMemberGroups with all 250 group ids when the token holds GroupMember.Read.All', async () => {
    const { tenant } = ctx;
    // GroupMember.Read.All is admin-only: Patti, not an administrator, gets it through tenant-wide admin consent
    // (the tests below rely on it too).
    tenant.grantAdminConsent('GroupMember.Read.All');
    const token = String((await tokensFor(tenant, 'Patti Fernandez', `GroupMember.Read.All ${OIDC}`))['access_token']);
    assert.match(String(claimsOf(token)['scp']), /(^| )GroupMember\.Read\.All( |$)/);
    tenant.resetCounts();
    const { status, body } = await memberGroups(tenant, token, '{"securityEnabledOnly":true}');
    assert.equal(status, 200);
    assert.equal(body['value'].length, 250);
    assert.deepEqual(body['value'], tenant.groupsOf(oidOf(tenant, 'Patti Fernandez')));
    assert.deepEqual(tenant.graphCalls.map((c) => [c.path, c.status, c.oid]), [['/v1.0/me/getMemberGroups', 200, oidOf(tenant, 'Patti Fernandez')]]);
    assert.equal(tenant.counts().graph, 1);
  });

  it('should answer 403 Authorization_RequestDenied when the token lacks GroupMember.Read.All', async () => {
    const { tenant } = ctx;
    const token = String((await tokensFor(tenant, 'Megan Bowen', `User.ReadBasic.All ${OIDC}`))['access_token']);
    const { status, body } = await memberGroups(tenant, token);
    assert.equal(status, 403);
    assert.equal(body['error']?.code, 'Authorization_RequestDenied');
    assert.equal(body['error']?.message, 'Insufficient privileges to complete the operation.');
    assert.equal(typeof body['error']?.innerError?.['request-id'], 'string');
    assert.equal((await graph(tenant, 'GET', `/groups/${tenant.groupsOf(oidOf(tenant, 'Megan Bowen'))[0]}`, token)).status, 403);
    assert.deepEqual(tenant.graphCalls.map((c) => c.status), [403, 403]);
  });

  it('should answer 400 Request_BadRequest when the getMemberGroups body is bad', async () => {
    const { tenant } = ctx;
    const token = String((await tokensFor(tenant, 'Megan Bowen', `GroupMember.Read.All ${OIDC}`))['access_token']);
    for (const bad of ['not json', '[]', '{}', '{"securityEnabledOnly":"yes"}', '']) {
      const { status, body } = await memberGroups(tenant, token, bad);
      assert.equal(status, 400, bad);
      assert.equal(body['error']?.code, 'Request_BadRequest', bad);
    }
    const { status, body } = await memberGroups(tenant, token);
    assert.equal(status, 200);
    assert.deepEqual(body['value'], tenant.groupsOf(oidOf(tenant, 'Megan Bowen')));
  });

  it('should answer GET /groups/{id} for a group of the caller and 404 for any other when the token holds GroupMember.Read.All', async () => {
    const { tenant } = ctx;
    const token = String((await tokensFor(tenant, 'Megan Bowen', `GroupMember.Read.All ${OIDC}`))['access_token']);
    const own = await graph(tenant, 'GET', '/groups/a1f4aa92-c6e7-4354-bd13-06a58589b52e?$select=id,displayName', token);
    assert.equal(own.status, 200);
    assert.equal(own.body['id'], 'a1f4aa92-c6e7-4354-bd13-06a58589b52e');
    assert.equal(own.body['displayName'], 'Claims Adjusters');
    assert.deepEqual(Object.keys(own.body).filter((k) => !k.startsWith('@odata')), ['id', 'displayName']);
    const auditors = tenant.groups.find((g) => g.displayName === 'Auditors')!.id;
    assert.equal((await graph(tenant, 'GET', `/groups/${auditors}`, token)).body['error']?.code, 'Request_ResourceNotFound');
    assert.equal((await graph(tenant, 'GET', '/groups/a1f4aa92-c6e7-4354-bd13-06a58589b52e?$select=nope', token)).status, 400);
  });
});

describe('GroupMember.Read.All without tenant-wide admin consent', () => {
  const ctx = useTestTenant();

  it('should show Need admin approval, then send access_denied back when a user who is not an administrator is asked for GroupMember.Read.All', async () => {
    const { tenant } = ctx;
    const agent = new Agent();
    const start = authorizeUrl(tenant, { scope: `GroupMember.Read.All ${OIDC}`, code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 'state-77' });
    const pickerUrl = location(await agent.raw(start), start);
    const form = parseForm(await (await agent.raw(pickerUrl)).text(), /Patti Fernandez/, pickerUrl);
    const approval = await agent.post(form.action, form.fields);
    assert.equal(approval.status, 200);
    const html = await approval.text();
    assert.match(html, /<h1>Need admin approval<\/h1>/);
    assert.match(html, /Contoso Identity Sample needs permission to access resources in your organization that only an admin can grant\./);
    assert.match(html, /<code>GroupMember\.Read\.All<\/code>/);
    assert.match(html, /Have an admin account\? Sign in with that account/);
    assert.match(html, /Development tenant — this is not Microsoft Entra ID/);
    const back = await submitOnTenant(agent, tenant, html, /Return to the application without granting consent/, form.action);
    assert.equal(`${back.origin}${back.pathname}`, 'http://localhost:8000/auth/redirect');
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('error_subcode'), 'cancel');
    assert.match(back.searchParams.get('error_description') ?? '', /^AADSTS65004: /);
    assert.equal(back.searchParams.get('state'), 'state-77');
    assert.equal(back.searchParams.get('code'), null);
  });

  it('should answer consent_required to a refresh for GroupMember.Read.All, then serve it after an administrator\'s interactive consent', async () => {
    const { tenant } = ctx;
    const first = await tokensFor(tenant, 'Johanna Lorenz', `User.ReadBasic.All ${OIDC}`);
    const ask = (rt: unknown) => tokenRequest(tenant, { grant_type: 'refresh_token', refresh_token: String(rt), scope: `https://graph.microsoft.com/GroupMember.Read.All ${OIDC}` });
    const refused = await ask(first['refresh_token']);
    assert.equal(refused.status, 400);
    assert.equal(refused.body['error'], 'invalid_grant');
    assert.equal(refused.body['suberror'], 'consent_required');

    await tokensFor(tenant, 'Johanna Lorenz', `GroupMember.Read.All ${OIDC}`);
    const later = await tokensFor(tenant, 'Johanna Lorenz', `User.ReadBasic.All ${OIDC}`);
    const granted = await ask(later['refresh_token']);
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    const token = String(granted.body['access_token']);
    assert.equal(claimsOf(token)['scp'], 'GroupMember.Read.All');
    const { status, body } = await memberGroups(tenant, token);
    assert.equal(status, 200);
    assert.deepEqual(body['value'], tenant.groupsOf(oidOf(tenant, 'Johanna Lorenz')));
  });

  it('should let a refresh token issued before grantAdminConsent get GroupMember.Read.All without interaction after it', async () => {
    const { tenant } = ctx;
    const { refresh_token: rt } = await tokensFor(tenant, 'Patti Fernandez', `User.ReadBasic.All ${OIDC}`);
    const ask = () => tokenRequest(tenant, { grant_type: 'refresh_token', refresh_token: String(rt), scope: `GroupMember.Read.All ${OIDC}` });
    assert.equal((await ask()).body['suberror'], 'consent_required');
    tenant.grantAdminConsent('GroupMember.Read.All');
    const granted = await ask();
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    assert.equal(claimsOf(granted.body['access_token'])['scp'], 'GroupMember.Read.All');
    assert.equal((await memberGroups(tenant, String(granted.body['access_token']))).body['value'].length, 250);
    assert.throws(() => tenant.grantAdminConsent('Mail.Read'), /unknown Graph permission 'Mail\.Read'/);
  });
});

describe('groups of the other shapes', () => {
  const ctx = useTestTenant({ shape: 'external_id' });

  it('should have no groups when the shape is external_id', () => {
    assert.deepEqual(ctx.tenant.groups, []);
    assert.deepEqual(ctx.tenant.groupsOf(ctx.tenant.users[0]!.oid), []);
  });
});
