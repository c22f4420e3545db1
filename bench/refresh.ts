/**
 * B7: token refresh under load. One user signs in while the tenant issues access tokens that MSAL
 * already counts as expired (it refreshes tokens expiring within 300 s); then `plan.refreshCalls`
 * concurrent Graph calls must cause exactly one refresh request.
 */
import type { DevTenant } from '@contoso/dev-tenant';
import type { Plan } from './plan.ts';
import type { Row } from './report.ts';
import { signInTo } from './signin.ts';

const EXPIRED_TTL_SECONDS = 120;
const NORMAL_TTL_SECONDS = 3600;

export async function refreshRow(tenant: DevTenant, origin: string, store: string, plan: Plan): Promise<Row> {
  // Another user than B1/B2's, so their cached token is left alone.
  const user = tenant.users[1]?.displayName ?? 'Megan Bowen';
  tenant.setAccessTokenTtl(EXPIRED_TTL_SECONDS);
  let agent;
  try {
    agent = await signInTo(origin, user);
  } finally {
    tenant.setAccessTokenTtl(NORMAL_TTL_SECONDS);
  }
  tenant.resetCounts();
  const statuses = await Promise.all(Array.from({ length: plan.refreshCalls }, async () => {
    const response = await agent.raw(`${origin}/call_ms_graph`);
    await response.body?.cancel();
    return response.status;
  }));
  const counts = tenant.counts();
  const refreshes = counts.tokenByGrant['refresh_token'] ?? 0;
  const ok = statuses.filter((s) => s === 200).length;
  return {
    id: 'B7', store, metric: `refresh requests for ${plan.refreshCalls} concurrent Graph calls, expired token`,
    value: `${refreshes} refresh (token requests ${counts.token}; ${ok}/${plan.refreshCalls} answered 200)`,
    goal: 'exactly 1',
    pass: refreshes === 1 && counts.token === 1 && ok === plan.refreshCalls,
    kind: 'count',
    data: { counts, statuses },
  };
}
