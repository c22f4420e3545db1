import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConsumedStates } from '../../../src/auth/consumed-states.ts';
import { seal, sealingKey, unseal } from '../../../src/auth/seal.ts';
import { cookieValue, MAX_SEALED_LENGTH, openTransactions, sealTransactions } from '../../../src/auth/transaction-cookie.ts';
import { beginTransaction, TRANSACTION_TTL_MS } from '../../../src/auth/transactions.ts';
import type { LoginTransaction } from '../../../src/auth/transactions.ts';

const SECRET = 'unit-test-session-secret-0123456789abcdef';
const key = sealingKey(SECRET, 'login-transactions/v1');
const NAME = 'signin';

/** `count` pending sign-ins of one browser, one millisecond apart from `start`. */
function pendingOf(count: number, start = Date.now(), returnTo = '/'): LoginTransaction[] {
  let pending: LoginTransaction[] = [];
  for (let i = 0; i < count; i++) {
    pending = beginTransaction(pending, { returnTo, scopes: ['openid', 'profile', 'offline_access', 'User.ReadBasic.All'] }, start + i).pending;
  }
  return pending;
}

/** Flips one bit of the byte at `index` of a base64url value. */
function flip(value: string, index: number): string {
  const raw = Buffer.from(value, 'base64url');
  raw[index] = raw[index]! ^ 1;
  return raw.toString('base64url');
}

describe('sealed values (AES-256-GCM)', () => {
  it('should open what it sealed and nothing else when a bit of the IV, tag or ciphertext changes', () => {
    const value = seal(key, 'ctx', 'hello');
    assert.equal(unseal(key, 'ctx', value), 'hello');
    for (const index of [0, 11, 12, 27, 28]) assert.equal(unseal(key, 'ctx', flip(value, index)), undefined, `byte ${index}`);
    assert.equal(unseal(key, 'ctx', value.slice(0, -2)), undefined, 'cut short');
    assert.equal(unseal(key, 'ctx', `${value}!`), undefined, 'not base64url');
  });

  it('should not open a value sealed for another purpose, cookie name or secret', () => {
    const value = seal(key, 'login-transactions/v1\0signin', 'x');
    assert.equal(unseal(sealingKey(SECRET, 'another-purpose'), 'login-transactions/v1\0signin', value), undefined, 'other purpose key');
    assert.equal(unseal(key, 'login-transactions/v1\0__Host-signin', value), undefined, 'other cookie name');
    assert.equal(unseal(sealingKey(`${SECRET}-rotated`, 'login-transactions/v1'), 'login-transactions/v1\0signin', value), undefined, 'other secret');
  });

  it('should never seal the same plaintext to the same value twice (fresh IV)', () => {
    assert.notEqual(seal(key, 'ctx', 'same'), seal(key, 'ctx', 'same'));
  });
});

describe('the transaction cookie', () => {
  it('should round-trip five pending sign-ins in well under 4 KB when they are sealed', () => {
    const pending = pendingOf(5, Date.now(), '/call_ms_graph');
    const sealed = sealTransactions(key, NAME, pending)!;
    assert.deepEqual(openTransactions(key, NAME, sealed.value), pending);
    assert.ok(sealed.value.length < 2048, `five transactions: ${sealed.value.length} characters`);
    assert.doesNotMatch(sealed.value, new RegExp(pending[0]!.codeVerifier), 'the verifier is not readable');
  });

  it('should open no transaction when the cookie was tampered with or sealed for another cookie name', () => {
    const sealed = sealTransactions(key, NAME, pendingOf(2))!;
    assert.deepEqual(openTransactions(key, NAME, flip(sealed.value, 40)), []);
    assert.deepEqual(openTransactions(key, '__Host-signin', sealed.value), []);
    assert.deepEqual(openTransactions(key, NAME, seal(key, `login-transactions/v1\0${NAME}`, '{"not":"a list"}')), []);
    assert.deepEqual(openTransactions(key, NAME, 'x'.repeat(10_000)), [], 'an over-long value is not even decrypted');
  });

  it('should drop transactions older than ten minutes when the cookie is opened', () => {
    const start = 1_000_000;
    const pending = pendingOf(3, start);
    const sealed = sealTransactions(key, NAME, pending, start)!;
    assert.equal(openTransactions(key, NAME, sealed.value, start + TRANSACTION_TTL_MS - 10).length, 3);
    assert.deepEqual(openTransactions(key, NAME, sealed.value, start + TRANSACTION_TTL_MS + 3), []);
    assert.equal(sealTransactions(key, NAME, pending, start + TRANSACTION_TTL_MS + 3), undefined, 'nothing left to seal');
  });

  it('should drop the oldest sign-ins, keeping the newest, when the sealed value would exceed the size cap', () => {
    const long = `/call_ms_graph?${'q'.repeat(480)}`;
    const pending = pendingOf(5, Date.now(), long);
    const sealed = sealTransactions(key, NAME, pending)!;
    assert.ok(sealed.value.length <= MAX_SEALED_LENGTH, `${sealed.value.length} characters`);
    assert.ok(sealed.kept.length < 5 && sealed.kept.length >= 1);
    assert.equal(sealed.kept.at(-1)!.state, pending.at(-1)!.state, 'the sign-in just started stays');
    assert.deepEqual(openTransactions(key, NAME, sealed.value), sealed.kept);
  });

  it('should read a cookie by its exact name when the header carries others', () => {
    assert.equal(cookieValue('sid=s%3Aabc; signin=v1; xsignin=no', 'signin'), 'v1');
    assert.equal(cookieValue('signin_other=1', 'signin'), undefined);
    assert.equal(cookieValue(undefined, 'signin'), undefined);
  });
});

describe('consumed states', () => {
  it('should remember a used state until its transaction would have expired', () => {
    const consumed = new ConsumedStates();
    consumed.add('a', 2000, 1000);
    assert.equal(consumed.has('a', 1999), true);
    assert.equal(consumed.has('a', 2000), false);
    assert.equal(consumed.has('b', 1000), false);
  });

  it('should hold at most its capacity, forgetting the oldest first', () => {
    const consumed = new ConsumedStates(3);
    for (const state of ['a', 'b', 'c', 'd']) consumed.add(state, 10_000, 1000);
    assert.equal(consumed.size, 3);
    assert.equal(consumed.has('a', 1000), false);
    assert.equal(consumed.has('d', 1000), true);
  });
});
