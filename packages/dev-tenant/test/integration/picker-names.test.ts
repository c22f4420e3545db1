import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { DevTenant } from '../../src/index.ts';
import { Agent } from '../../src/agent.ts';
import { authorizeUrl, location, pkce, signIn, useTestTenant } from './helpers.ts';

const OIDC_ONLY = 'openid profile offline_access';

/** Opens the account picker for an authorize asking `scope`, in `agent`'s browser (a new browser by default). */
async function pickerHtml(tenant: DevTenant, scope: string, agent = new Agent()): Promise<string> {
  const { challenge } = pkce();
  const start = authorizeUrl(tenant, { scope, code_challenge: challenge, code_challenge_method: 'S256', state: 's', nonce: 'n' });
  const toPicker = await agent.raw(start);
  return (await agent.raw(location(toPicker, start))).text();
}

describe('the account picker names the app and explains an incremental-consent visit', () => {
  const ctx = useTestTenant();

  it('should say "to continue to Contoso Identity Sample", the client\'s registered name, when the picker is shown', async () => {
    const html = await pickerHtml(ctx.tenant, OIDC_ONLY);
    assert.match(html, /to continue to <strong>Contoso Identity Sample<\/strong>/);
    assert.doesNotMatch(html, /needs your permission/, 'a first visit is not an incremental consent');
  });

  it('should say "Contoso Identity Sample needs your permission for: GroupMember.Read.All" when a signed-in user\'s next authorize asks for a permission not granted yet', async () => {
    const first = await signIn(ctx.tenant, 'Megan Bowen', { scope: OIDC_ONLY });
    const html = await pickerHtml(ctx.tenant, `GroupMember.Read.All ${OIDC_ONLY}`, first.agent);
    assert.match(html, /Contoso Identity Sample needs your permission for: GroupMember\.Read\.All</);
  });

  it('should not ask again for permissions already granted when a signed-in user signs in again', async () => {
    const first = await signIn(ctx.tenant, 'Megan Bowen', { scope: `User.ReadBasic.All ${OIDC_ONLY}` });
    const html = await pickerHtml(ctx.tenant, `User.ReadBasic.All ${OIDC_ONLY}`, first.agent);
    assert.doesNotMatch(html, /needs your permission/);
  });
});
