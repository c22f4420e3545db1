import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { tempDir, trustCertificateAuthority } from './helpers.ts';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

interface Run {
  output: Promise<{ code: number | null; stdout: string; stderr: string }>;
  waitFor(pattern: RegExp): Promise<string>;
  kill(signal: NodeJS.Signals): void;
}

function run(env: Record<string, string>): Run {
  const child = spawn(process.execPath, [CLI], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    waiters.forEach((w) => w());
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const output = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    output,
    waitFor: (pattern) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; stdout: ${stdout} stderr: ${stderr}`)), 10_000);
      const check = (): void => {
        if (pattern.test(stdout)) {
          clearTimeout(timer);
          resolve(stdout);
        }
      };
      waiters.push(check);
      check();
    }),
    kill: (signal) => child.kill(signal),
  };
}

describe('npm run dev-tenant', () => {
  it('should print one dev-tenant line and exit 1 when NODE_ENV is production', async () => {
    const { code, stdout, stderr } = await run({ NODE_ENV: 'production', DEV_TENANT_PORT: '0', DEV_TENANT_DATA_DIR: '/nonexistent-never-created' }).output;
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /^dev-tenant: The development tenant refuses to run when NODE_ENV=production[^\n]*\n$/);
  });

  it('should print the app settings, write app.env and stop on SIGTERM when started', async () => {
    const dataDir = await tempDir();
    try {
      const cli = run({ DEV_TENANT_PORT: '0', DEV_TENANT_DATA_DIR: dataDir, DEV_TENANT_REDIRECT_URIS: 'http://localhost:3000/auth/redirect' });
      const stdout = await cli.waitFor(/NODE_EXTRA_CA_CERTS=.*\n/);
      assert.match(stdout, /NOT Microsoft Entra ID/);
      const settings = Object.fromEntries([...stdout.matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
      assert.match(settings['AUTHORITY'] ?? '', /^https:\/\/localhost:\d+\/[0-9a-f-]{36}$/);
      assert.match(settings['CLIENT_ID'] ?? '', /^[0-9a-f-]{36}$/);
      assert.ok(settings['CLIENT_SECRET']);
      assert.equal(settings['GRAPH_ENDPOINT'], `${new URL(settings['AUTHORITY']!).origin}/v1.0`);
      assert.equal(settings['NODE_EXTRA_CA_CERTS'], join(dataDir, 'ca.pem'));
      const appEnv = await readFile(join(dataDir, 'app.env'), 'utf8');
      for (const [key, value] of Object.entries(settings)) assert.ok(appEnv.includes(`${key}=${value}\n`), key);

      trustCertificateAuthority(await readFile(join(dataDir, 'ca.pem'), 'utf8'));
      const metadata = await (await fetch(`${settings['AUTHORITY']}/v2.0/.well-known/openid-configuration`)).json() as { issuer: string };
      assert.equal(metadata.issuer, `${settings['AUTHORITY']}/v2.0`);

      cli.kill('SIGTERM');
      assert.equal((await cli.output).code, 0);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
