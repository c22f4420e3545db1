import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { Agent, pickAccount, signIn, useStack } from '../../helpers/stack.ts';

describe('GET /groups', () => {
  const stack = useStack();
  beforeEach(() => {
    stack.tenant.clearFaults();
    stack.tenant.resetCounts();
  });

  function oidOf(name: string): string {
    return stack.tenant.users.find((u) => u.displayName === name)!.oid;
  }

  function html(text: string): string {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
  }

  function nameOf(id: string): string {
    return stack.tenant.groups.find((g) => g.id === id)!.displayName;
  }

  /** The names shown on a groups page, in order. */
  function shownNames(body: string): string[] {
    return [...body.matchAll(/data-testid="group-name">([^<]*)</g)].map((m) => m[1]!);
  }

  it('should list the groups of the ID token\'s groups claim without calling Graph', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app, 'Megan Bowen');
    const expected = stack.tenant.groupsOf(oidOf('Megan Bowen'));
    assert.ok(expected.length > 0 && expected.length <= 200, 'Megan is in a few groups');
    stack.tenant.resetCounts();
    const page = await agent.go(`${stack.app.origin}/groups`);
    assert.equal(page.status, 200);
    assert.match(page.body, /From the <code>groups<\/code> claim/);
    assert.match(page.body, new RegExp(`${expected.length} groups?<`));
    for (const id of expected) assert.match(page.body, new RegExp(id));
    assert.equal(stack.tenant.counts().graph, 0);
  });

  it('should show the token\'s group ids with a note that names need GroupMember.Read.All, and no Graph call, when the groups are listed in the token', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app, 'Megan Bowen');
    stack.tenant.resetCounts();
    const page = await agent.go(`${stack.app.origin}/groups?page=2`);
    assert.equal(page.status, 200);
    assert.match(page.body, /data-testid="groups-names-note">[^<]*names would need Microsoft Graph with <code>GroupMember\.Read\.All<\/code>/);
    assert.deepEqual(shownNames(page.body), []);
    assert.doesNotMatch(page.body, /data-testid="groups-paging"/, 'a few groups fit one page');
    assert.equal(stack.tenant.counts().graph, 0);
    assert.equal(stack.tenant.counts().authorize, 0, 'no consent prompt');
  });

  it('should say so when the user is in no group', async () => {
    const agent = new Agent();
    const name = stack.tenant.users.find((u) => stack.tenant.groupsOf(u.oid).length === 0)!.displayName;
    await signIn(agent, stack.app, name);
    const page = await agent.go(`${stack.app.origin}/groups`);
    assert.equal(page.status, 200);
    assert.match(page.body, /0 groups/);
  });

  it('should answer 403 ADMIN_CONSENT_REQUIRED naming GroupMember.Read.All, keeping the session, when a user who is not an administrator leaves Need admin approval', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app, 'Patti Fernandez');
    const details = await agent.go(`${stack.app.origin}/token_details`);
    assert.match(details.body, /<code>_claim_names<\/code>/, 'the overage is in the ID token');
    assert.match(details.body, /<code>_claim_names<\/code><\/th><td[^>]*>[^<]*<\/td><td[^>]*>Groups overage: too many groups for the token; the Groups page asks Microsoft Graph for them \(POST \/me\/getMemberGroups\)</);
    assert.match(details.body, /<code>_claim_sources<\/code><\/th><td[^>]*>[^<]*<\/td><td[^>]*>[^<]*the app does not call it, it uses POST \/me\/getMemberGroups on the Groups page</);
    assert.doesNotMatch(details.body, /does not look them up/);
    assert.doesNotMatch(details.body, /<code>groups<\/code>/);

    const first = await agent.raw(`${stack.app.origin}/groups`);
    assert.equal(first.status, 303, 'no consent for GroupMember.Read.All yet');
    assert.equal(first.headers.get('location'), '/auth/sign_in?next=%2Fgroups');
    const start = await agent.raw(`${stack.app.origin}${first.headers.get('location')}`);
    assert.ok(new URL(start.headers.get('location')!).searchParams.get('scope')!.split(' ').includes('GroupMember.Read.All'));
    const approval = await pickAccount(agent, stack.app, await agent.go(start.headers.get('location')!), 'Patti Fernandez');
    assert.match(approval.body, /<h1>Need admin approval<\/h1>/);
    const page = await agent.submit(approval, /Return to the application without granting consent/);
    assert.equal(page.status, 403);
    assert.match(page.body, /data-testid="error-code">ADMIN_CONSENT_REQUIRED</);
    assert.match(page.body, /<dt>Permission needed<\/dt><dd>GroupMember\.Read\.All<\/dd>/);
    assert.match(page.body, /Enterprise apps › the app with client ID [0-9a-f-]+ › Permissions › Grant admin consent for your organization/);
    assert.match(page.body, /https:\/\/learn\.microsoft\.com\/entra\/identity\/enterprise-apps\/grant-admin-consent/);
    assert.doesNotMatch(page.body, /Sign-in was cancelled/);
    assert.equal(stack.tenant.graphCalls.length, 0);
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 200, 'still signed in');
    assert.match((await agent.go(`${stack.app.origin}/`)).body, /Welcome, Patti Fernandez/);
  });

  it('should resolve the groups overage through Graph with one refresh and no interaction after an administrator granted GroupMember.Read.All', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app, 'Patti Fernandez');
    // Granted while Patti is signed in: her refresh token, issued before, gets the permission.
    stack.tenant.grantAdminConsent('GroupMember.Read.All');
    stack.tenant.resetCounts();
    const page = await agent.go(`${stack.app.origin}/groups`);
    assert.equal(page.url, `${stack.app.origin}/groups`);
    assert.equal(page.status, 200);
    assert.match(page.body, /groups overage/);
    const expected = stack.tenant.groupsOf(oidOf('Patti Fernandez'));
    assert.ok(expected.length > 200);
    assert.match(page.body, new RegExp(`${expected.length} groups · page 1 of 13<`));
    assert.deepEqual(shownNames(page.body), expected.slice(0, 20).map((id) => html(nameOf(id))), 'the first 20 groups, by name');
    assert.ok(!page.body.includes(expected[20]!), 'the 21st group is on page 2');
    assert.match(page.body, /<a rel="next" href="\/groups\?page=2">Next<\/a>/);
    assert.doesNotMatch(page.body, /rel="prev"/);
    const calls = stack.tenant.graphCalls.map((c) => [c.path.split('?')[0], c.status]);
    assert.deepEqual(calls[0], ['/v1.0/me/getMemberGroups', 200]);
    assert.deepEqual(calls.slice(1).map((c) => c[0]).sort(), expected.slice(0, 20).map((id) => `/v1.0/groups/${id}`).sort(), 'names of the shown page only');
    assert.equal(stack.tenant.counts().authorize, 0, 'no interaction');
    assert.deepEqual(stack.tenant.counts().tokenByGrant, { refresh_token: 1 });

    stack.tenant.resetCounts();
    assert.equal((await agent.go(`${stack.app.origin}/groups`)).status, 200);
    assert.equal(stack.tenant.counts().token, 0, 'the consented token is cached');
    assert.equal(stack.tenant.counts().graph, 21);
  });

  it('should show the last 10 group names with a Previous link and no Next link when the overage user opens page 13', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app, 'Patti Fernandez');
    const expected = stack.tenant.groupsOf(oidOf('Patti Fernandez'));
    assert.equal(expected.length, 250);
    stack.tenant.resetCounts();
    const page = await agent.go(`${stack.app.origin}/groups?page=13`);
    assert.equal(page.status, 200);
    assert.match(page.body, /250 groups · page 13 of 13</);
    assert.deepEqual(shownNames(page.body), expected.slice(240).map((id) => html(nameOf(id))));
    assert.match(page.body, /<a rel="prev" href="\/groups\?page=12">Previous<\/a>/);
    assert.doesNotMatch(page.body, /rel="next"/);
    assert.equal(stack.tenant.counts().graph, 11, 'getMemberGroups and 10 names');
  });

  for (const bad of ['abc', '0', '-2', '2.5', '1e1', '%3Cscript%3E', '999999999']) {
    it(`should show page 1 when the page number is ${bad}`, async () => {
      const agent = new Agent();
      await signIn(agent, stack.app, 'Patti Fernandez');
      const expected = stack.tenant.groupsOf(oidOf('Patti Fernandez'));
      const page = await agent.go(`${stack.app.origin}/groups?page=${bad}`);
      assert.equal(page.status, 200);
      assert.match(page.body, /page 1 of 13</);
      assert.deepEqual(shownNames(page.body), expected.slice(0, 20).map((id) => html(nameOf(id))));
      assert.doesNotMatch(page.body, /<script>/);
    });
  }

  it('should show Graph\'s error with the session kept when the lookup fails', async () => {
    const agent = new Agent();
    await signIn(agent, stack.app, 'Patti Fernandez');
    // An administrator granted GroupMember.Read.All in the test before: no interaction.
    const ready = await agent.go(`${stack.app.origin}/groups`);
    assert.equal(ready.status, 200);
    stack.tenant.injectFault('graph', { status: 500 });
    const page = await agent.go(`${stack.app.origin}/groups`);
    assert.equal(page.status, 502);
    assert.equal((await agent.go(`${stack.app.origin}/token_details`)).status, 200);
  });
});
