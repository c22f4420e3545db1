import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { policyNamed, policyOfPath } from '../../src/shapes/b2c-policies.ts';
import { createCustomerDirectory, customerOid } from '../../src/shapes/directory.ts';

describe('customer directory', () => {
  it('should give a signed-up customer a stable name-based oid and find them by any letter case when signUp succeeds', () => {
    const directory = createCustomerDirectory('shop.example', (oid) => `sub-${oid}`);
    const result = directory.signUp(' Zoe@Example.com ', ' Zoe Zed ');
    assert.ok(result.ok);
    assert.equal(result.user.oid, customerOid('zoe@example.com'));
    assert.equal(result.user.userPrincipalName, 'zoe@example.com');
    assert.equal(directory.byUpn('ZOE@example.COM')?.displayName, 'Zoe Zed');
    assert.equal(directory.bySubject(`sub-${result.user.oid}`)?.oid, result.user.oid);
    assert.ok(directory.users.some((u) => u.oid === result.user.oid));
  });

  it('should refuse with a field and message when the address is taken or invalid, or the name is empty', () => {
    const directory = createCustomerDirectory('shop.example', (oid) => oid);
    assert.deepEqual(directory.signUp('ANA.customer@shop.example', 'Ana Two'), { ok: false, field: 'email', message: 'An account with this email address already exists. Sign in instead.' });
    assert.equal(directory.signUp('no-at-sign', 'X').ok, false);
    assert.equal(directory.signUp('a@b', 'X').ok, false);
    const empty = directory.signUp('fine@example.com', '   ');
    assert.equal(empty.ok, false);
    assert.equal(!empty.ok && empty.field, 'displayName');
  });

  it('should replace the user everywhere when rename is called', () => {
    const directory = createCustomerDirectory('shop.example', (oid) => oid);
    const ana = directory.byUpn('ana.customer@shop.example')!;
    const renamed = directory.rename(ana.oid, 'Ana Renamed');
    assert.equal(renamed?.displayName, 'Ana Renamed');
    assert.deepEqual(renamed?.roles, ['Client']);
    assert.equal(directory.byOid(ana.oid)?.displayName, 'Ana Renamed');
    assert.equal(directory.named.filter((u) => u.oid === ana.oid).length, 1);
    assert.equal(directory.rename('unknown', 'x'), undefined);
  });
});

describe('B2C policy names', () => {
  it('should match user flows case-insensitively when named in a path or a parameter', () => {
    assert.equal(policyNamed('b2c_1_SUSI'), 'B2C_1_susi');
    assert.equal(policyNamed('B2C_1_other'), undefined);
    assert.equal(policyOfPath('/devtenantb2c.onmicrosoft.com/B2C_1_EDIT_PROFILE/oauth2/v2.0/token'), 'B2C_1_edit_profile');
    assert.equal(policyOfPath('/devtenantb2c.onmicrosoft.com/v2.0/.well-known/openid-configuration'), undefined);
  });
});
