import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Agent, signIn, useStack } from '../../helpers/stack.ts';
import type { Page } from '@contoso/dev-tenant/agent';

function errorCode(page: Page): string | undefined {
  return /data-testid="error-code">([A-Z_]+)</.exec(page.body)?.[1];
}

/** RFC 6749 §5.1 (access_token, token_type Bearer) and OIDC Core §3.1.3.3 (id_token at sign-in). */
describe('malformed token responses', () => {
  const stack = useStack();
  afterEach(() => {
    stack.tenant.clearFaults();
    stack.tenant.setAccessTokenTtl(3600);
  });

  async function refusedSignIn(tamper: Parameters<typeof stack.tenant.tamperTokenResponse>[0]) {
    const agent = new Agent();
    const caches = stack.app.tokenCaches.size;
    stack.tenant.tamperTokenResponse({ grant: 'authorization_code', ...tamper });
    const page = await signIn(agent, stack.app);
    assert.equal(page.status, 502);
    assert.equal(errorCode(page), 'TOKEN_RESPONSE_INVALID');
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 401, 'nobody is signed in');
    assert.equal(stack.app.tokenCaches.size, caches, 'no token cache was stored');
    assert.doesNotMatch(page.body, /eyJ/, 'no token on the page');
    return page;
  }

  it('should refuse the sign-in with 502 and no session when the token response has no access_token', async () => {
    const page = await refusedSignIn({ remove: ['access_token'] });
    assert.match(page.body, /access_token_missing/);
  });

  it('should refuse the sign-in with 502 when token_type is not Bearer', async () => {
    const page = await refusedSignIn({ set: { token_type: 'MAC' } });
    assert.match(page.body, /token_type_not_bearer/);
  });

  it('should refuse the sign-in with 502 when the code redemption has no id_token', async () => {
    const page = await refusedSignIn({ remove: ['id_token'] });
    assert.match(page.body, /id_token_missing/);
  });

  it('should accept token_type in any letter case when the response is otherwise complete', async () => {
    stack.tenant.tamperTokenResponse({ grant: 'authorization_code', set: { token_type: 'bearer' } });
    const page = await signIn(new Agent(), stack.app);
    assert.equal(page.status, 200);
    assert.match(page.body, /Hello Megan Bowen!/);
  });

  it('should answer 502 and keep the user signed in when a refresh has no access_token', async () => {
    const agent = new Agent();
    stack.tenant.setAccessTokenTtl(120); // MSAL refreshes tokens that expire within 300 s
    await signIn(agent, stack.app);
    stack.tenant.tamperTokenResponse({ grant: 'refresh_token', remove: ['access_token'] });
    stack.tenant.resetCounts();
    const page = await agent.go(`${stack.app.origin}/call_ms_graph`);
    assert.equal(stack.tenant.counts().tokenByGrant['refresh_token'], 1, 'the refresh happened');
    assert.equal(page.status, 502);
    assert.equal(errorCode(page), 'TOKEN_RESPONSE_INVALID');
    assert.equal(stack.tenant.graphCalls.length, 0, 'Graph was not called with an empty token');
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 200, 'still signed in');
    assert.equal((await agent.go(`${stack.app.origin}/call_ms_graph`)).status, 200, 'the next refresh works');
  });
});
