import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { DevTenant } from '../../src/index.ts';
import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';

import { Agent, parseForm } from '../../src/agent.ts';
import { claimsOf, location, useTestTenant } from './helpers.ts';
import { decodeJson, followLink, leftTo, pageOf, redeemAt, startAt, submitWith, walk } from './shape-helpers.ts';

const CANCELLED = 'AADB2C90091: The user has cancelled entering self-asserted information.';

function authorities(tenant: DevTenant) {
  return tenant.b2c!.authorities;
}

/** Signs `user` in at the susi user flow; returns the agent (with its tenant session) and the token response. */
async function susiSignIn(tenant: DevTenant, user = /Ana Customer/, agent = new Agent()) {
  const { outcome, verifier } = await startAt(agent, tenant, authorities(tenant).susi);
  const back = leftTo(await submitWith(agent, tenant, pageOf(outcome), user));
  return { agent, back, token: await redeemAt(tenant, authorities(tenant).susi, back, verifier) };
}

describe("shape 'b2c'", () => {
  const ctx = useTestTenant({ shape: 'b2c' });

  describe('discovery', () => {
    it('should publish one authority per user flow with the shared issuer ending in a slash when each policy is fetched', async () => {
      const { tenant } = ctx;
      const origin = new URL(tenant.authority).origin;
      assert.equal(tenant.shape, 'b2c');
      assert.equal(tenant.b2c?.base, `${origin}/devtenantb2c.onmicrosoft.com`);
      assert.deepEqual(tenant.b2c?.policies, { susi: 'B2C_1_susi', password: 'B2C_1_reset', profile: 'B2C_1_edit_profile', custom: 'B2C_1A_signup_signin' });
      assert.equal(tenant.authority, `${origin}/devtenantb2c.onmicrosoft.com/B2C_1_susi`);
      assert.equal(tenant.issuer, `${origin}/${tenant.tenantId}/v2.0/`);
      for (const authority of Object.values(authorities(tenant))) {
        const metadata = await (await fetch(`${authority}/v2.0/.well-known/openid-configuration`)).json() as Record<string, unknown>;
        assert.equal(metadata['issuer'], tenant.issuer);
        assert.equal(metadata['authorization_endpoint'], `${authority}/oauth2/v2.0/authorize`);
        assert.equal(metadata['token_endpoint'], `${authority}/oauth2/v2.0/token`);
        assert.equal(metadata['end_session_endpoint'], `${authority}/oauth2/v2.0/logout`);
        assert.equal(metadata['jwks_uri'], `${authority}/discovery/v2.0/keys`);
      }
    });

    it('should match the policy case-insensitively and count the request when the path is in another case', async () => {
      ctx.tenant.resetCounts();
      const response = await fetch(`${ctx.tenant.b2c!.base}/b2c_1_SUSI/v2.0/.well-known/openid-configuration`);
      assert.equal(response.status, 200);
      const metadata = await response.json() as Record<string, unknown>;
      assert.equal(metadata['authorization_endpoint'], `${authorities(ctx.tenant).susi}/oauth2/v2.0/authorize`);
      assert.equal((await fetch(`${ctx.tenant.b2c!.base}/B2C_1_EDIT_PROFILE/discovery/v2.0/keys`)).status, 200);
      assert.equal(ctx.tenant.counts().discovery, 1);
      assert.equal(ctx.tenant.counts().jwks, 1);
    });
  });

  describe('B2C_1_susi', () => {
    it('should issue B2C claims and a client_info uid with the policy suffix when a consumer signs in', async () => {
      ctx.tenant.resetCounts();
      const { token: { status, body }, back } = await susiSignIn(ctx.tenant);
      assert.equal(status, 200);
      assert.equal(back.searchParams.get('state'), 'state-123');
      const ana = ctx.tenant.findUser('ana.customer@devtenantb2c.example')!;
      const claims = claimsOf(body['id_token']);
      assert.equal(claims['iss'], ctx.tenant.issuer);
      assert.equal(claims['tfp'], 'B2C_1_susi');
      assert.equal(claims['sub'], ana.oid);
      assert.equal(claims['oid'], ana.oid);
      assert.equal(claims['tid'], undefined, 'no tid by default (b2c-flow-claim.test.ts has the variants)');
      assert.equal(claims['ver'], '1.0');
      assert.equal(claims['name'], 'Ana Customer');
      assert.deepEqual(claims['emails'], ['ana.customer@devtenantb2c.example']);
      assert.equal(claims['idp'], 'LocalAccount');
      assert.equal(typeof claims['auth_time'], 'number');
      assert.equal(claims['nonce'], 'nonce-456');
      assert.deepEqual(decodeJson(body['client_info']), { uid: `${ana.oid}-b2c_1_susi`, utid: ctx.tenant.tenantId });
      assert.equal(ctx.tenant.counts().authorize, 1);
      assert.equal(ctx.tenant.counts().token, 1);
    });

    it('should end with AADB2C90118 and the state when "Forgot your password?" is followed', async () => {
      const agent = new Agent();
      const { outcome } = await startAt(agent, ctx.tenant, authorities(ctx.tenant).susi);
      const back = leftTo(await followLink(agent, ctx.tenant, pageOf(outcome), /^Forgot your password\?$/));
      assert.equal(back.searchParams.get('error'), 'access_denied');
      assert.equal(back.searchParams.get('error_description'), 'AADB2C90118: The user has forgotten their password.');
      assert.equal(back.searchParams.get('state'), 'state-123');
    });

    it('should end with AADB2C90091 and the state when the consumer cancels', async () => {
      const agent = new Agent();
      const { outcome } = await startAt(agent, ctx.tenant, authorities(ctx.tenant).susi);
      const back = leftTo(await submitWith(agent, ctx.tenant, pageOf(outcome), /^Cancel$/));
      assert.equal(back.searchParams.get('error'), 'access_denied');
      assert.equal(back.searchParams.get('error_description'), CANCELLED);
      assert.equal(back.searchParams.get('state'), 'state-123');
    });

    it('should create the consumer and sign them in at susi when "Sign up now" is followed', async () => {
      const agent = new Agent();
      const { outcome, verifier } = await startAt(agent, ctx.tenant, authorities(ctx.tenant).susi);
      const signUp = pageOf(await followLink(agent, ctx.tenant, pageOf(outcome), /^Sign up now$/));
      const back = leftTo(await submitWith(agent, ctx.tenant, signUp, /^Create account$/, { email: 'b2c.new@example.com', displayName: 'B2C Newcomer' }));
      const claims = claimsOf((await redeemAt(ctx.tenant, authorities(ctx.tenant).susi, back, verifier)).body['id_token']);
      assert.equal(claims['tfp'], 'B2C_1_susi');
      assert.deepEqual(claims['emails'], ['b2c.new@example.com']);
      assert.equal(claims['oid'], ctx.tenant.findUser('b2c.new@example.com')?.oid);
    });
  });

  describe('B2C_1_reset', () => {
    it('should sign the chosen account in with tfp B2C_1_reset when a new password is entered', async () => {
      const agent = new Agent();
      const bruno = ctx.tenant.findUser('bruno.shopper@devtenantb2c.example')!;
      const { outcome, verifier } = await startAt(agent, ctx.tenant, authorities(ctx.tenant).password);
      const page = pageOf(outcome);
      assert.match(page.body, /<h1>Reset your password<\/h1>/);
      const empty = pageOf(await submitWith(agent, ctx.tenant, page, /^Continue$/, { oid: bruno.oid, newPassword: '' }));
      assert.equal(empty.status, 400);
      assert.match(empty.body, /Enter a new password\./);
      const back = leftTo(await submitWith(agent, ctx.tenant, empty, /^Continue$/, { oid: bruno.oid, newPassword: 'n3w-Passw0rd' }));
      const { body } = await redeemAt(ctx.tenant, authorities(ctx.tenant).password, back, verifier);
      assert.equal(claimsOf(body['id_token'])['tfp'], 'B2C_1_reset');
      assert.equal(claimsOf(body['id_token'])['sub'], bruno.oid);
      assert.equal(decodeJson(body['client_info'])['uid'], `${bruno.oid}-b2c_1_reset`);
    });

    it('should end with AADB2C90091 when the reset is cancelled', async () => {
      const agent = new Agent();
      const { outcome } = await startAt(agent, ctx.tenant, authorities(ctx.tenant).password);
      const back = leftTo(await submitWith(agent, ctx.tenant, pageOf(outcome), /^Cancel$/));
      assert.equal(back.searchParams.get('error_description'), CANCELLED);
    });
  });

  describe('B2C_1_edit_profile', () => {
    it('should edit the signed-in user and show the new name in the next ID tokens when Save is pressed', async () => {
      const { agent } = await susiSignIn(ctx.tenant, /Chloe Buyer/);
      const chloe = ctx.tenant.findUser('chloe.buyer@devtenantb2c.example')!;
      const { outcome, verifier } = await startAt(agent, ctx.tenant, authorities(ctx.tenant).profile);
      const page = pageOf(outcome);
      assert.match(page.body, /Signed in as <strong>Chloe Buyer<\/strong>/);
      assert.match(page.body, /name="displayName" type="text" value="Chloe Buyer"/);
      const back = leftTo(await submitWith(agent, ctx.tenant, page, /^Save$/, { displayName: 'Chloe B. Renamed' }));
      const { body } = await redeemAt(ctx.tenant, authorities(ctx.tenant).profile, back, verifier);
      assert.equal(claimsOf(body['id_token'])['tfp'], 'B2C_1_edit_profile');
      assert.equal(claimsOf(body['id_token'])['name'], 'Chloe B. Renamed');
      assert.equal(ctx.tenant.findUser(chloe.userPrincipalName)?.displayName, 'Chloe B. Renamed');
      const next = await susiSignIn(ctx.tenant, /Chloe B\. Renamed/);
      assert.equal(claimsOf(next.token.body['id_token'])['name'], 'Chloe B. Renamed');
      assert.equal(claimsOf(next.token.body['id_token'])['oid'], chloe.oid);
    });

    it('should let the user pick the account first when the browser has no tenant session', async () => {
      const agent = new Agent();
      const { outcome } = await startAt(agent, ctx.tenant, authorities(ctx.tenant).profile);
      const pick = pageOf(outcome);
      assert.match(pick.body, /Pick an account|pick an account/);
      const edit = pageOf(await submitWith(agent, ctx.tenant, pick, /Diego Visitor/));
      assert.match(edit.body, /value="Diego Visitor"/);
      const back = leftTo(await submitWith(agent, ctx.tenant, edit, /^Cancel$/));
      assert.equal(back.searchParams.get('error_description'), CANCELLED);
      assert.equal(ctx.tenant.findUser('diego.visitor@devtenantb2c.example')?.displayName, 'Diego Visitor');
    });
  });

  describe('@azure/msal-node', () => {
    it('should build the account id <oid>-b2c_1_susi.<tid> when msal signs in at the susi authority', async () => {
      const authority = authorities(ctx.tenant).susi;
      const authorityMetadata = await (await fetch(`${authority}/v2.0/.well-known/openid-configuration`)).text();
      const cca = new ConfidentialClientApplication({
        auth: { clientId: ctx.tenant.clientId, clientSecret: ctx.tenant.clientSecret, authority, knownAuthorities: [new URL(authority).host], authorityMetadata },
      });
      const scopes = ['openid', 'offline_access'];
      const redirectUri = 'http://localhost:39999/auth/redirect';
      const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
      const url = await cca.getAuthCodeUrl({ scopes, redirectUri, codeChallenge: challenge, codeChallengeMethod: 'S256', state: 'st', nonce: 'nc' });
      const agent = new Agent();
      const back = leftTo(await submitWith(agent, ctx.tenant, pageOf(await walk(agent, ctx.tenant, url)), /Bruno Shopper/));
      const result = await cca.acquireTokenByCode({ code: back.searchParams.get('code')!, scopes, redirectUri, codeVerifier: verifier, state: 'st', nonce: 'nc' }, { code: back.searchParams.get('code')!, state: 'st' });
      const bruno = ctx.tenant.findUser('bruno.shopper@devtenantb2c.example')!;
      assert.equal(result.account?.homeAccountId, `${bruno.oid}-b2c_1_susi.${ctx.tenant.tenantId}`);
      assert.equal((result.idTokenClaims as Record<string, unknown>)['tfp'], 'B2C_1_susi');
    });
  });

  describe('sign-out', () => {
    it('should end the session and redirect to post_logout_redirect_uri when a policy logout endpoint is used', async () => {
      const { agent } = await susiSignIn(ctx.tenant);
      ctx.tenant.resetCounts();
      const url = new URL(`${authorities(ctx.tenant).password}/oauth2/v2.0/logout`);
      url.searchParams.set('client_id', ctx.tenant.clientId);
      url.searchParams.set('post_logout_redirect_uri', 'http://localhost:8000/auth/post_sign_out');
      const html = await (await agent.raw(url.href)).text();
      assert.match(html, /Ana Customer/);
      const form = parseForm(html, /^Sign out$/, url.href);
      const done = await agent.post(form.action, form.fields);
      assert.equal(location(done, url.href), 'http://localhost:8000/auth/post_sign_out');
      assert.equal(ctx.tenant.counts().endSession, 1);
    });
  });
});
