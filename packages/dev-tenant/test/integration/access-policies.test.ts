import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';

import { Agent, parseForm } from '../../src/agent.ts';
import type { DevTenant } from '../../src/index.ts';
import {
  authorizeUrl, claimsOf, location, pkce, redeemCode, signIn, submitOnTenant, tokenRequest, useTestTenant,
} from './helpers.ts';
import type { SignInResult } from './helpers.ts';

/** What msal-node sends as `claims` with `clientCapabilities: ["CP1"]` (plus a request's own claims). */
function msalClaims(accessToken: Record<string, unknown> = {}, cp1 = true): string {
  const capabilities = cp1 ? { xms_cc: { values: ['CP1'] } } : {};
  return JSON.stringify({ id_token: { signin_state: { essential: false } }, access_token: { ...accessToken, ...capabilities } });
}

function refresh(tenant: DevTenant, refreshToken: unknown, claims?: string) {
  return tokenRequest(tenant, {
    grant_type: 'refresh_token', refresh_token: String(refreshToken), scope: 'User.ReadBasic.All openid profile offline_access',
    ...(claims ? { claims } : {}),
  });
}

function callGraph(tenant: DevTenant, accessToken: unknown): Promise<Response> {
  return fetch(`${tenant.graphEndpoint}/me`, { headers: { authorization: `Bearer ${String(accessToken)}` } });
}

/** An authorize request with these claims, up to the account picker. */
async function openPicker(tenant: DevTenant, claims: string) {
  const agent = new Agent();
  const { verifier, challenge } = pkce();
  const start = authorizeUrl(tenant, { code_challenge: challenge, code_challenge_method: 'S256', state: 's', nonce: 'n', claims });
  const pickerUrl = location(await agent.raw(start), start);
  const picker = await agent.raw(pickerUrl);
  return { agent, verifier, pickerUrl, html: await picker.text() };
}

describe('Conditional Access step-up at the token endpoint', () => {
  const ctx = useTestTenant();
  afterEach(() => ctx.tenant.clearAccessPolicies());

  it('should answer a refresh with 400 interaction_required, AADSTS50076 and the policy\'s capolids claims when a step-up policy applies', async () => {
    const { body: tokens } = await redeemCode(ctx.tenant, await signIn(ctx.tenant));
    const policy = ctx.tenant.requireStepUp();
    const { status, body } = await refresh(ctx.tenant, tokens['refresh_token']);
    assert.equal(status, 400);
    assert.equal(body['error'], 'interaction_required');
    assert.match(String(body['error_description']), /^AADSTS50076: .*multi-factor authentication/);
    assert.deepEqual(body['error_codes'], [50076]);
    assert.equal(body['suberror'], undefined);
    assert.deepEqual(JSON.parse(String(body['claims'])), { access_token: { capolids: { essential: true, values: [policy] } } });
    assert.equal(body['access_token'], undefined);
  });

  it('should answer invalid_grant with suberror basic_action when the policy uses that shape, for its user only', async () => {
    const megan = ctx.tenant.users[0]!;
    const { body: meganTokens } = await redeemCode(ctx.tenant, await signIn(ctx.tenant));
    const { body: gradyTokens } = await redeemCode(ctx.tenant, await signIn(ctx.tenant, 'Grady Archie'));
    const policy = ctx.tenant.requireStepUp({ oid: megan.oid, error: 'invalid_grant' });
    const { status, body } = await refresh(ctx.tenant, meganTokens['refresh_token']);
    assert.equal(status, 400);
    assert.equal(body['error'], 'invalid_grant');
    assert.equal(body['suberror'], 'basic_action');
    assert.match(String(body['claims']), new RegExp(policy));
    assert.equal((await refresh(ctx.tenant, gradyTokens['refresh_token'])).status, 200, 'another user is not concerned');
  });

  it('should refuse only `times` refreshes when times is given', async () => {
    const { body: tokens } = await redeemCode(ctx.tenant, await signIn(ctx.tenant));
    ctx.tenant.requireStepUp({ times: 1 });
    assert.equal((await refresh(ctx.tenant, tokens['refresh_token'])).status, 400);
    assert.equal((await refresh(ctx.tenant, tokens['refresh_token'])).status, 200);
  });

  it('should still refuse refreshes when the sign-in did not carry the policy\'s claims', async () => {
    ctx.tenant.requireStepUp();
    const { body: tokens } = await redeemCode(ctx.tenant, await signIn(ctx.tenant, 'Megan Bowen', { claims: msalClaims() }));
    assert.equal((await refresh(ctx.tenant, tokens['refresh_token'])).status, 400);
  });

  it('should show "Verify your identity" and then satisfy the policy when the authorize claims carry its capolids', async () => {
    const policy = ctx.tenant.requireStepUp();
    const claims = msalClaims({ capolids: { essential: true, values: [policy] } });
    const { agent, verifier, pickerUrl, html } = await openPicker(ctx.tenant, claims);
    const picked = parseForm(html, /Megan Bowen/, pickerUrl);
    const page = await agent.post(picked.action, picked.fields);
    assert.equal(page.status, 200);
    const verify = await page.text();
    assert.match(verify, /Verify your identity/);
    assert.match(verify, new RegExp(policy));
    const redirect = await submitOnTenant(agent, ctx.tenant, verify, /^Verify$/, pickerUrl);
    const { status, body: tokens } = await redeemCode(ctx.tenant, { redirect, agent, verifier } satisfies SignInResult);
    assert.equal(status, 200);
    const refreshed = await refresh(ctx.tenant, tokens['refresh_token'], claims);
    assert.equal(refreshed.status, 200);
    assert.equal(typeof refreshed.body['access_token'], 'string');
  });
});

describe('Continuous Access Evaluation', () => {
  const ctx = useTestTenant();
  afterEach(() => ctx.tenant.clearAccessPolicies());

  it('should put xms_cc ["CP1"] in access tokens only when the authorize or token request\'s claims ask for CP1', async () => {
    const plain = await redeemCode(ctx.tenant, await signIn(ctx.tenant));
    assert.equal(claimsOf(plain.body['access_token'])['xms_cc'], undefined);
    const askedOnToken = await redeemCode(ctx.tenant, await signIn(ctx.tenant), { claims: msalClaims() });
    assert.deepEqual(claimsOf(askedOnToken.body['access_token'])['xms_cc'], ['CP1']);
    const askedOnAuthorize = await redeemCode(ctx.tenant, await signIn(ctx.tenant, 'Megan Bowen', { claims: msalClaims() }));
    assert.deepEqual(claimsOf(askedOnAuthorize.body['access_token'])['xms_cc'], ['CP1']);
    const refreshed = await refresh(ctx.tenant, plain.body['refresh_token'], msalClaims());
    assert.deepEqual(claimsOf(refreshed.body['access_token'])['xms_cc'], ['CP1']);
    const notCp1 = await refresh(ctx.tenant, plain.body['refresh_token'], msalClaims({ xms_cc: { values: ['XY9'] } }, false));
    assert.equal(claimsOf(notCp1.body['access_token'])['xms_cc'], undefined, 'unknown capabilities are not echoed');
  });

  it('should answer 401 insufficient_claims to an older CP1 token, and 200 to an older token without xms_cc, when the user\'s sessions were revoked', async () => {
    const megan = ctx.tenant.users[0]!;
    const cae = await redeemCode(ctx.tenant, await signIn(ctx.tenant), { claims: msalClaims() });
    const plain = await redeemCode(ctx.tenant, await signIn(ctx.tenant));
    assert.equal((await callGraph(ctx.tenant, cae.body['access_token'])).status, 200);
    await ctx.tenant.revokeSignInSessions(megan.oid);
    const refused = await callGraph(ctx.tenant, cae.body['access_token']);
    assert.equal(refused.status, 401);
    const header = refused.headers.get('www-authenticate') ?? '';
    assert.match(header, /^Bearer realm="", authorization_uri="https:\/\/localhost:\d+\/[^"]+\/oauth2\/v2\.0\/authorize", client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="[A-Za-z0-9+/=]+"/);
    const claims = JSON.parse(Buffer.from(/claims="([^"]+)"/.exec(header)![1]!, 'base64').toString()) as { access_token: { nbf: { essential: boolean; value: string } } };
    assert.equal(claims.access_token.nbf.essential, true);
    assert.ok(Number(claims.access_token.nbf.value) > Number(claimsOf(cae.body['access_token'])['iat']));
    const error = (await refused.json() as { error: { code: string; message: string } }).error;
    assert.equal(error.code, 'InvalidAuthenticationToken');
    assert.match(error.message, /TokenIssuedBeforeRevocationTimestamp/);
    assert.equal((await callGraph(ctx.tenant, plain.body['access_token'])).status, 200, 'a token of a client without CP1 is valid until it expires');
  });

  it('should answer invalid_grant AADSTS50173 to an older refresh token, and accept a fresh sign-in\'s tokens, when the user\'s sessions were revoked', async () => {
    const megan = ctx.tenant.users[0]!;
    const before = await redeemCode(ctx.tenant, await signIn(ctx.tenant), { claims: msalClaims() });
    await ctx.tenant.revokeSignInSessions(megan.oid);
    const { status, body } = await refresh(ctx.tenant, before.body['refresh_token'], msalClaims());
    assert.equal(status, 400);
    assert.equal(body['error'], 'invalid_grant');
    assert.match(String(body['error_description']), /^AADSTS50173: The provided grant has expired due to it being revoked/);
    assert.deepEqual(body['error_codes'], [50173]);
    const after = await redeemCode(ctx.tenant, await signIn(ctx.tenant), { claims: msalClaims() });
    assert.equal((await callGraph(ctx.tenant, after.body['access_token'])).status, 200);
    assert.equal((await refresh(ctx.tenant, after.body['refresh_token'], msalClaims())).status, 200);
  });

  it('should answer invalid_grant AADSTS700082 to an older refresh token of that user only, and accept a fresh sign-in\'s, when its refresh tokens expired through inactivity', async () => {
    const megan = ctx.tenant.users[0]!;
    const before = await redeemCode(ctx.tenant, await signIn(ctx.tenant));
    const grady = await redeemCode(ctx.tenant, await signIn(ctx.tenant, 'Grady Archie'));
    await ctx.tenant.expireRefreshTokens(megan.oid);
    const { status, body } = await refresh(ctx.tenant, before.body['refresh_token']);
    assert.equal(status, 400);
    assert.equal(body['error'], 'invalid_grant');
    assert.equal(body['suberror'], undefined);
    assert.match(String(body['error_description']), /^AADSTS700082: The refresh token has expired due to inactivity\. The token was issued on \d{4}-/);
    assert.deepEqual(body['error_codes'], [700082]);
    assert.equal((await refresh(ctx.tenant, grady.body['refresh_token'])).status, 200, 'another user is not concerned');
    const after = await redeemCode(ctx.tenant, await signIn(ctx.tenant));
    assert.equal((await refresh(ctx.tenant, after.body['refresh_token'])).status, 200);
    ctx.tenant.clearAccessPolicies();
    assert.equal((await refresh(ctx.tenant, before.body['refresh_token'])).status, 200, 'clearAccessPolicies forgets the expiry');
  });

  it('should throw DEV_TENANT_INVALID_OPTION when a control gets an unknown user or a bad option', async () => {
    await assert.rejects(ctx.tenant.revokeSignInSessions('no-such-oid'), { code: 'DEV_TENANT_INVALID_OPTION' });
    await assert.rejects(ctx.tenant.expireRefreshTokens('no-such-oid'), { code: 'DEV_TENANT_INVALID_OPTION' });
    assert.throws(() => ctx.tenant.requireStepUp({ oid: 'no-such-oid' }), { code: 'DEV_TENANT_INVALID_OPTION' });
    assert.throws(() => ctx.tenant.requireStepUp({ times: 0 }), { code: 'DEV_TENANT_INVALID_OPTION' });
  });
});
