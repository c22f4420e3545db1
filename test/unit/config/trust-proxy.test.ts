import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildConfig, ConfigError } from '../../../src/config/index.ts';
import { VALID_SETTINGS } from '../../helpers/settings.ts';

const valid = VALID_SETTINGS;

describe('TRUST_PROXY', () => {
  for (const value of ['true', 'TRUE', ' true ']) {
    it(`should refuse to start, naming TRUST_PROXY and the fix, when TRUST_PROXY is "${value}"`, () => {
      assert.throws(() => buildConfig({ ...valid, trustProxy: value }), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.key, 'TRUST_PROXY');
        assert.match(error.message, /X-Forwarded-For/);
        assert.match(error.message, /1 behind one proxy/);
        assert.match(error.message, /loopback/);
        return true;
      });
    });
  }

  it('should accept a hop count, proxy addresses and Express\'s subnet names when they are given', () => {
    assert.equal(buildConfig({ ...valid, trustProxy: '1' }).trustProxy, 1);
    assert.equal(buildConfig({ ...valid, trustProxy: '10.0.0.0/8, 192.0.2.7' }).trustProxy, '10.0.0.0/8, 192.0.2.7');
    assert.equal(buildConfig({ ...valid, trustProxy: 'loopback, uniquelocal' }).trustProxy, 'loopback, uniquelocal');
    assert.equal(buildConfig({ ...valid, trustProxy: 'false' }).trustProxy, false);
    assert.equal(buildConfig(valid).trustProxy, false);
  });
});
