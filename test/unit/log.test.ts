import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/log.ts';

describe('createLogger', () => {
  it('should write one JSON line per event and redact secret-named fields', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', (line) => lines.push(line));
    logger.info('signin.success', { account: 'a.b', code: 'STATE_UNKNOWN', authorization_code: 'the-code', authorization: 'Bearer x', secret: 's3' });
    logger.debug('hidden');
    const entry = JSON.parse(lines.join('')) as Record<string, unknown>;
    assert.equal(lines.length, 1);
    assert.equal(entry.event, 'signin.success');
    assert.equal(entry.level, 'info');
    assert.equal(entry.account, 'a.b');
    assert.equal(entry.code, 'STATE_UNKNOWN', 'error codes stay readable');
    for (const field of ['authorization_code', 'authorization', 'secret']) assert.equal(entry[field], '[redacted]', field);
    assert.doesNotMatch(lines.join(''), /the-code|Bearer x|s3/);
  });
});
