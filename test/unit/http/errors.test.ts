import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { buildConfig } from '../../../src/config/index.ts';
import { AppError, ErrorCode } from '../../../src/errors.ts';
import { errorHandler, notFound } from '../../../src/http/errors.ts';
import { staticLocals } from '../../../src/http/locals.ts';
import { createLogger } from '../../../src/log.ts';
import { rawSettings } from '../../helpers/settings.ts';

const config = buildConfig(rawSettings({
  clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 's', authority: 'https://login.example/tenant',
}));

describe('errorHandler', () => {
  const logs: string[] = [];
  let base: string;
  let server: ReturnType<express.Express['listen']>;

  before(async () => {
    const app = express();
    app.set('views', resolve(import.meta.dirname, '../../../views'));
    app.set('view engine', 'ejs');
    Object.assign(app.locals, staticLocals(config));
    app.get('/boom', () => { throw new Error('secret internals at /srv/app.ts:12'); });
    app.get('/graph', () => {
      throw new AppError(ErrorCode.GRAPH_ERROR, 502, 'Graph answered 500', { facts: { 'Graph message': '<b>bad</b>' } });
    });
    app.use(express.json());
    app.post('/json', (_req, res) => { res.send('ok'); });
    app.use(notFound);
    app.use(errorHandler(config, createLogger('debug', (l) => logs.push(l))));
    await new Promise<void>((r) => { server = app.listen(0, '127.0.0.1', () => r()); });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('should answer an unexpected error with a plain 500 page and log its code, not its message', async () => {
    const response = await fetch(`${base}/boom`);
    const body = await response.text();
    assert.equal(response.status, 500);
    assert.match(body, /Something went wrong/);
    assert.match(body, /INTERNAL/);
    assert.doesNotMatch(body, /secret internals|app\.ts:12|at /);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.match(logs.join(''), /"code":"INTERNAL"/);
  });

  it('should escape facts shown on the page', async () => {
    const body = await (await fetch(`${base}/graph`)).text();
    assert.match(body, /&lt;b&gt;bad&lt;\/b&gt;/);
  });

  it('should answer a malformed body with 400, not 500', async () => {
    const response = await fetch(`${base}/json`, { method: 'POST', body: '{"x":', headers: { 'content-type': 'application/json' } });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /Bad request/);
  });
});
