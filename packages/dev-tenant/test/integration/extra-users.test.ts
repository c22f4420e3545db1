import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { describe, it } from 'node:test';

import { DEV_TENANT_ERROR_CODES, startDevTenant } from '../../src/index.ts';
import { Agent } from '../../src/agent.ts';
import { authorizeUrl, claimsOf, location, pkce, redeemCode, signIn, startTestTenant, tempDir, useTestTenant } from './helpers.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('dev tenant option extraUsers', () => {
  const ctx = useTestTenant({ extraUsers: 25 });

  it('should add generated users after the 11 named ones when extraUsers is 25', () => {
    const { users } = ctx.tenant;
    assert.equal(users.length, 36);
    assert.equal(users[10]?.displayName, 'Patti Fernandez');
    const first = users[11]!;
    assert.equal(first.displayName, 'Test User 001');
    assert.equal(first.userPrincipalName, 'testuser001@devtenant.example');
    assert.equal(users[35]?.userPrincipalName, 'testuser025@devtenant.example');
    assert.ok(users.every((u) => GUID.test(u.oid)), 'every oid is a lower-case GUID');
    assert.equal(new Set(users.map((u) => u.oid)).size, 36, 'oids are distinct');
  });

  it('should give a generated user the same oid when another tenant starts with a different count', async () => {
    const other = await startTestTenant({ extraUsers: 3 });
    try {
      assert.equal(other.tenant.users.length, 14);
      assert.deepEqual(other.tenant.users.slice(11).map((u) => u.oid), ctx.tenant.users.slice(11, 14).map((u) => u.oid));
    } finally {
      await other.stop();
    }
  });

  it('should list the generated users on the picker below the named accounts when extraUsers is set', async () => {
    const agent = new Agent();
    const { challenge } = pkce();
    const start = authorizeUrl(ctx.tenant, { code_challenge: challenge, code_challenge_method: 'S256', state: 's', nonce: 'n' });
    const toPicker = await agent.raw(start);
    assert.equal(toPicker.status, 303);
    const picker = await (await agent.raw(location(toPicker, start))).text();
    const patti = picker.indexOf('PattiF@devtenant.example');
    const generated = ctx.tenant.users.slice(11).map((u) => picker.indexOf(u.userPrincipalName));
    assert.ok(patti > 0, 'the named accounts are listed');
    assert.ok(generated.every((at, i) => at > patti && (i === 0 || at > generated[i - 1]!)), 'generated users follow, in order');
    assert.match(picker, /25 generated test users/);
  });

  it('should sign a generated user in with its own oid and name in the tokens and at Graph /me', async () => {
    const user = ctx.tenant.users.find((u) => u.displayName === 'Test User 017')!;
    const result = await signIn(ctx.tenant, 'Test User 017');
    const { status, body } = await redeemCode(ctx.tenant, result);
    assert.equal(status, 200);
    const id = claimsOf(body['id_token']);
    assert.equal(id['oid'], user.oid);
    assert.equal(id['preferred_username'], 'testuser017@devtenant.example');
    assert.equal(id['name'], 'Test User 017');
    assert.equal(claimsOf(body['access_token'])['oid'], user.oid);
    const me = await fetch(`${ctx.tenant.graphEndpoint}/me`, { headers: { authorization: `Bearer ${String(body['access_token'])}` } });
    assert.equal(me.status, 200);
    const profile = await me.json() as Record<string, unknown>;
    assert.equal(profile['id'], user.oid);
    assert.equal(profile['displayName'], 'Test User 017');
  });

  it('should refuse to start with DEV_TENANT_INVALID_OPTION when extraUsers is negative, fractional or too large', async () => {
    const dataDir = await tempDir();
    try {
      for (const extraUsers of [-1, 2.5, 10_000]) {
        await assert.rejects(startDevTenant({ port: 0, dataDir, extraUsers }), (error: { code?: string; message?: string }) => {
          assert.equal(error.code, DEV_TENANT_ERROR_CODES.invalidOption);
          assert.match(error.message ?? '', /extraUsers/);
          return true;
        });
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
