import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');

/** README.md and every Markdown file in docs/. */
function documents(): string[] {
  const docs = join(ROOT, 'docs');
  const inDocs = existsSync(docs) ? readdirSync(docs).filter((name) => name.endsWith('.md')).map((name) => join(docs, name)) : [];
  return [join(ROOT, 'README.md'), ...inDocs];
}

/** Targets of inline Markdown links and images outside fenced code, without `#fragment` or `?query`. */
function relativeTargets(markdown: string): string[] {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const targets = [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? '');
  return targets
    .filter((target) => target !== '' && !target.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(target))
    .map((target) => decodeURIComponent(target.split('#')[0]!.split('?')[0]!));
}

describe('relative links in README.md and docs/*.md', () => {
  it('should find links and images but skip URLs, anchors and code blocks when a document is parsed', () => {
    const markdown = '[a](docs/x.md#part) ![b](img/y.png) [c](https://example.com) [d](#here)\n```\n[e](nowhere.md)\n```\n';
    assert.deepEqual(relativeTargets(markdown), ['docs/x.md', 'img/y.png']);
  });

  for (const file of documents()) {
    it(`should point only at files that exist when ${relative(ROOT, file)} links to them`, () => {
      const missing = relativeTargets(readFileSync(file, 'utf8')).filter((target) => !existsSync(resolve(dirname(file), target)));
      assert.deepEqual(missing, []);
    });
  }
});
