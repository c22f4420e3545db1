import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { tempDir } from './helpers.ts';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

/** Runs the CLI until it printed its settings (then SIGTERM) or exited; returns its output. */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('Press Ctrl+C')) child.kill('SIGTERM');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function settingsOf(stdout: string): Record<string, string | undefined> {
  return Object.fromEntries([...stdout.matchAll(/^([A-Z_0-9]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
}

describe('npm run dev-tenant --shape', () => {
  it('should print the B2C tenant and its three user flows when started with --shape b2c', async () => {
    const dataDir = await tempDir();
    try {
      const { code, stdout } = await runCli(['--shape', 'b2c'], { DEV_TENANT_PORT: '0', DEV_TENANT_DATA_DIR: dataDir });
      const settings = settingsOf(stdout);
      assert.equal(code, 0);
      assert.match(settings['AUTHORITY'] ?? '', /^https:\/\/localhost:\d+\/devtenantb2c\.onmicrosoft\.com$/);
      assert.equal(settings['AUTHORITY_TYPE'], 'B2C');
      assert.equal(settings['B2C_SIGN_UP_SIGN_IN_POLICY'], 'B2C_1_susi');
      assert.equal(settings['B2C_PASSWORD_RESET_POLICY'], 'B2C_1_reset');
      assert.equal(settings['B2C_EDIT_PROFILE_POLICY'], 'B2C_1_edit_profile');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('should print the External ID authority and type when started with --shape=external_id', async () => {
    const dataDir = await tempDir();
    try {
      const { code, stdout } = await runCli(['--shape=external_id'], { DEV_TENANT_PORT: '0', DEV_TENANT_DATA_DIR: dataDir });
      const settings = settingsOf(stdout);
      assert.equal(code, 0);
      assert.match(settings['AUTHORITY'] ?? '', /^https:\/\/localhost:\d+\/devtenantcustomers\.onmicrosoft\.com$/);
      assert.equal(settings['AUTHORITY_TYPE'], 'EXTERNAL_ID');
      assert.match(stdout, /ana\.customer@devtenantcustomers\.example/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('should exit 1 with one message when the shape is unknown', async () => {
    const { code, stdout, stderr } = await runCli(['--shape', 'adfs'], { DEV_TENANT_PORT: '0', DEV_TENANT_DATA_DIR: '/nonexistent-never-created' });
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /^dev-tenant: shape must be one of entra, external_id, b2c, got adfs\n$/);
  });
});
