/**
 * The app reaches the development tenant (packages/dev-tenant, `@contoso/dev-tenant`, a devDependency absent from
 * production installs) through one entry point only: src/launch-dev-tenant.ts, which the launcher imports when no
 * tenant is configured. Any other import from src/ would break `npm ci --omit=dev` installs or mix the two products.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');
const PACKAGES = join(ROOT, 'packages') + sep;
const ENTRY_POINT = 'src/launch-dev-tenant.ts';

/** Every module file under `dir`, as paths relative to the repository. */
function moduleFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(?:[cm]?ts|[cm]?js)$/.test(file))
    .map((file) => join(dir, file));
}

/** The specifiers of static imports, re-exports, side-effect imports, dynamic imports and `import()` types. */
function specifiers(source: string): string[] {
  return [...source.matchAll(/\b(?:from|import)\s*\(?\s*(['"`])([^'"`]+)\1/g)].map((m) => m[2]!);
}

/** True when `specifier`, imported by `file`, names the development tenant's package or a path into packages/. */
function reachesDevTenant(file: string, specifier: string): boolean {
  if (specifier === '@contoso/dev-tenant' || specifier.startsWith('@contoso/dev-tenant/')) return true;
  return specifier.startsWith('.') && resolve(ROOT, dirname(file), specifier).startsWith(PACKAGES);
}

function offenders(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of moduleFiles('src')) {
    const hits = specifiers(readFileSync(join(ROOT, file), 'utf8')).filter((s) => reachesDevTenant(file, s));
    if (hits.length > 0) found.set(relative(ROOT, join(ROOT, file)), hits);
  }
  return found;
}

describe('the development tenant boundary', () => {
  it('should find imports of the development tenant only in src/launch-dev-tenant.ts when src/ is scanned', () => {
    const found = offenders();
    assert.ok(found.get(ENTRY_POINT)?.includes('@contoso/dev-tenant'), 'the scan sees the launcher\'s own import');
    found.delete(ENTRY_POINT);
    assert.deepEqual(Object.fromEntries(found), {}, `only ${ENTRY_POINT} may import the development tenant`);
  });

  it('should recognise every import form when a file names the package or a path into packages/', () => {
    const source = [
      "import type { DevTenant } from '@contoso/dev-tenant';",
      "export { startDevTenant } from '../../packages/dev-tenant/src/index.ts';",
      "import '@contoso/dev-tenant/agent';",
      "const tenant = await import('@contoso/dev-tenant');",
      "let t: typeof import('../../packages/dev-tenant/src/types.ts');",
      "import express from 'express';",
      "import { x } from './devtenant-like.ts';",
    ].join('\n');
    const hits = specifiers(source).filter((s) => reachesDevTenant('src/auth/x.ts', s));
    assert.deepEqual(hits, [
      '@contoso/dev-tenant', '../../packages/dev-tenant/src/index.ts', '@contoso/dev-tenant/agent', '@contoso/dev-tenant', '../../packages/dev-tenant/src/types.ts',
    ]);
  });
});
