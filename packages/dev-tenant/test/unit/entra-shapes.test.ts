import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { aadstsCode, entraErrorBody, withAadsts } from '../../src/entra-errors.ts';
import { loopbackRedirectAllowed } from '../../src/redirect-uris.ts';
import { delegatedPermissions, isGraphScope, splitScope } from '../../src/scopes.ts';
import { clientInfo, entraPrompt } from '../../src/shims.ts';

describe('entraPrompt', () => {
  it('should turn select_account into consent when msal sends it', () => {
    assert.equal(entraPrompt('select_account'), 'consent');
  });
  it('should add consent when there is no prompt', () => {
    assert.equal(entraPrompt(undefined), 'consent');
    assert.equal(entraPrompt(''), 'consent');
  });
  it('should keep login and add consent when prompt=login', () => {
    assert.equal(entraPrompt('login'), 'login consent');
  });
  it('should leave prompt=none alone when the request is silent', () => {
    assert.equal(entraPrompt('none'), 'none');
  });
  it('should not duplicate consent when it is already there', () => {
    assert.equal(entraPrompt('consent select_account'), 'consent');
  });
});

describe('loopbackRedirectAllowed', () => {
  const registered = ['http://localhost:8000/auth/redirect', 'https://app.example/auth/redirect'];
  it('should accept another port when scheme, host and path match a localhost URI', () => {
    assert.equal(loopbackRedirectAllowed('http://localhost:3000/auth/redirect', registered), true);
    assert.equal(loopbackRedirectAllowed('http://localhost/auth/redirect', registered), true);
  });
  it('should refuse when the path, scheme or host differ', () => {
    assert.equal(loopbackRedirectAllowed('http://localhost:3000/auth/other', registered), false);
    assert.equal(loopbackRedirectAllowed('https://localhost:3000/auth/redirect', registered), false);
    assert.equal(loopbackRedirectAllowed('http://127.0.0.1:3000/auth/redirect', registered), false);
    assert.equal(loopbackRedirectAllowed('http://evil.example:8000/auth/redirect', registered), false);
  });
  it('should never relax non-loopback URIs', () => {
    assert.equal(loopbackRedirectAllowed('https://app.example:444/auth/redirect', registered), false);
  });
  it('should refuse credentials and fragments', () => {
    assert.equal(loopbackRedirectAllowed('http://user:pw@localhost:3000/auth/redirect', registered), false);
    assert.equal(loopbackRedirectAllowed('http://localhost:3000/auth/redirect#x', registered), false);
  });
});

describe('Graph scopes', () => {
  it('should name delegated permissions without prefix and expand .default', () => {
    assert.deepEqual(delegatedPermissions(['https://graph.microsoft.com/User.Read.All', 'openid']), ['User.Read.All']);
    assert.deepEqual(delegatedPermissions(['https://graph.microsoft.com/.default']), ['User.Read', 'User.ReadBasic.All']);
    assert.deepEqual(delegatedPermissions(['User.ReadBasic.All', 'https://graph.microsoft.com/User.ReadBasic.All']), ['User.ReadBasic.All']);
  });
  it('should tell Graph scopes from others', () => {
    assert.equal(isGraphScope('User.Read'), true);
    assert.equal(isGraphScope('Mail.Read'), false);
    assert.equal(isGraphScope('offline_access'), false);
  });
  it('should split scope strings into unique values', () => {
    assert.deepEqual(splitScope('a  b a'), ['a', 'b']);
    assert.deepEqual(splitScope(undefined), []);
  });
});

describe('Entra error shapes', () => {
  it('should prefix descriptions with the AADSTS code unless they have one', () => {
    assert.equal(withAadsts('invalid_grant', 'grant request is invalid'), 'AADSTS70000: grant request is invalid');
    assert.equal(withAadsts('access_denied', 'AADSTS65004: User declined'), 'AADSTS65004: User declined');
    assert.equal(aadstsCode('something_new'), 50000);
  });
  it('should build a token-endpoint error body with codes and ids', () => {
    const body = entraErrorBody('invalid_scope', 'bad scope');
    assert.match(body.error_description, /^AADSTS70011: bad scope Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    assert.deepEqual(body.error_codes, [70011]);
  });
  it('should encode client_info the way msal reads it', () => {
    const decoded = JSON.parse(Buffer.from(clientInfo('oid-1', 'tid-2'), 'base64url').toString());
    assert.deepEqual(decoded, { uid: 'oid-1', utid: 'tid-2' });
  });
});
