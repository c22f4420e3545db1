import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { beginTransaction, livePending, takeTransaction, TRANSACTION_TTL_MS } from '../../../src/auth/transactions.ts';
import type { LoginTransaction, TransactionRequest } from '../../../src/auth/transactions.ts';

/** Starts sign-ins one after another, as one browser would; returns its pending list and the states. */
function startAll(requests: TransactionRequest[], at = (i: number) => Date.now() + i) {
  let pending: LoginTransaction[] = [];
  const states = requests.map((request, i) => {
    const next = beginTransaction(pending, request, at(i));
    pending = next.pending;
    return next.started;
  });
  return { pending, states };
}

describe('login transactions', () => {
  it('should make a fresh state, nonce and S256 challenge for each sign-in', () => {
    const { pending, states: [a, b] } = startAll([{ returnTo: '/', scopes: ['User.ReadBasic.All'] }, { returnTo: '/x', scopes: ['User.ReadBasic.All'] }]);
    assert.notEqual(a!.state, b!.state);
    assert.notEqual(a!.nonce, b!.nonce);
    assert.ok(a!.state.length >= 43, 'state has at least 256 bits');
    const tx = pending.find((t) => t.state === a!.state)!;
    assert.equal(a!.codeChallenge, createHash('sha256').update(tx.codeVerifier).digest('base64url'));
  });

  it('should keep two tabs\' sign-ins apart and hand each out once', () => {
    const { pending, states: [a, b] } = startAll([{ returnTo: '/a', scopes: ['s'] }, { returnTo: '/b', scopes: ['s'] }]);
    const first = takeTransaction(pending, b!.state);
    assert.equal(first.tx?.returnTo, '/b');
    assert.equal(takeTransaction(first.rest, b!.state).tx, undefined, 'used once');
    assert.equal(takeTransaction(first.rest, a!.state).tx?.returnTo, '/a');
  });

  it('should refuse a transaction older than ten minutes', () => {
    const start = 1_000_000;
    const { pending, states: [a] } = startAll([{ returnTo: '/', scopes: ['s'] }], () => start);
    const taken = takeTransaction(pending, a!.state, start + TRANSACTION_TTL_MS);
    assert.equal(taken.tx, undefined);
    assert.deepEqual(taken.rest, [], 'the expired transaction is removed');
  });

  it('should refuse prototype keys as state', () => {
    const { pending } = startAll([{ returnTo: '/', scopes: ['s'] }]);
    assert.equal(takeTransaction(pending, '__proto__').tx, undefined);
    assert.equal(takeTransaction(pending, 'constructor').tx, undefined);
  });

  it('should keep at most five pending sign-ins, dropping the oldest', () => {
    const { pending, states } = startAll(Array.from({ length: 7 }, (_, i) => ({ returnTo: `/${i}`, scopes: ['s'] })), (i) => 1000 + i);
    const live = livePending(pending, 2000);
    assert.equal(live.length, 5);
    assert.equal(live.some((t) => t.state === states[0]!.state), false);
    assert.ok(live.some((t) => t.state === states[6]!.state));
  });
});
