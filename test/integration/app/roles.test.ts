import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agent, signIn, startApp, useStack } from '../../helpers/stack.ts';
import type { AppUnderTest } from '../../helpers/stack.ts';

describe('app roles', () => {
  const stack = useStack();

  it('should show the claims dashboard to a user with the Employee role', async () => {
    const agent = new Agent();
    const home = await signIn(agent, stack.app, 'Megan Bowen');
    assert.match(home.body, /data-testid="roles">App roles:\s*<span[^>]*>Employee<\/span>/);
    const page = await agent.go(`${stack.app.origin}/claims_dashboard`);
    assert.equal(page.status, 200);
    assert.match(page.body, /data-testid="insurance-claims"/);
    assert.match(page.body, /CLM-10421/);
  });

  it('should answer 403 naming the missing role when the user only has the Client role', async () => {
    const agent = new Agent();
    const home = await signIn(agent, stack.app, 'Alex Wilber');
    assert.match(home.body, />Client<\/span>/);
    const page = await agent.go(`${stack.app.origin}/claims_dashboard`);
    assert.equal(page.status, 403);
    assert.match(page.body, /only for users with the app role “Employee”/);
    assert.match(page.body, /Missing role[\s\S]*Employee/);
    assert.match(page.body, /Your roles[\s\S]*Client/);
    assert.doesNotMatch(page.body, /CLM-10421/);
    assert.match(stack.app.logs.join('\n'), /"code":"ROLE_MISSING"/);
  });

  it('should mark the home page\'s dashboard link "needs the Employee role" when the user lacks the role, and not when the user has it', async () => {
    const alex = await signIn(new Agent(), stack.app, 'Alex Wilber');
    assert.match(alex.body, /data-testid="dashboard-link">Claims dashboard \(needs the Employee role\)</);
    const megan = await signIn(new Agent(), stack.app, 'Megan Bowen');
    assert.match(megan.body, /data-testid="dashboard-link">Claims dashboard \(Employee\)</);
    assert.doesNotMatch(megan.body, /needs the Employee role/);
  });

  it('should say "none assigned" on the home page and refuse the dashboard for a user without roles', async () => {
    const agent = new Agent();
    const home = await signIn(agent, stack.app, 'Grady Archie');
    assert.match(home.body, /none assigned/);
    assert.equal((await agent.go(`${stack.app.origin}/claims_dashboard`)).status, 403);
  });

  it('should answer 401 with a Sign In link back to the dashboard when nobody is signed in', async () => {
    const page = await new Agent().go(`${stack.app.origin}/claims_dashboard`);
    assert.equal(page.status, 401);
    assert.match(page.body, /\/auth\/sign_in\?next=%2Fclaims_dashboard/);
  });

  describe('with roles configured', () => {
    let app: AppUnderTest;
    before(async () => {
      app = await startApp(stack.tenant, { dashboardRoles: 'Client' });
    });
    after(() => app.close());

    it('should follow CLAIMS_DASHBOARD_ROLES instead of a hard-coded role', async () => {
      const client = new Agent();
      await signIn(client, app, 'Alex Wilber');
      assert.equal((await client.go(`${app.origin}/claims_dashboard`)).status, 200);
      const employee = new Agent();
      await signIn(employee, app, 'Megan Bowen');
      const page = await employee.go(`${app.origin}/claims_dashboard`);
      assert.equal(page.status, 403);
      assert.match(page.body, /“Client”/);
    });
  });

  it('should answer 404 for sign-up and profile editing, which only External ID and B2C offer', async () => {
    const agent = new Agent();
    assert.equal((await agent.go(`${stack.app.origin}/auth/sign_up`)).status, 404);
    await signIn(agent, stack.app);
    const page = await agent.go(`${stack.app.origin}/auth/edit_profile`);
    assert.equal(page.status, 404);
    assert.match(page.body, /Profile editing is not available/);
  });
});
