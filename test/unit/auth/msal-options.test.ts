import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { credentialOptions, msalOptions } from '../../../src/auth/msal-options.ts';
import type { AuthorityMetadata } from '../../../src/auth/metadata.ts';
import { TimeoutNetworkClient } from '../../../src/auth/network.ts';
import { AppError } from '../../../src/errors.ts';
import { createLogger } from '../../../src/log.ts';

const metadata = { issuer: 'https://contoso.b2clogin.com/tid/v2.0/', json: '{"issuer":"x"}' } as AuthorityMetadata;

describe('msalOptions', () => {
  it('should trust the user flow\'s own host and hand MSAL the metadata, so it makes no discovery call', () => {
    const authority = 'https://contoso.b2clogin.com/contoso.onmicrosoft.com/B2C_1_reset';
    const options = msalOptions({
      clientId: 'c', credential: { clientSecret: 's' }, authority, metadata,
      network: new TimeoutNetworkClient(1000), logger: createLogger('silent'),
    });
    assert.equal(options.auth.authority, authority);
    assert.deepEqual(options.auth.knownAuthorities, ['contoso.b2clogin.com']);
    assert.equal(options.auth.authorityMetadata, metadata.json);
    assert.equal(options.system?.loggerOptions?.piiLoggingEnabled, false);
  });
});

describe('credentialOptions', () => {
  it('should give MSAL exactly one credential of the configured kind', () => {
    assert.deepEqual(credentialOptions({ kind: 'secret', secret: 's' }), { clientSecret: 's' });
    assert.deepEqual(credentialOptions({ kind: 'certificate', privateKey: 'PEM', thumbprintSha256: 'AB', x5c: undefined }),
      { clientCertificate: { thumbprintSha256: 'AB', privateKey: 'PEM' } });
    const withChain = credentialOptions({ kind: 'certificate', privateKey: 'PEM', thumbprintSha256: 'AB', x5c: 'CERT' });
    assert.equal(withChain.clientCertificate?.x5c, 'CERT');
  });

  it('should read the assertion file at each call and fail with CREDENTIAL_UNAVAILABLE when it is gone or not a JWT', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'assertion-'));
    const file = join(dir, 'token');
    const read = credentialOptions({ kind: 'assertion', file, key: 'CLIENT_ASSERTION_FILE' }).clientAssertion as () => Promise<string>;
    await writeFile(file, 'a.b.c\n');
    assert.equal(await read(), 'a.b.c');
    await writeFile(file, 'd.e.f');
    assert.equal(await read(), 'd.e.f', 'the rotated file is read');
    await writeFile(file, 'not a jwt');
    await assert.rejects(read(), (e: unknown) => e instanceof AppError && e.code === 'CREDENTIAL_UNAVAILABLE' && e.status === 503);
    await rm(dir, { recursive: true });
    await assert.rejects(read(), (e: unknown) => e instanceof AppError && e.code === 'CREDENTIAL_UNAVAILABLE');
  });
});
