import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainAuthorityFailure, originNote, portMismatchOf } from '../../../src/check-config/explain.ts';
import type { RawSettings } from '../../../src/config/index.ts';

const URL_ = 'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration';
/** What fetch rejects with: a TypeError whose `cause` is the socket or TLS error. */
const fetchFailed = (code: string) => Object.assign(new Error('authority unreachable'), {
  cause: Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) }),
});

describe('explainAuthorityFailure', () => {
  it('should name the host and suggest a typo when DNS says ENOTFOUND', () => {
    assert.match(explainAuthorityFailure(fetchFailed('ENOTFOUND'), URL_, 1000),
      /^the host name login\.microsoftonline\.com does not resolve \(DNS ENOTFOUND\): check AUTHORITY for a typo/);
  });

  it('should name the certificate code and NODE_EXTRA_CA_CERTS when TLS verification fails', () => {
    for (const code of ['SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID']) {
      assert.match(explainAuthorityFailure(fetchFailed(code), URL_, 1000), new RegExp(`certificate was refused \\(${code}\\): .*NODE_EXTRA_CA_CERTS`));
    }
    assert.match(explainAuthorityFailure(fetchFailed('CERT_HAS_EXPIRED'), URL_, 1000), /clock/);
  });

  it('should say the tenant was not found when the discovery document answers 400 or 404', () => {
    for (const status of [400, 404]) {
      assert.match(explainAuthorityFailure(new Error(`authority metadata answered HTTP ${status}`), URL_, 1000),
        new RegExp(`answered HTTP ${status}: the tenant in AUTHORITY was not found`));
    }
  });

  it('should name HTTP_TIMEOUT_MS when the request timed out', () => {
    const timeout = Object.assign(new Error('authority did not answer within 1000 ms'), { cause: new DOMException('t', 'TimeoutError') });
    assert.match(explainAuthorityFailure(timeout, URL_, 1000), /did not answer within 1000 ms \(HTTP_TIMEOUT_MS\)/);
  });

  it('should name the refused port when the connection is refused', () => {
    assert.match(explainAuthorityFailure(fetchFailed('ECONNREFUSED'), 'https://localhost:1/x', 1000), /^localhost:1 refused the connection/);
  });
});

describe('originNote and portMismatchOf', () => {
  const raw = (origins: RawSettings['origins']) => ({ origins }) as RawSettings;

  it('should say a value is still the placeholder shipped in aad.config.json when the user never set it', () => {
    assert.match(originNote(raw({ AUTHORITY: { from: 'aad.config.json', placeholder: true } }), 'AUTHORITY'), /still the placeholder shipped in aad\.config\.json/);
    assert.match(originNote(raw({ PORT: { from: '.env', placeholder: false } }), 'PORT'), /\[PORT from \.env\]/);
  });

  it('should warn only when a loopback redirect URI names another port than PORT', () => {
    assert.match(portMismatchOf({ redirectUri: 'http://localhost:8000/auth/redirect', port: 3000 }, raw({}))!, /port 8000 but the app listens on PORT=3000/);
    assert.equal(portMismatchOf({ redirectUri: 'http://localhost:3000/auth/redirect', port: 3000 }, raw({})), undefined);
    assert.equal(portMismatchOf({ redirectUri: 'https://app.contoso.com/auth/redirect', port: 3000 }, raw({})), undefined);
  });
});
