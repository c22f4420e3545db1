import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { Agent, pickAccount, useStack } from '../../helpers/stack.ts';

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** Sends `target` byte for byte (no URL normalization by a client library). */
function rawGet(origin: string, target: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: target, method: 'GET', headers, insecureHTTPParser: false }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('hostile input', () => {
  const stack = useStack();

  const values = [
    ['oversized', 'a'.repeat(6000)],
    ['CRLF', '%0d%0aSet-Cookie:%20evil=1'],
    ['NUL', '%00'],
    ['non-UTF-8', '%ff%fe%c3'],
    ['markup', '%3Cscript%3Ealert(1)%3C/script%3E'],
  ];
  const routes = ['/', '/token_details', '/call_ms_graph', '/auth/sign_in', '/auth/redirect', '/auth/sign_out', '/auth/post_sign_out', '/nope'];

  for (const route of routes) {
    it(`should answer ${route} with < 500 and nothing reflected raw for hostile query values`, async () => {
      for (const [name, value] of values) {
        for (const query of [`next=${value}`, `state=${value}&code=${value}`, `next=${value}&next=${value}`, `next[]=${value}`, `error=${value}&state=x`]) {
          const answer = await rawGet(stack.app.origin, `${route}?${query}`);
          assert.ok(answer.status < 500, `${route}?${name}: ${answer.status}`);
          const cookies = ([] as string[]).concat(answer.headers['set-cookie'] ?? []);
          assert.equal(cookies.some((c) => c.startsWith('evil=')), false, 'no header injection');
          assert.doesNotMatch(answer.body, /<script>alert/, 'no raw reflection');
        }
      }
    });
  }

  it('should answer an over-long request line or header with 4xx, not 500', async () => {
    const answer = await rawGet(stack.app.origin, `/?${'x'.repeat(20_000)}`);
    assert.ok(answer.status >= 400 && answer.status < 500, String(answer.status));
  });

  for (const next of ['//evil.example/', '/\\evil.example/', '/%5Cevil.example', '/%2F%2Fevil.example', 'javascript:alert(1)', 'https://evil.example/', '/%0d%0aLocation:%20https://evil.example']) {
    it(`should send the user home after sign-in when next is ${next}`, async () => {
      const agent = new Agent();
      const start = await rawGet(stack.app.origin, `/auth/sign_in?next=${next}`);
      assert.equal(start.status, 303);
      const cookie = String(start.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
      agent.setCookie(stack.app.origin, cookie.split('=')[0]!, cookie.slice(cookie.indexOf('=') + 1));
      const picker = await agent.go(String(start.headers.location));
      const page = await pickAccount(agent, stack.app, picker, 'Megan Bowen');
      assert.equal(page.url, `${stack.app.origin}/`);
      assert.ok(page.hops.every((h) => !h.location?.includes('evil.example')), 'never redirected off-site');
    });
  }
});
