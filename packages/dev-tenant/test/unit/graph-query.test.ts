import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseSelect, parseSkipToken, parseTop, project, skipTokenFor } from '../../src/graph-query.ts';
import { DEMO_USERS } from '../../src/users.ts';

describe('Graph query options', () => {
  it('should default $top to 100 and accept 1..999', () => {
    assert.deepEqual(parseTop(undefined), { ok: true, value: 100 });
    assert.deepEqual(parseTop('1'), { ok: true, value: 1 });
    assert.deepEqual(parseTop('999'), { ok: true, value: 999 });
  });
  it('should refuse $top outside 1..999 or not a number', () => {
    for (const raw of ['0', '1000', '-5', '2.5', 'ten', '']) assert.equal(parseTop(raw).ok, false, raw);
  });
  it('should match $select names case-insensitively and refuse unknown ones', () => {
    assert.deepEqual(parseSelect('ID, DisplayName'), { ok: true, value: ['id', 'displayName'] });
    assert.deepEqual(parseSelect('id,x'), { ok: false, message: "Could not find a property named 'x' on type 'microsoft.graph.user'." });
  });
  it('should round-trip skip tokens and refuse forged ones', () => {
    assert.deepEqual(parseSkipToken(skipTokenFor(7)), { ok: true, value: 7 });
    assert.equal(parseSkipToken('garbage!').ok, false);
    assert.equal(parseSkipToken(Buffer.from('o:-1').toString('base64url')).ok, false);
  });
  it('should keep only the selected properties', () => {
    const megan = DEMO_USERS[0]!;
    assert.deepEqual(project(megan, ['id', 'mail']), { id: megan.oid, mail: 'MeganB@devtenant.example' });
    assert.equal(Object.keys(project(megan, undefined)).length, 11);
  });
});
