import { describe, expect, it } from 'vitest';
import { cp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateArchive } from '../../src/archive/archive.ts';
import { openParseCache } from '../../src/git/parse-cache.ts';
import { gitIn, temporaryFolder } from './git-fixture.ts';

const VALID = fileURLToPath(new URL('../fixtures/valid', import.meta.url));
const FILE = 'content/complaints/2026/10/2026-0001.md';
const CACHE = '.git/complaints-cache/parsed-files.v8';

/** The valid fixture archive committed in a fresh repository. */
async function committedArchive(): Promise<string> {
  const root = await temporaryFolder('complaints-cache-');
  await cp(VALID, root, { recursive: true });
  const git = gitIn(root);
  await git.init(['--quiet', '--initial-branch=main']);
  await git.add('.');
  await git.commit('archive');
  return root;
}

async function blobId(root: string, path: string): Promise<string> {
  return (await gitIn(root).raw(['hash-object', path])).trim();
}

describe('the parse cache keyed by Git blob id', () => {
  it('serves unchanged committed files from the index without reading them, with the same result as a fresh parse', async () => {
    const root = await committedArchive();
    const fresh = await validateArchive(root, { cache: false });
    const first = await validateArchive(root);
    expect((await stat(join(root, CACHE))).size).toBeGreaterThan(0);
    const cache = await openParseCache<unknown>(root, 'content/complaints');
    expect(cache!.indexedId(FILE)).toBe(await blobId(root, FILE));
    expect(cache!.get(cache!.indexedId(FILE)!)).toBeDefined();
    const second = await validateArchive(root);
    expect(first).toStrictEqual(fresh);
    expect(second).toStrictEqual(fresh);
  });

  it('never serves an old result for a file edited after the commit', async () => {
    const root = await committedArchive();
    await validateArchive(root);
    const text = await readFile(join(root, FILE), 'utf8');
    await writeFile(join(root, FILE), text.replace(/^channel: .*$/m, 'channel: carrier_pigeon'));
    const cache = await openParseCache<unknown>(root, 'content/complaints');
    expect(cache!.indexedId(FILE)).toBeUndefined();
    const result = await validateArchive(root);
    expect(result).toStrictEqual(await validateArchive(root, { cache: false }));
    expect(result.problems.map((problem) => problem.file)).toContain(FILE);
  });

  it('follows a new commit of a changed file, and keeps only the entries in use', async () => {
    const root = await committedArchive();
    await validateArchive(root);
    const text = await readFile(join(root, FILE), 'utf8');
    await writeFile(join(root, FILE), text.replace(/^title: (.*)$/m, 'title: $1（已更正）'));
    await gitIn(root).add('.').then(() => gitIn(root).commit('correct title'));
    const result = await validateArchive(root);
    expect(result.complaints.find((complaint) => complaint.path === FILE)!.data.title).toMatch(/（已更正）$/);
    const cache = await openParseCache<unknown>(root, 'content/complaints');
    const files = (await readdir(join(root, 'content/complaints'), { recursive: true })).filter((name) => name.endsWith('.md'));
    const inUse = await Promise.all(files.map((name) => blobId(root, `content/complaints/${name}`)));
    for (const id of inUse) expect(cache!.get(id)).toBeDefined();
    expect(cache!.get(await gitIn(root).raw(['rev-parse', `HEAD~1:${FILE}`]).then((id) => id.trim()))).toBeUndefined();
  });

  it('gives problems found against org.yaml their lines for files served from the cache', async () => {
    const root = await committedArchive();
    const text = await readFile(join(root, FILE), 'utf8');
    await writeFile(join(root, FILE), text.replace(/^project: .*$/m, 'project: nowhere'));
    await gitIn(root).add('.').then(() => gitIn(root).commit('unknown project'));
    const fresh = await validateArchive(root, { cache: false });
    expect(fresh.problems.find((problem) => problem.file === FILE)?.line).toBeGreaterThan(1);
    await validateArchive(root);
    expect(await validateArchive(root)).toStrictEqual(fresh);
  });

  it('hands each of two identical files its own copy', async () => {
    const root = await committedArchive();
    const copy = 'content/complaints/2026/10/2026-0099.md';
    await writeFile(join(root, copy), await readFile(join(root, FILE)));
    await gitIn(root).add('.').then(() => gitIn(root).commit('copy'));
    await validateArchive(root);
    const { complaints } = await validateArchive(root);
    const [one, two] = [FILE, copy].map((path) => complaints.find((complaint) => complaint.path === path)!);
    expect(one!.data).toStrictEqual(two!.data);
    expect(one!.data).not.toBe(two!.data);
  });

  it('does not trust index ids where checkout converts line endings (core.autocrlf or text/eol attributes)', async () => {
    const root = await committedArchive();
    await gitIn(root).addConfig('core.autocrlf', 'true');
    expect((await openParseCache<unknown>(root, 'content/complaints'))!.indexedId(FILE)).toBeUndefined();
    await gitIn(root).addConfig('core.autocrlf', 'false');
    expect((await openParseCache<unknown>(root, 'content/complaints'))!.indexedId(FILE)).toBeDefined();
    await writeFile(join(root, '.gitattributes'), 'content/complaints/2026/** text eol=crlf\n');
    const cache = await openParseCache<unknown>(root, 'content/complaints');
    expect(cache!.indexedId(FILE)).toBeUndefined();
    expect(cache!.indexedId('content/complaints/2025/12/2025-0040.md')).toBeDefined();
  });

  it('starts afresh from an unreadable cache file, and is off outside Git or when turned off', async () => {
    const root = await committedArchive();
    await validateArchive(root);
    await writeFile(join(root, CACHE), 'not a cache');
    const result = await validateArchive(root);
    expect(result).toStrictEqual(await validateArchive(root, { cache: false }));
    expect((await readFile(join(root, CACHE))).toString()).not.toBe('not a cache');
    expect(await openParseCache(root, 'content/complaints', { COMPLAINTS_PARSE_CACHE: '0' })).toBeUndefined();
    const plain = await temporaryFolder('complaints-plain-');
    await cp(VALID, plain, { recursive: true });
    expect(await openParseCache(plain, 'content/complaints')).toBeUndefined();
    expect((await validateArchive(plain)).complaints.length).toBe(result.complaints.length);
  });
});
