import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { SignJWT } from 'jose';

import type { DevTenant } from '../../src/index.ts';
import { redeemCode, signIn, useTestTenant } from './helpers.ts';

async function accessToken(tenant: DevTenant, scope: string, user = 'Megan Bowen'): Promise<string> {
  const result = await signIn(tenant, user, { scope });
  const { body } = await redeemCode(tenant, result, { scope });
  return String(body['access_token']);
}

async function graph(tenant: DevTenant, path: string, token?: string): Promise<{ status: number; headers: Headers; body: Record<string, any> }> {
  const response = await fetch(`${tenant.graphEndpoint}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, body: await response.json() as Record<string, any> };
}

function assertGraphError(body: Record<string, any>, code: string, message: RegExp): void {
  assert.equal(body['error']?.code, code);
  assert.match(body['error']?.message, message);
  assert.equal(typeof body['error']?.innerError?.['request-id'], 'string');
  assert.equal(typeof body['error']?.innerError?.date, 'string');
}

describe('Graph emulator', () => {
  const ctx = useTestTenant();
  let readBasic: string;

  before(async () => {
    readBasic = await accessToken(ctx.tenant, 'User.ReadBasic.All openid profile offline_access');
  });
  beforeEach(() => ctx.tenant.resetCounts());

  it('should answer 401 InvalidAuthenticationToken with WWW-Authenticate when there is no token', async () => {
    const { status, headers, body } = await graph(ctx.tenant, '/users');
    assert.equal(status, 401);
    assert.match(headers.get('www-authenticate') ?? '', /^Bearer /);
    assertGraphError(body, 'InvalidAuthenticationToken', /^Access token validation failure\. Access token is empty\./);
  });

  it('should answer 401 when the token is garbage', async () => {
    const { status, body } = await graph(ctx.tenant, '/users', 'not.a.jwt');
    assert.equal(status, 401);
    assertGraphError(body, 'InvalidAuthenticationToken', /^Access token validation failure\./);
  });

  it('should answer 401 when the token is signed by a foreign key', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = await new SignJWT({ scp: 'User.ReadBasic.All', oid: ctx.tenant.users[0]!.oid })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(ctx.tenant.issuer).setAudience('https://graph.microsoft.com').setIssuedAt().setExpirationTime('1h')
      .sign(privateKey);
    const { status, body } = await graph(ctx.tenant, '/users', forged);
    assert.equal(status, 401);
    assertGraphError(body, 'InvalidAuthenticationToken', /Signature validation failed/);
  });

  it('should answer 401 when the token has expired', async () => {
    ctx.tenant.setAccessTokenTtl(1);
    try {
      const token = await accessToken(ctx.tenant, 'User.ReadBasic.All openid');
      await sleep(2100);
      const { status, body } = await graph(ctx.tenant, '/users', token);
      assert.equal(status, 401);
      assertGraphError(body, 'InvalidAuthenticationToken', /expired/);
    } finally {
      ctx.tenant.setAccessTokenTtl(3600);
    }
  });

  it('should answer 403 Authorization_RequestDenied when the token lacks User.ReadBasic.All', async () => {
    const token = await accessToken(ctx.tenant, 'User.Read openid profile');
    const { status, body } = await graph(ctx.tenant, '/users', token);
    assert.equal(status, 403);
    assertGraphError(body, 'Authorization_RequestDenied', /^Insufficient privileges to complete the operation\.$/);
    const me = await graph(ctx.tenant, '/me', token);
    assert.equal(me.status, 200, 'User.Read is enough for /me');
  });

  it('should return exactly five users with only the selected fields when $top=5&$select is given', async () => {
    const { status, body } = await graph(ctx.tenant, '/users?$top=5&$select=id,displayName,userPrincipalName', readBasic);
    assert.equal(status, 200);
    assert.equal(body['value'].length, 5);
    for (const user of body['value']) assert.deepEqual(Object.keys(user).sort(), ['displayName', 'id', 'userPrincipalName']);
    assert.deepEqual(body['value'][0], { id: ctx.tenant.users[0]!.oid, displayName: 'Megan Bowen', userPrincipalName: 'MeganB@devtenant.example' });
    assert.equal(body['@odata.context'], `${ctx.tenant.graphEndpoint}/$metadata#users(id,displayName,userPrincipalName)`);
    assert.match(body['@odata.nextLink'], /^https:\/\/localhost:\d+\/v1\.0\/users\?\$top=5&/);
  });

  it('should page through every user with @odata.nextLink', async () => {
    const seen: string[] = [];
    let next: string | undefined = `${ctx.tenant.graphEndpoint}/users?$top=4&$select=id`;
    while (next) {
      const response = await fetch(next, { headers: { authorization: `Bearer ${readBasic}` } });
      const body = await response.json() as { value: Array<{ id: string }>; '@odata.nextLink'?: string };
      seen.push(...body.value.map((u) => u.id));
      next = body['@odata.nextLink'];
    }
    assert.deepEqual(seen, ctx.tenant.users.map((u) => u.oid));
  });

  it('should return Graph\'s default user properties when there is no $select', async () => {
    const { body } = await graph(ctx.tenant, '/users', readBasic);
    assert.equal(body['value'].length, ctx.tenant.users.length);
    assert.equal(body['@odata.nextLink'], undefined);
    assert.equal(body['value'][0].jobTitle, 'Marketing Manager');
    assert.equal(body['value'][0].mail, 'MeganB@devtenant.example');
  });

  it('should answer 400 Request_BadRequest when $select names an unknown property', async () => {
    const { status, body } = await graph(ctx.tenant, '/users?$select=id,shoeSize', readBasic);
    assert.equal(status, 400);
    assertGraphError(body, 'Request_BadRequest', /^Could not find a property named 'shoeSize' on type 'microsoft\.graph\.user'\.$/);
  });

  for (const top of ['0', '1000', 'abc', '-1']) {
    it(`should answer 400 when $top is ${top}`, async () => {
      const { status, body } = await graph(ctx.tenant, `/users?$top=${top}`, readBasic);
      assert.equal(status, 400);
      assertGraphError(body, 'Request_BadRequest', /Invalid page size/);
    });
  }

  it('should return the signed-in user on /me', async () => {
    const token = await accessToken(ctx.tenant, 'User.Read openid', 'Lee Gu');
    const { status, body } = await graph(ctx.tenant, '/me?$select=displayName,jobTitle', token);
    assert.equal(status, 200);
    assert.equal(body['displayName'], 'Lee Gu');
    assert.equal(body['jobTitle'], 'Director');
    assert.equal(body['id'], undefined);
  });

  it('should record every call with its status, oid and scp in graphCalls', async () => {
    await graph(ctx.tenant, '/users?$top=2', readBasic);
    await graph(ctx.tenant, '/users');
    const calls = ctx.tenant.graphCalls;
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[0], { path: '/v1.0/users?$top=2', status: 200, oid: ctx.tenant.users[0]!.oid, scp: 'User.ReadBasic.All' });
    assert.deepEqual(calls[1], { path: '/v1.0/users', status: 401 });
    assert.equal(ctx.tenant.counts().graph, 2);
  });

  it('should answer 400 for an unknown segment', async () => {
    const { status, body } = await graph(ctx.tenant, '/groups', readBasic);
    assert.equal(status, 400);
    assertGraphError(body, 'BadRequest', /segment 'groups'/);
  });
});
