import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isMissingPackage } from '../../src/launch-dev-tenant.ts';

describe('isMissingPackage', () => {
  it('should be true when the import of the package itself failed with ERR_MODULE_NOT_FOUND', async () => {
    const error = await import('@contoso/no-such-package' as string).catch((e: unknown) => e);
    assert.equal(isMissingPackage(error, '@contoso/no-such-package'), true);
  });

  it('should be false when a package the named one imports is missing, or for another error', () => {
    const inner = Object.assign(new Error("Cannot find package 'oidc-provider' imported from /app/node_modules/@contoso/dev-tenant/src/provider.ts"), { code: 'ERR_MODULE_NOT_FOUND' });
    assert.equal(isMissingPackage(inner, '@contoso/dev-tenant'), false);
    assert.equal(isMissingPackage(new Error("Cannot find package '@contoso/dev-tenant' imported from x"), '@contoso/dev-tenant'), false, 'no code');
    assert.equal(isMissingPackage(undefined, '@contoso/dev-tenant'), false);
  });
});
