import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { DEV_TENANT_ERROR_CODES, DevTenantError } from './errors.ts';

/** Creates the data directory (mode 0700) if missing. */
export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

/** Reads a UTF-8 file, or returns undefined when it does not exist. */
export async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Reads a JSON file or returns undefined when missing; a corrupt file is a DevTenantError. */
export async function readJsonIfExists(file: string): Promise<unknown> {
  const text = await readIfExists(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new DevTenantError(
      DEV_TENANT_ERROR_CODES.badDataDir,
      `${file} is not valid JSON: delete it to have it regenerated`,
      { cause },
    );
  }
}

/**
 * Writes a file readable only by its owner (0600), atomically (temp file + rename),
 * so an interrupted start never leaves half a key behind.
 */
export async function writeSecret(file: string, content: string): Promise<void> {
  await ensureDir(dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, file);
}

/** Writes a public file (0644) atomically. */
export async function writePublic(file: string, content: string): Promise<void> {
  await ensureDir(dirname(file));
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: 0o644 });
  await rename(tmp, file);
}
