/**
 * B6: cold start of the app alone (the development tenant already running elsewhere): spawn of
 * `node src/start.ts` to the first 200 on `/`, each start with a fresh data directory.
 */
import type { DevTenant } from '@contoso/dev-tenant';
import type { Plan } from './plan.ts';
import type { Row } from './report.ts';
import { appEnv, serveApp, tempDir } from './stack.ts';
import { median, round } from './stats.ts';

const GOAL_MS = 500;

export async function coldStartRow(tenant: DevTenant, port: number, plan: Plan): Promise<Row> {
  const runs: number[] = [];
  for (let i = 0; i < plan.coldStarts; i++) {
    const dir = tempDir('bench-cold-');
    try {
      const app = await serveApp(appEnv(tenant, port, dir.path, { store: 'sqlite' }));
      runs.push(app.readyAfterMs);
      await app.child.stop();
    } finally {
      dir.remove();
    }
  }
  const value = median(runs);
  return {
    id: 'B6', store: 'sqlite', metric: `cold start: spawn → first 200 on / (median of ${runs.length})`,
    value: `${Math.round(value)} ms (runs: ${runs.map((r) => Math.round(r)).join(', ')})`,
    goal: `≤ ${GOAL_MS} ms`,
    pass: value <= GOAL_MS,
    kind: 'measure',
    data: { runsMs: runs.map((r) => round(r, 1)) },
  };
}
