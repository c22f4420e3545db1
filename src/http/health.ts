import express from 'express';
import type { Authorities } from '../auth/authorities.ts';

/** How long readiness waits for the store's answer. */
const PING_TIMEOUT_MS = 1000;

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  return Promise.race([promise, new Promise<void>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

/**
 * `/healthz`: the process is up. `/readyz`: the store answers and every user flow's authority metadata is loaded
 * (a missing one is fetched in the background). Unauthenticated, no session, no secrets.
 */
export function healthRouter(authorities: Authorities, ping: () => Promise<void>): express.Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const store = await withTimeout(ping(), PING_TIMEOUT_MS).then(() => 'ok', () => 'unavailable');
    if (!authorities.loaded) authorities.loadAll().catch(() => {});
    const authority = authorities.loaded ? 'ok' : 'not loaded';
    const ready = store === 'ok' && authority === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', store, authority });
  });
  return router;
}
