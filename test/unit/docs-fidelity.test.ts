import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');
const DOC = join(ROOT, 'docs/dev-tenant-fidelity.md');
const PREFIXES: Record<string, string> = { 'dt/': 'packages/dev-tenant/test/integration/', 'app/': 'test/integration/app/' };

/** Every `file › test name[; › another name]` reference in the table's "Pinned by" cells. */
function references(markdown: string): Array<{ file: string; name: string }> {
  const refs: Array<{ file: string; name: string }> = [];
  for (const cell of markdown.split('|')) {
    let file: string | undefined;
    for (const part of cell.split(';').map((p) => p.trim())) {
      const named = /^(\S+\.test\.ts) › (.+)$/.exec(part);
      if (named) file = named[1];
      const name = named ? named[2] : /^› (.+)$/.exec(part)?.[1];
      if (file && name) refs.push({ file, name: name.replace(/\s*\((?:and|also)[^)]*\)\s*$/, '').trim() });
    }
  }
  return refs;
}

function pathOf(file: string): string {
  const prefix = Object.keys(PREFIXES).find((p) => file.startsWith(p));
  return join(ROOT, prefix ? PREFIXES[prefix] + file.slice(prefix.length) : file);
}

/** The test titles of a test file, quotes unescaped; template parts (`${x}`) match anything. */
function titleMatches(source: string, name: string): boolean {
  const titles = [...source.matchAll(/\b(?:it|test|describe)\(\s*(['`"])((?:\\.|(?!\1).)*)\1/g)].map((m) => m[2]!.replace(/\\(.)/g, '$1'));
  return titles.some((title) => {
    if (title === name) return true;
    const pattern = title.split(/\$\{[^}]*\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+');
    return title.includes('${') && new RegExp(`^${pattern}$`).test(name);
  });
}

describe('docs/dev-tenant-fidelity.md', () => {
  const refs = references(readFileSync(DOC, 'utf8'));

  it('should name tests in its "Pinned by" column when it is read', () => {
    assert.ok(refs.length > 30, `only ${refs.length} test references found`);
  });

  it('should name only test files and test titles that exist when a row pins a behaviour', () => {
    const missing = refs.filter(({ file, name }) => {
      const path = pathOf(file);
      return !existsSync(path) || !titleMatches(readFileSync(path, 'utf8'), name);
    });
    assert.deepEqual(missing, []);
  });
});
