import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import type { NextFunction, Request, Response } from 'express';

import { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';
import { entraErrorBody } from './entra-errors.ts';
import type { DevTenantCounts, Fault, FaultTarget, GraphCall, RequestTiming } from './types.ts';

/** Endpoints the tenant counts; the fault targets are a subset. */
export type CountedEndpoint = FaultTarget | 'authorize' | 'endSession';

const FAULT_TARGETS: readonly FaultTarget[] = ['discovery', 'jwks', 'token', 'graph'];

/** Timings kept at most; the oldest go first, so a long-running tenant does not grow without bound. */
export const MAX_TIMINGS = 10_000;

function zeroCounts(): DevTenantCounts {
  return { discovery: 0, jwks: 0, authorize: 0, token: 0, tokenByGrant: {}, endSession: 0, graph: 0 };
}

/** Request counters, the Graph call log and per-request timings, all cleared by reset(). */
export class RequestLog {
  #counts = zeroCounts();
  #graphCalls: GraphCall[] = [];
  #timings: RequestTiming[] = [];

  count(endpoint: CountedEndpoint): void {
    this.#counts[endpoint] += 1;
  }

  countGrant(grantType: string): void {
    this.#counts.tokenByGrant[grantType] = (this.#counts.tokenByGrant[grantType] ?? 0) + 1;
  }

  recordGraphCall(call: GraphCall): void {
    this.#graphCalls.push(Object.freeze({ ...call }));
  }

  recordTiming(timing: RequestTiming): void {
    if (this.#timings.length >= MAX_TIMINGS) this.#timings.shift();
    this.#timings.push(Object.freeze({ ...timing }));
  }

  /** A frozen copy of the timings, oldest first (at most MAX_TIMINGS). */
  timings(): readonly RequestTiming[] {
    return Object.freeze([...this.#timings]);
  }

  /** A copy of the counters. */
  counts(): DevTenantCounts {
    return { ...this.#counts, tokenByGrant: { ...this.#counts.tokenByGrant } };
  }

  /** A frozen copy of the Graph calls, oldest first. */
  graphCalls(): readonly GraphCall[] {
    return Object.freeze([...this.#graphCalls]);
  }

  reset(): void {
    this.#counts = zeroCounts();
    this.#graphCalls = [];
    this.#timings = [];
  }
}

function invalidFault(message: string): DevTenantError {
  return new DevTenantError(DEV_TENANT_ERROR_CODES.invalidOption, `injectFault: ${message}`);
}

function checkFault(target: FaultTarget, fault: Fault): void {
  if (!FAULT_TARGETS.includes(target)) throw invalidFault(`unknown target "${String(target)}" (use ${FAULT_TARGETS.join(', ')})`);
  const { status, delayMs = 0, times = 1, raw, contentType, reset } = fault;
  if (!Number.isInteger(status) || (status !== 0 && (status < 100 || status > 599))) throw invalidFault('status must be 0 (delay only) or 100..599');
  if (raw !== undefined && (typeof raw !== 'string' || (status === 0 && !reset))) throw invalidFault('raw must be a string, with a status 100..599');
  if (contentType !== undefined && typeof contentType !== 'string') throw invalidFault('contentType must be a string');
  if (reset !== undefined && typeof reset !== 'boolean') throw invalidFault('reset must be a boolean');
  if (!Number.isFinite(delayMs) || delayMs < 0) throw invalidFault('delayMs must be >= 0');
  if (!Number.isInteger(times) || times < 1) throw invalidFault('times must be a positive integer');
}

/**
 * Queued faults per target, first in first out: each injected fault answers the next `times`
 * requests to its target, then the next queued fault (if any) takes over.
 */
export class FaultQueue {
  readonly #queues = new Map<FaultTarget, Array<{ fault: Fault; left: number }>>();

  inject(target: FaultTarget, fault: Fault): void {
    checkFault(target, fault);
    const queue = this.#queues.get(target) ?? [];
    queue.push({ fault: { ...fault }, left: fault.times ?? 1 });
    this.#queues.set(target, queue);
  }

  /** The fault for the next request to `target`, consuming one use of it. */
  take(target: FaultTarget): Fault | undefined {
    const queue = this.#queues.get(target);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.left -= 1;
    if (head.left <= 0) queue.shift();
    return head.fault;
  }

  clear(): void {
    this.#queues.clear();
  }
}

function defaultBody(target: FaultTarget, status: number): unknown {
  if (target === 'graph') {
    return { error: { code: 'serviceNotAvailable', message: `Injected fault (HTTP ${status}).`, innerError: { date: new Date().toISOString().slice(0, 19), 'request-id': randomUUID() } } };
  }
  return entraErrorBody('temporarily_unavailable', `AADSTS50000: The development tenant injected this fault (HTTP ${status}).`);
}

async function grantTypeOf(req: Request): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('grant_type') ?? 'unknown';
}

/** Dependencies of {@link trafficMiddleware}. */
export interface TrafficDeps {
  classify(req: Request): CountedEndpoint | undefined;
  log: RequestLog;
  faults: FaultQueue;
  /** Aborted when the tenant closes, so pending fault delays end at once. */
  signal: AbortSignal;
}

/** Answers the fault (a reset, raw text or JSON), recording token and Graph requests like served ones; a reset is Graph status 0. */
async function answerFault(target: FaultTarget, fault: Fault, req: Request, res: Response, deps: TrafficDeps): Promise<void> {
  if (target === 'token') deps.log.countGrant(await grantTypeOf(req));
  if (target === 'graph') deps.log.recordGraphCall({ path: req.originalUrl, status: fault.reset ? 0 : fault.status });
  if (fault.reset) {
    req.socket.destroy();
    return;
  }
  res.status(fault.status).set({ 'Cache-Control': 'no-store', ...fault.headers });
  if (fault.raw !== undefined) {
    res.set('Content-Type', fault.contentType ?? 'text/html').send(fault.raw);
    return;
  }
  res.json(fault.body === undefined ? defaultBody(target, fault.status) : fault.body);
}

/** Records how long the request took once its response is done (status 0 when the connection was cut first). */
function timeResponse(endpoint: CountedEndpoint, res: Response, log: RequestLog): void {
  const started = performance.now();
  res.once('close', () => {
    log.recordTiming({ target: endpoint, ms: performance.now() - started, status: res.writableFinished ? res.statusCode : 0 });
  });
}

/**
 * Counts requests per endpoint, times them, and applies injected faults: after `delayMs`, a fault
 * with `reset` destroys the connection, a fault with a status answers it (raw text or JSON body);
 * a fault with status 0 only delays, then the request is served.
 */
export function trafficMiddleware(deps: TrafficDeps) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const endpoint = deps.classify(req);
    if (endpoint === undefined) return next();
    deps.log.count(endpoint);
    timeResponse(endpoint, res, deps.log);
    const target = FAULT_TARGETS.includes(endpoint as FaultTarget) ? (endpoint as FaultTarget) : undefined;
    const fault = target === undefined ? undefined : deps.faults.take(target);
    if (!fault || target === undefined) return next();
    if (fault.delayMs) {
      try {
        await sleep(fault.delayMs, undefined, { signal: deps.signal });
      } catch {
        res.destroy(); // the tenant is closing
        return;
      }
    }
    if (fault.status === 0 && !fault.reset) return next();
    await answerFault(target, fault, req, res, deps);
  };
}
