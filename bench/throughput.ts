/**
 * B1 and B2: throughput of the signed-in pages against the baseline, in alternating rounds.
 * B1: /token_details (session read + template). B2: /call_ms_graph with the access token cached
 * (so the tenant must see no token request), against a baseline making the same Graph call.
 */
import type { DevTenant } from '@contoso/dev-tenant';
import { interleaved } from './load.ts';
import type { LoadSummary, LoadTarget } from './load.ts';
import type { Plan } from './plan.ts';
import type { Row } from './report.ts';
import { sessionCookie, signInTo } from './signin.ts';
import { round } from './stats.ts';

export interface ThroughputInput {
  readonly tenant: DevTenant;
  readonly appOrigin: string;
  readonly baselineOrigin: string;
  readonly store: string;
  readonly plan: Plan;
}

/** A session on the baseline (its /seed route), as a Cookie header. */
async function baselineCookie(origin: string): Promise<string> {
  const response = await fetch(`${origin}/seed`);
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
  if (response.status !== 204 || !cookie) throw new Error(`baseline /seed answered ${response.status}`);
  return cookie;
}

/** Throws unless `url` answers 200 with `cookie` (a signed-in page, not a redirect to sign in). */
async function expect200(url: string, cookie: string): Promise<void> {
  const response = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  await response.body?.cancel();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status} to a signed-in session`);
}

function describe(s: LoadSummary): string {
  return `${Math.round(s.rps)} req/s (p50 ${s.p50} / p99 ${s.p99} ms)`;
}

function compare(input: ThroughputInput, path: string, results: Map<string, LoadSummary>, goal: number): Pick<Row, 'value' | 'pass' | 'data'> {
  const app = results.get('app')!;
  const base = results.get('baseline')!;
  const ratio = app.rps / base.rps;
  const failures = app.bad + base.bad > 0 ? `; ${app.bad} app / ${base.bad} baseline non-2xx or errors` : '';
  return {
    value: `${round(ratio, 2)}× — app ${describe(app)} vs baseline ${describe(base)}${failures}`,
    pass: ratio >= goal && app.bad + base.bad === 0,
    data: { path, ratio, app, baseline: base, rounds: input.plan.rounds, roundSeconds: input.plan.roundSeconds },
  };
}

async function measure(input: ThroughputInput, path: string, appCookie: string, baseCookie: string): Promise<Map<string, LoadSummary>> {
  const targets: LoadTarget[] = [
    { name: 'app', url: `${input.appOrigin}${path}`, cookie: appCookie },
    { name: 'baseline', url: `${input.baselineOrigin}${path}`, cookie: baseCookie },
  ];
  for (const t of targets) await expect200(t.url, t.cookie);
  const { plan } = input;
  return interleaved(targets, { rounds: plan.rounds, seconds: plan.roundSeconds, connections: plan.connections, warmupSeconds: 1 });
}

/** B1 and B2 for the app at `appOrigin` (already started) with one signed-in session. */
export async function throughputRows(input: ThroughputInput): Promise<Row[]> {
  const appCookie = sessionCookie(await signInTo(input.appOrigin, 'Megan Bowen'), input.appOrigin);
  const baseCookie = await baselineCookie(input.baselineOrigin);
  const { store, plan } = input;
  const conns = `${plan.connections} connections`;

  const b1 = compare(input, '/token_details', await measure(input, '/token_details', appCookie, baseCookie), 0.85);
  const rows: Row[] = [{ id: 'B1', store, metric: `/token_details req/s, signed in, ${conns}`, goal: '≥ 0.85× baseline req/s', kind: 'measure', ...b1 }];

  // The shipped config asks Graph scopes when the page is first used: that one refresh happens before B2 counts.
  await expect200(`${input.appOrigin}/call_ms_graph`, appCookie);
  input.tenant.resetCounts();
  const b2 = compare(input, '/call_ms_graph', await measure(input, '/call_ms_graph', appCookie, baseCookie), 0.8);
  const counts = input.tenant.counts();
  rows.push({ id: 'B2', store, metric: `/call_ms_graph req/s, token cached, ${conns}`, goal: '≥ 0.8× baseline (same Graph call, fixed token)', kind: 'measure', ...b2 });
  rows.push({
    id: 'B2', store, metric: 'token-endpoint requests during B2', value: `${counts.token} (Graph calls, app + baseline: ${counts.graph})`, goal: '0',
    pass: counts.token === 0, kind: 'count', data: { counts },
  });
  return rows;
}
