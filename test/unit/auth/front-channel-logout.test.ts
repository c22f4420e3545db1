import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorityOrigins, frontChannelCsp, logoutNoticeOf, sessionsToEnd } from '../../../src/auth/front-channel-logout.ts';
import { buildConfig } from '../../../src/config/index.ts';
import type { SignInRecord } from '../../../src/stores/sign-in-index.ts';
import { rawSettings } from '../../helpers/settings.ts';

const ISS = 'https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0';

function record(sessionId: string, iss = ISS): SignInRecord {
  return { sessionId, cacheKey: `c-${sessionId}`, iss, expires: Date.now() + 60_000 };
}

describe('logoutNoticeOf', () => {
  it('should read sid and iss when both are sent once', () => {
    assert.deepEqual(logoutNoticeOf({ sid: 's1', iss: ISS }), { sid: 's1', iss: ISS });
  });

  it('should read the sid alone when iss is absent, as Microsoft Entra ID sends it', () => {
    assert.deepEqual(logoutNoticeOf({ sid: 's1' }), { sid: 's1', iss: undefined });
  });

  it('should ignore the request when the sid is missing, empty, repeated or oversized', () => {
    for (const query of [{}, { iss: ISS }, { sid: '' }, { sid: ['a', 'b'] }, { sid: 'x'.repeat(513) }]) {
      assert.equal(logoutNoticeOf(query), 'missing_sid', JSON.stringify(query).slice(0, 40));
    }
  });

  it('should ignore the request when an iss is sent but empty or repeated', () => {
    assert.equal(logoutNoticeOf({ sid: 's1', iss: '' }), 'bad_iss');
    assert.equal(logoutNoticeOf({ sid: 's1', iss: [ISS, ISS] }), 'bad_iss');
  });
});

describe('sessionsToEnd', () => {
  it('should pick only the sessions signed in with that exact issuer when an iss is sent', () => {
    const records = [record('a'), record('b', `${ISS}/`), record('c', ISS.toUpperCase())];
    assert.deepEqual(sessionsToEnd(records, ISS).map((r) => r.sessionId), ['a']);
  });

  it('should pick every session of the sid when no iss is sent', () => {
    assert.deepEqual(sessionsToEnd([record('a'), record('b', 'https://other/v2.0')], undefined).map((r) => r.sessionId), ['a', 'b']);
  });
});

describe('frame-ancestors of the front-channel logout page', () => {
  it('should allow the authority\'s origin only when the app is configured for Entra ID', () => {
    const config = buildConfig(rawSettings({
      clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 's', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    }));
    assert.deepEqual(authorityOrigins(config), ['https://login.microsoftonline.com']);
    assert.equal(frontChannelCsp(authorityOrigins(config)),
      "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors https://login.microsoftonline.com");
  });
});
