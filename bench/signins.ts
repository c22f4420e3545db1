/**
 * B3 and B4 on a freshly started app: the identity provider's traffic per sign-in (the first one,
 * then each later one), and how long a whole HTTP-driven sign-in takes, with the app's own share.
 */
import type { DevTenant, DevTenantCounts } from '@contoso/dev-tenant';
import type { Plan } from './plan.ts';
import type { Row } from './report.ts';
import { timedSignIn } from './signin.ts';
import type { TimedSignIn } from './signin.ts';
import { percentile, round } from './stats.ts';

/** The app's own share of a sign-in may take at most this long (p50). */
const APP_SHARE_GOAL_MS = 10;

function traffic(c: DevTenantCounts): string {
  return `discovery ${c.discovery}, keys ${c.jwks}, token ${c.token}`;
}

/** Every later sign-in made exactly one token request (an authorization code) and no discovery or key-set request. */
function b3Row(store: string, first: TimedSignIn, later: readonly TimedSignIn[]): Row {
  const oneCode = (c: DevTenantCounts) => c.token === 1 && c.tokenByGrant['authorization_code'] === 1;
  const laterOk = later.every(({ counts: c }) => oneCode(c) && c.discovery === 0 && c.jwks === 0);
  const worst = later.find(({ counts: c }) => !(oneCode(c) && c.discovery === 0 && c.jwks === 0));
  const laterText = laterOk ? `each of the next ${later.length}: discovery 0, keys 0, token 1` : `a later one: ${traffic(worst!.counts)}`;
  return {
    id: 'B3', store, metric: 'identity-provider requests per sign-in',
    value: `first: ${traffic(first.counts)}; ${laterText}`,
    goal: '1 token request each; 0 discovery, 0 keys after the first',
    pass: oneCode(first.counts) && laterOk,
    kind: 'count',
    data: { first: first.counts, later: later.map((s) => s.counts) },
  };
}

function b4Row(store: string, later: readonly TimedSignIn[]): Row {
  const totals = later.map((s) => s.totalMs);
  const shares = later.map((s) => s.appMs);
  const p = (values: number[], q: number) => round(percentile(values, q), 1);
  return {
    id: 'B4', store, metric: `HTTP sign-in (sign_in → … → home), ${later.length} sign-ins`,
    value: `total p50 ${p(totals, 50)} / p99 ${p(totals, 99)} ms; app's share p50 ${p(shares, 50)} / p99 ${p(shares, 99)} ms`,
    goal: `app's share ≤ ${APP_SHARE_GOAL_MS} ms p50`,
    pass: percentile(shares, 50) <= APP_SHARE_GOAL_MS,
    kind: 'measure',
    data: { totalMs: totals, appShareMs: shares },
  };
}

/**
 * The first sign-in of a fresh app (it may fetch the key set once), then `plan.signIns` more,
 * one at a time (the tenant's counters are global).
 */
export async function signInRows(tenant: DevTenant, origin: string, store: string, plan: Plan): Promise<Row[]> {
  const first = await timedSignIn(tenant, origin);
  const later: TimedSignIn[] = [];
  for (let i = 0; i < plan.signIns; i++) later.push(await timedSignIn(tenant, origin));
  return [b3Row(store, first, later), b4Row(store, later)];
}
