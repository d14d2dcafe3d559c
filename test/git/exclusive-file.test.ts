import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileExclusively } from '../../src/git/exclusive-file.ts';
import { temporaryFolder } from './git-fixture.ts';

describe('creating a complaint file exclusively', () => {
  it('creates the file with its folders and leaves no temporary file', async () => {
    const root = await temporaryFolder();
    const path = join(root, 'content/complaints/2026/10/2026-0001.md');

    expect(await createFileExclusively(path, 'first')).toBe(true);

    expect(await readFile(path, 'utf8')).toBe('first');
    expect(await readdir(join(root, 'content/complaints/2026/10'))).toEqual(['2026-0001.md']);
  });

  it('refuses a path that exists and leaves the file there untouched', async () => {
    const root = await temporaryFolder();
    const path = join(root, '2026-0001.md');
    await writeFile(path, 'theirs');

    expect(await createFileExclusively(path, 'ours')).toBe(false);

    expect(await readFile(path, 'utf8')).toBe('theirs');
    expect(await readdir(root)).toEqual(['2026-0001.md']);
  });

  it('lets exactly one of many simultaneous writers win', async () => {
    const root = await temporaryFolder();
    const path = join(root, '2026-0001.md');

    const results = await Promise.all(Array.from({ length: 12 }, (_, index) => createFileExclusively(path, `writer ${index}`)));

    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await readFile(path, 'utf8')).toBe(`writer ${results.indexOf(true)}`);
    expect(await readdir(root)).toEqual(['2026-0001.md']);
  });
});
