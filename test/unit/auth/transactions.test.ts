import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Session, SessionData } from 'express-session';
import { beginTransaction, pendingTransactions, takeTransaction, TRANSACTION_TTL_MS } from '../../../src/auth/transactions.ts';

type FakeSession = Session & Partial<SessionData>;
const newSession = () => ({}) as FakeSession;

describe('login transactions', () => {
  it('should make a fresh state, nonce and S256 challenge for each sign-in', () => {
    const session = newSession();
    const a = beginTransaction(session, { returnTo: '/', scopes: ['User.ReadBasic.All'] });
    const b = beginTransaction(session, { returnTo: '/x', scopes: ['User.ReadBasic.All'] });
    assert.notEqual(a.state, b.state);
    assert.notEqual(a.nonce, b.nonce);
    assert.ok(a.state.length >= 43, 'state has at least 256 bits');
    const tx = session.loginTransactions![a.state]!;
    assert.equal(a.codeChallenge, createHash('sha256').update(tx.codeVerifier).digest('base64url'));
  });

  it('should keep two tabs\' sign-ins apart and hand each out once', () => {
    const session = newSession();
    const a = beginTransaction(session, { returnTo: '/a', scopes: ['s'] });
    const b = beginTransaction(session, { returnTo: '/b', scopes: ['s'] });
    assert.equal(takeTransaction(session, b.state)?.returnTo, '/b');
    assert.equal(takeTransaction(session, b.state), undefined, 'used once');
    assert.equal(takeTransaction(session, a.state)?.returnTo, '/a');
  });

  it('should refuse a transaction older than ten minutes', () => {
    const session = newSession();
    const start = 1_000_000;
    const { state } = beginTransaction(session, { returnTo: '/', scopes: ['s'] }, start);
    assert.equal(takeTransaction(session, state, start + TRANSACTION_TTL_MS), undefined);
    assert.deepEqual(session.loginTransactions, {}, 'the expired transaction is removed');
  });

  it('should refuse prototype keys as state', () => {
    const session = newSession();
    beginTransaction(session, { returnTo: '/', scopes: ['s'] });
    assert.equal(takeTransaction(session, '__proto__'), undefined);
    assert.equal(takeTransaction(session, 'constructor'), undefined);
  });

  it('should keep at most five pending sign-ins, dropping the oldest', () => {
    const session = newSession();
    const states = Array.from({ length: 7 }, (_, i) => beginTransaction(session, { returnTo: `/${i}`, scopes: ['s'] }, 1000 + i).state);
    const pending = pendingTransactions(session, 2000);
    assert.equal(Object.keys(pending).length, 5);
    assert.equal(pending[states[0]!], undefined);
    assert.ok(pending[states[6]!]);
  });
});
