import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../..');

/** README.md, every Markdown file in docs/, and the README of every package in packages/. */
function documents(): string[] {
  const inFolder = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.md')).map((name) => join(dir, name)) : []);
  const packages = join(ROOT, 'packages');
  const readmes = existsSync(packages) ? readdirSync(packages).map((name) => join(packages, name, 'README.md')).filter((file) => existsSync(file)) : [];
  return [join(ROOT, 'README.md'), ...inFolder(join(ROOT, 'docs')), ...readmes];
}

/** The Markdown without fenced code blocks, whose `[x](y)` and `# lines` are not links or headings. */
function withoutFences(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** Targets of inline Markdown links and images outside fenced code (URLs with a scheme left out), `?query` dropped. */
function relativeTargets(markdown: string): string[] {
  const targets = [...withoutFences(markdown).matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? '');
  return targets
    .filter((target) => target !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(target))
    .map((target) => target.replace(/\?[^#]*/, ''));
}

/**
 * GitHub's anchor for a heading: the rendered text in lower case, punctuation other than `-` and `_` removed,
 * spaces turned into `-` (github-slugger, which github.com uses for README and docs pages).
 */
function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '');
  return text.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** Every anchor a Markdown file offers: its headings' slugs (repeats get `-1`, `-2`, …) and HTML `id`/`name`s. */
function anchors(markdown: string): Set<string> {
  const prose = withoutFences(markdown);
  const found = new Set<string>();
  for (const [, heading] of prose.matchAll(/^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(heading!);
    let candidate = base;
    for (let n = 1; found.has(candidate); n += 1) candidate = `${base}-${n}`;
    found.add(candidate);
  }
  for (const [, id] of prose.matchAll(/<a\s[^>]*(?:id|name)="([^"]+)"/g)) found.add(id!);
  return found;
}

/**
 * The links of `markdown` (the text of `file`) that miss: no such file, or a `#fragment` that is no anchor of the
 * Markdown file it names (`#x` alone: of `markdown` itself).
 */
function brokenLinks(file: string, markdown = readFileSync(file, 'utf8')): string[] {
  return relativeTargets(markdown).filter((target) => {
    const [path = '', fragment] = target.split('#');
    const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
    if (path !== '' && !existsSync(resolved)) return true;
    if (fragment === undefined || !resolved.endsWith('.md')) return false;
    const text = path === '' ? markdown : readFileSync(resolved, 'utf8');
    return !anchors(text).has(decodeURIComponent(fragment));
  });
}

describe('relative links in README.md, docs/*.md and packages/*/README.md', () => {
  it('should find links, images and anchors but skip URLs and code blocks when a document is parsed', () => {
    const markdown = '[a](docs/x.md#part) ![b](img/y.png?raw=1) [c](https://example.com) [d](#here)\n```\n[e](nowhere.md)\n```\n';
    assert.deepEqual(relativeTargets(markdown), ['docs/x.md#part', 'img/y.png', '#here']);
  });

  it('should give GitHub\'s anchors when headings hold punctuation, code, links or repeat', () => {
    assert.equal(slug('Microsoft Entra ID, single tenant (workforce)'), 'microsoft-entra-id-single-tenant-workforce');
    assert.equal(slug('No RFC 9207 `iss` on the [authorization](x.md) response'), 'no-rfc-9207-iss-on-the-authorization-response');
    assert.equal(slug('`DEV_TENANT_SHAPE` — B2C’s user flows'), 'dev_tenant_shape--b2cs-user-flows');
    const markdown = '# Title\n## Stores\n## Stores\n```sh\n# not a heading\n```\n<a id="kept"></a>\n';
    assert.deepEqual([...anchors(markdown)], ['title', 'stores', 'stores-1', 'kept']);
  });

  it('should report a missing file, a missing anchor and a missing heading on the page when a document links to them', () => {
    const markdown = '# Page\n[a](#page) [b](docs/production.md#stores) [c](docs/production.md#no-such-heading) ' +
      '[d](docs/no-such-page.md) [e](#no-such-heading) [f](docs/screenshots/03-home-signed-in.png)\n';
    assert.deepEqual(brokenLinks(join(ROOT, 'README.md'), markdown), ['docs/production.md#no-such-heading', 'docs/no-such-page.md', '#no-such-heading']);
  });

  for (const file of documents()) {
    it(`should point only at files and headings that exist when ${relative(ROOT, file)} links to them`, () => {
      assert.deepEqual(brokenLinks(file), []);
    });
  }
});
