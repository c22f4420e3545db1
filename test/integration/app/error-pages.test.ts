import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Agent, signIn, startApp, useStack } from '../../helpers/stack.ts';

/** The page's facts as name → value (the values as rendered, still HTML-escaped). */
function facts(html: string): Map<string, string> {
  return new Map([...html.matchAll(/<dt>([^<]*)<\/dt><dd>([^<]*)<\/dd>/g)].map((m) => [m[1]!, m[2]!]));
}

describe('the error page when the authority refuses the app', () => {
  const stack = useStack();

  it('should show AADSTS7000215, name CLIENT_SECRET and show the correlation id when the client secret is wrong', async () => {
    const app = await startApp(stack.tenant, { clientSecret: 'not-the-registered-secret' });
    try {
      const agent = new Agent();
      const page = await signIn(agent, app);
      assert.equal(page.status, 500);
      assert.match(page.body, /data-testid="error-code">IDP_CONFIGURATION</);
      const shown = facts(page.body);
      assert.equal(shown.get('AADSTS code'), 'AADSTS7000215');
      assert.match(shown.get('Setting to fix') ?? '', /CLIENT_SECRET/);
      assert.match(shown.get('Correlation ID') ?? '', /^[0-9a-f-]{36}$/);
      assert.match(shown.get('Timestamp') ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
      assert.match(shown.get('Description') ?? '', /^AADSTS7000215: Invalid client secret provided\./);
      assert.doesNotMatch(shown.get('Description') ?? '', /Trace ID/, 'the ids are shown once, as facts');
      assert.doesNotMatch(page.body, /try again in a moment/i);
      assert.match(page.body, />Sign in again</);
      assert.equal((await agent.go(`${app.origin}/token_details`)).status, 401, 'no session was made');
    } finally {
      await app.close();
    }
  });

  it('should name CLIENT_ID and the tenant when the token endpoint answers AADSTS700016', async () => {
    const correlation = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
    const agent = new Agent();
    const picker = await agent.go(`${stack.app.origin}/auth/sign_in`);
    // Entra's answer for a client id unknown in the tenant (the development tenant refuses such a client
    // already on its authorize page, as Entra does, so the token endpoint's answer is injected).
    stack.tenant.injectFault('token', { status: 400, body: {
      error: 'unauthorized_client', error_codes: [700016], timestamp: '2026-12-06 10:11:12Z', correlation_id: correlation, trace_id: correlation,
      error_description: `AADSTS700016: Application with identifier '${stack.tenant.clientId}' was not found in the directory 'Contoso'. Trace ID: ${correlation} Correlation ID: ${correlation} Timestamp: 2026-12-06 10:11:12Z`,
    } });
    const page = await agent.submit(picker, /Megan Bowen/);
    assert.equal(page.status, 500);
    const shown = facts(page.body);
    assert.equal(shown.get('AADSTS code'), 'AADSTS700016');
    assert.match(shown.get('Setting to fix') ?? '', /CLIENT_ID, or the tenant in AUTHORITY/);
    assert.equal(shown.get('Correlation ID'), correlation);
    assert.equal(shown.get('Timestamp'), '2026-12-06 10:11:12Z');
    assert.doesNotMatch(page.body, /try again in a moment/i);
  });
});
