/**
 * Private files for the embedded store. `app.db` holds sessions (ID-token claims) and sealed token caches,
 * `token-cache.key` the key that opens them: only the account that runs the app may read them
 * (CWE-732, incorrect permission assignment for a critical resource: https://cwe.mitre.org/data/definitions/732.html).
 */
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Creates `dir` and its missing parents as 0700 (owner only); an existing folder is left as it is. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * Creates `file` empty with mode 0600 unless it exists. node:sqlite has no mode option and SQLite would
 * create the file 0644 under the usual umask 022; an empty file is a valid new database. SQLite then
 * creates the `-wal` and `-shm` files (https://sqlite.org/tempfiles.html) with the database file's
 * permissions (its unix VFS copies the database file's mode to them; test/unit/stores/files.test.ts checks it).
 */
export function createPrivateFile(file: string): void {
  ensurePrivateDir(dirname(file));
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** What tightenPermissions did to one file: `from` is the mode it had (octal digits), `fixed` whether chmod worked. */
export interface PermissionChange {
  readonly file: string;
  readonly from: string;
  readonly fixed: boolean;
}

/**
 * The existing files among `files` that their group or others may access, with their modes (octal digits).
 * Windows has no such permission bits: nothing to report there.
 */
export function sharedFiles(files: readonly string[]): { file: string; mode: string }[] {
  if (process.platform === 'win32') return [];
  return files.flatMap((file) => {
    let mode: number;
    try {
      mode = statSync(file).mode & 0o777;
    } catch {
      return []; // not there (yet)
    }
    return (mode & 0o077) === 0 ? [] : [{ file, mode: mode.toString(8).padStart(3, '0') }];
  });
}

/**
 * Sets each existing file that its group or others may access to 0600, and reports what it found:
 * files made by earlier versions (or copied with a permissive umask) stop being readable by every local user.
 */
export function tightenPermissions(files: readonly string[]): PermissionChange[] {
  return sharedFiles(files).map(({ file, mode }) => {
    try {
      chmodSync(file, 0o600);
      return { file, from: mode, fixed: true };
    } catch {
      return { file, from: mode, fixed: false };
    }
  });
}

/** The files of the embedded store under `dataDir` that must stay private. */
export function dataFiles(dataDir: string): string[] {
  const db = join(dataDir, 'app.db');
  return [db, `${db}-wal`, `${db}-shm`, join(dataDir, 'token-cache.key')];
}
