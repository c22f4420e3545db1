import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildConfig } from '../../../src/config/index.ts';
import { createLogger } from '../../../src/log.ts';
import { openStores } from '../../../src/stores/index.ts';
import { SqliteDatabase } from '../../../src/stores/sqlite.ts';
import { rawSettings } from '../../helpers/settings.ts';

const modeOf = (path: string) => statSync(path).mode & 0o777;

function configFor(dataDir: string) {
  return buildConfig(rawSettings({
    clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 's', authority: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    dataDir, tokenCacheKeys: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  }));
}

// Under umask 077 everything is private anyway and these tests could not tell old code from new.
const umaskHidesIt = (process.umask() & 0o077) === 0o077 || process.platform === 'win32';

describe('private store files', { skip: umaskHidesIt && 'the umask already makes every new file private' }, () => {
  it('should create app.db and its -wal and -shm files 0600 when SQLite opens a new database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'private-db-'));
    const file = join(dir, 'app.db');
    const db = new SqliteDatabase(file);
    try {
      db.db.exec("INSERT INTO sessions (sid, data, expires) VALUES ('s', '{}', 0)");
      for (const name of [file, `${file}-wal`, `${file}-shm`]) {
        assert.ok(existsSync(name), `${name} exists while the database is open`);
        assert.equal(modeOf(name), 0o600, `${name} is readable by its owner only`);
      }
    } finally {
      db.close();
    }
  });

  it('should create the data folder 0700 when the stores open it for the first time', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'private-dir-')), 'data');
    const stores = await openStores(configFor(dataDir), createLogger('silent'));
    try {
      assert.equal(modeOf(dataDir), 0o700);
      assert.equal(modeOf(join(dataDir, 'app.db')), 0o600);
    } finally {
      await stores.close();
    }
  });

  it('should set an existing world-readable app.db to 0600 and warn once when the stores open', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'loose-db-'));
    const file = join(dataDir, 'app.db');
    writeFileSync(file, '');
    chmodSync(file, 0o644); // what earlier versions created under umask 022
    const lines: string[] = [];
    const stores = await openStores(configFor(dataDir), createLogger('warn', (line) => lines.push(line)));
    try {
      assert.equal(modeOf(file), 0o600);
      const warnings = lines.map((line) => JSON.parse(line)).filter((l) => l.event === 'store.file_permissions');
      assert.equal(warnings.length, 1);
      assert.equal(warnings[0].file, file);
      assert.equal(warnings[0].mode, '644');
      assert.equal(warnings[0].fixed, true);
    } finally {
      await stores.close();
    }
  });
});
