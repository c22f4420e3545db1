import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { FaultQueue, RequestLog } from '../../src/traffic.ts';

describe('FaultQueue', () => {
  it('should hand out a fault `times` times, then the next one, then nothing', () => {
    const queue = new FaultQueue();
    queue.inject('token', { status: 500, times: 2 });
    queue.inject('token', { status: 503 });
    assert.deepEqual([1, 2, 3, 4].map(() => queue.take('token')?.status), [500, 500, 503, undefined]);
    assert.equal(queue.take('graph'), undefined);
  });
  it('should refuse faults that make no sense', () => {
    const queue = new FaultQueue();
    assert.throws(() => queue.inject('token', { status: 700 }), { code: 'DEV_TENANT_INVALID_OPTION' });
    assert.throws(() => queue.inject('token', { status: 500, times: 0 }), { code: 'DEV_TENANT_INVALID_OPTION' });
    assert.throws(() => queue.inject('token', { status: 500, delayMs: -1 }), { code: 'DEV_TENANT_INVALID_OPTION' });
  });
});

describe('RequestLog', () => {
  it('should return copies that later requests do not change', () => {
    const log = new RequestLog();
    log.count('token');
    log.countGrant('refresh_token');
    const before = log.counts();
    log.count('token');
    log.countGrant('refresh_token');
    assert.equal(before.token, 1);
    assert.deepEqual(before.tokenByGrant, { refresh_token: 1 });
    assert.equal(log.counts().token, 2);
  });
});
