import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { customerOid } from '../../src/shapes/directory.ts';
import { Agent } from '../../src/agent.ts';
import { claimsOf, useTestTenant } from './helpers.ts';
import { decodeJson, followLink, leftTo, pageOf, redeemAt, startAt, submitWith } from './shape-helpers.ts';

describe("shape 'external_id'", () => {
  const ctx = useTestTenant({ shape: 'external_id' });

  describe('discovery', () => {
    it('should serve the tenant under the domain and the tenant-id mounts with one issuer when both discovery documents are fetched', async () => {
      const { tenant } = ctx;
      assert.equal(tenant.shape, 'external_id');
      assert.equal(tenant.authority, `${new URL(tenant.authority).origin}/devtenantcustomers.onmicrosoft.com`);
      assert.equal(tenant.externalId?.authorities.domain, tenant.authority);
      tenant.resetCounts();
      for (const authority of [tenant.externalId!.authorities.domain, tenant.externalId!.authorities.tenantId]) {
        const metadata = await (await fetch(`${authority}/v2.0/.well-known/openid-configuration`)).json() as Record<string, unknown>;
        assert.equal(metadata['issuer'], `${new URL(authority).origin}/${tenant.tenantId}/v2.0`);
        assert.equal(metadata['issuer'], tenant.issuer);
        assert.equal(metadata['authorization_endpoint'], `${authority}/oauth2/v2.0/authorize`);
        assert.equal(metadata['token_endpoint'], `${authority}/oauth2/v2.0/token`);
        assert.equal(metadata['jwks_uri'], `${authority}/discovery/v2.0/keys`);
      }
      assert.equal(tenant.counts().discovery, 2);
    });

    it('should list demo customers with e-mail user names and no Employee role when the tenant starts', () => {
      const ana = ctx.tenant.findUser('ana.customer@devtenantcustomers.example');
      assert.equal(ana?.displayName, 'Ana Customer');
      assert.deepEqual(ana?.roles, ['Client']);
      assert.ok(ctx.tenant.users.every((u) => !u.roles.includes('Employee')));
    });
  });

  describe('sign-in and sign-up', () => {
    it('should issue External ID claims when a demo customer is picked', async () => {
      const agent = new Agent();
      const { outcome, verifier } = await startAt(agent, ctx.tenant, ctx.tenant.authority);
      const page = pageOf(outcome);
      assert.match(page.body, /No account\? Create one/);
      const back = leftTo(await submitWith(agent, ctx.tenant, page, /Ana Customer/));
      assert.equal(back.searchParams.get('state'), 'state-123');
      const { status, body } = await redeemAt(ctx.tenant, ctx.tenant.authority, back, verifier);
      assert.equal(status, 200);
      const claims = claimsOf(body['id_token']);
      const ana = ctx.tenant.findUser('ana.customer@devtenantcustomers.example')!;
      assert.equal(claims['iss'], ctx.tenant.issuer);
      assert.equal(claims['oid'], ana.oid);
      assert.equal(claims['tid'], ctx.tenant.tenantId);
      assert.equal(claims['ver'], '2.0');
      assert.equal(claims['preferred_username'], 'ana.customer@devtenantcustomers.example');
      assert.equal(claims['email'], 'ana.customer@devtenantcustomers.example');
      assert.deepEqual(claims['roles'], ['Client']);
      assert.notEqual(claims['sub'], ana.oid, 'sub is pairwise like Entra');
      assert.deepEqual(decodeJson(body['client_info']), { uid: ana.oid, utid: ctx.tenant.tenantId });
    });

    it('should create, sign in and list the customer when the sign-up link is followed', async () => {
      const agent = new Agent();
      const { outcome, verifier } = await startAt(agent, ctx.tenant, ctx.tenant.authority);
      const signUp = pageOf(await followLink(agent, ctx.tenant, pageOf(outcome), /No account\? Create one/));
      assert.match(signUp.body, /<h1>Create account<\/h1>/);
      assert.match(signUp.body, /Development tenant — this is not Microsoft/);
      const back = leftTo(await submitWith(agent, ctx.tenant, signUp, /Create account/, { email: 'New.Person@Example.com', displayName: 'New Person' }));
      const { body } = await redeemAt(ctx.tenant, ctx.tenant.authority, back, verifier);
      const claims = claimsOf(body['id_token']);
      assert.equal(claims['oid'], customerOid('new.person@example.com'));
      assert.equal(claims['name'], 'New Person');
      assert.equal(claims['preferred_username'], 'new.person@example.com');
      assert.equal(claims['email'], 'new.person@example.com');
      assert.equal('roles' in claims, false);
      assert.equal(ctx.tenant.findUser('NEW.PERSON@example.com')?.oid, claims['oid']);

      const me = await fetch(`${ctx.tenant.graphEndpoint}/me`, { headers: { authorization: `Bearer ${String(body['access_token'])}` } });
      assert.equal(me.status, 200);
      assert.equal((await me.json() as { userPrincipalName: string }).userPrincipalName, 'new.person@example.com');
      assert.ok(ctx.tenant.users.some((u) => u.userPrincipalName === 'new.person@example.com'), 'the tenant lists the new customer');
    });

    it('should open the sign-up page directly and sign the new customer in when prompt=create is sent to the tenant-id authority', async () => {
      const agent = new Agent();
      const authority = ctx.tenant.externalId!.authorities.tenantId;
      const { outcome, verifier } = await startAt(agent, ctx.tenant, authority, { prompt: 'create' });
      const signUp = pageOf(outcome);
      assert.match(signUp.body, /<h1>Create account<\/h1>/);
      assert.ok(signUp.url.startsWith(`${authority}/oauth2/v2.0/interaction/`), signUp.url);
      const back = leftTo(await submitWith(agent, ctx.tenant, signUp, /Create account/, { email: 'prompt.create@example.com', displayName: 'Prompt Create' }));
      const { status, body } = await redeemAt(ctx.tenant, authority, back, verifier);
      assert.equal(status, 200);
      assert.ok(typeof body['refresh_token'] === 'string', 'offline_access still granted');
      assert.equal(claimsOf(body['id_token'])['preferred_username'], 'prompt.create@example.com');
      assert.equal(claimsOf(body['id_token'])['iss'], ctx.tenant.issuer);
    });

    it('should refuse with a message on the form when the e-mail address already has an account', async () => {
      const agent = new Agent();
      const { outcome } = await startAt(agent, ctx.tenant, ctx.tenant.authority, { prompt: 'create' });
      const again = pageOf(await submitWith(agent, ctx.tenant, pageOf(outcome), /Create account/, { email: 'ANA.customer@devtenantcustomers.example', displayName: 'Impostor' }));
      assert.equal(again.status, 400);
      assert.match(again.body, /role="alert">An account with this email address already exists/);
      assert.match(again.body, /value="Impostor"/);
      assert.equal(ctx.tenant.findUser('ana.customer@devtenantcustomers.example')?.displayName, 'Ana Customer');
    });

    it('should refuse with a message when the e-mail address is invalid', async () => {
      const agent = new Agent();
      const { outcome } = await startAt(agent, ctx.tenant, ctx.tenant.authority, { prompt: 'create' });
      const again = pageOf(await submitWith(agent, ctx.tenant, pageOf(outcome), /Create account/, { email: 'not-an-address', displayName: 'X' }));
      assert.equal(again.status, 400);
      assert.match(again.body, /Enter a valid email address/);
    });

    it('should send access_denied back with the state when the customer cancels', async () => {
      const agent = new Agent();
      const { outcome } = await startAt(agent, ctx.tenant, ctx.tenant.authority);
      const back = leftTo(await submitWith(agent, ctx.tenant, pageOf(outcome), /Cancel/));
      assert.equal(back.searchParams.get('error'), 'access_denied');
      assert.equal(back.searchParams.get('state'), 'state-123');
    });
  });

  describe('Graph for customers', () => {
    async function customerToken(scope: string): Promise<string> {
      const agent = new Agent();
      const { outcome, verifier } = await startAt(agent, ctx.tenant, ctx.tenant.authority, { scope });
      const back = leftTo(await submitWith(agent, ctx.tenant, pageOf(outcome), /Bruno Shopper/));
      const { status, body } = await redeemAt(ctx.tenant, ctx.tenant.authority, back, verifier, scope);
      assert.equal(status, 200, JSON.stringify(body));
      return String(body['access_token']);
    }

    it('should answer 403 Authorization_RequestDenied to a customer on /users and on another customer\'s /users/{id}, whatever the token\'s scp', async () => {
      const token = await customerToken('openid profile offline_access User.Read User.ReadBasic.All User.Read.All');
      assert.match(String(claimsOf(token)['scp']), /User\.ReadBasic\.All/);
      const ana = ctx.tenant.findUser('ana.customer@devtenantcustomers.example')!;
      for (const path of ['/users', '/users?$top=5&$select=id,displayName', `/users/${ana.oid}`, `/users/${ana.userPrincipalName}`]) {
        const response = await fetch(`${ctx.tenant.graphEndpoint}${path}`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(response.status, 403, path);
        const body = await response.json() as { error: { code: string; message: string; innerError: Record<string, unknown> } };
        assert.equal(body.error.code, 'Authorization_RequestDenied');
        assert.equal(body.error.message, 'Insufficient privileges to complete the operation.');
        assert.equal(typeof body.error.innerError['request-id'], 'string');
      }
    });

    it('should answer 200 with the customer\'s own profile on /me and /users/{own id} when the token holds User.Read', async () => {
      const token = await customerToken('openid profile offline_access User.Read');
      const bruno = ctx.tenant.findUser('bruno.shopper@devtenantcustomers.example')!;
      for (const path of ['/me?$select=displayName,mail,id', `/users/${bruno.oid}?$select=displayName,mail,id`]) {
        const response = await fetch(`${ctx.tenant.graphEndpoint}${path}`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(response.status, 200, path);
        const body = await response.json() as Record<string, unknown>;
        assert.equal(body['displayName'], 'Bruno Shopper');
        assert.equal(body['mail'], 'bruno.shopper@devtenantcustomers.example');
        assert.equal(body['id'], bruno.oid);
      }
    });
  });
});
