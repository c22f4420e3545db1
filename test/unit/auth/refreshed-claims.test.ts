import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withRefreshedClaims } from '../../../src/auth/refreshed-claims.ts';
import type { SignedInUser } from '../../../src/auth/signed-in-user.ts';

const user: SignedInUser = {
  homeAccountId: 'oid.tid', cacheKey: 'k', name: 'Megan Bowen', username: 'MeganB@contoso.example',
  claims: { sub: 's', iss: 'i', roles: ['Employee'], sid: 'session-1', login_hint: 'hint', groups: ['g1'] },
};

describe('withRefreshedClaims', () => {
  it('should take roles and groups from the refreshed ID token, dropping those it no longer carries', () => {
    const next = withRefreshedClaims(user, { sub: 's', iss: 'i', sid: 'session-1' });
    assert.equal(next.claims['roles'], undefined);
    assert.equal(next.claims['groups'], undefined);
    assert.equal(next.homeAccountId, user.homeAccountId);
    assert.equal(next.cacheKey, user.cacheKey);
  });

  it('should keep sid and login_hint from the sign-in when the refreshed ID token has none', () => {
    const next = withRefreshedClaims(user, { sub: 's', iss: 'i', roles: ['Client'] });
    assert.deepEqual(next.claims['roles'], ['Client']);
    assert.equal(next.claims['sid'], 'session-1');
    assert.equal(next.claims['login_hint'], 'hint');
  });
});
