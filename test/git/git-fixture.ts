import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { afterEach } from 'vitest';
import { orgTemplate } from '../../src/core/org/template.ts';
import type { PresetName } from '../../src/core/org/vocabulary.ts';

/** The identity test repositories commit with, so tests never depend on the machine's git config. */
export const TEST_IDENTITY = ['user.name=Test Clerk', 'user.email=clerk@example.test'];

const temporaryFolders: string[] = [];

/** A fresh temporary folder, removed after the test. */
export async function temporaryFolder(prefix = 'complaints-'): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  temporaryFolders.push(folder);
  return folder;
}

afterEach(async () => {
  await Promise.all(temporaryFolders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

export function gitIn(folder: string): SimpleGit {
  return simpleGit({ baseDir: folder, config: TEST_IDENTITY });
}

/** Writes content/org.yaml from a preset's template (with recipients, if given) and the complaints folder. */
export async function writeArchive(root: string, options: { preset?: PresetName; recipients?: string[] } = {}): Promise<void> {
  let text = orgTemplate(options.preset ?? 'property');
  if (options.recipients) text = text.replace(/^recipients: \[\]$/m, `recipients: [${options.recipients.join(', ')}]`);
  await mkdir(join(root, 'content/complaints'), { recursive: true });
  await writeFile(join(root, 'content/org.yaml'), text);
  await writeFile(join(root, 'content/complaints/.gitkeep'), '');
}

/** Writes a file under root, creating its folders. */
export async function writeAt(root: string, path: string, text: string): Promise<void> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), text);
}

export async function readAt(root: string, path: string): Promise<string> {
  return readFile(join(root, path), 'utf8');
}

/** A working copy on branch main with the archive committed, and no remote. */
export async function localArchiveRepository(options: { recipients?: string[] } = {}): Promise<string> {
  const root = await temporaryFolder('complaints-local-');
  await simpleGit({ baseDir: root }).init(['--quiet', '--initial-branch=main']);
  await writeArchive(root, options);
  const git = gitIn(root);
  await git.raw(['add', '--all']);
  await git.raw(['commit', '--quiet', '-m', 'Archive']);
  return root;
}

/**
 * A bare repository holding the archive on main (the shared archive on a server) and a function
 * that makes working copies of it, each with the test identity configured.
 */
export async function sharedArchive(options: { recipients?: string[]; seed?: (root: string) => Promise<void> } = {}): Promise<{
  bare: string;
  clone: (name: string) => Promise<string>;
}> {
  const seed = await localArchiveRepository(options);
  if (options.seed) {
    await options.seed(seed);
    await gitIn(seed).raw(['add', '--all']);
    await gitIn(seed).raw(['commit', '--quiet', '-m', 'Seed complaints']);
  }
  const parent = await temporaryFolder('complaints-shared-');
  const bare = join(parent, 'archive.git');
  await simpleGit({ baseDir: parent }).clone(seed, bare, ['--bare', '--quiet']);
  return {
    bare,
    async clone(name) {
      const root = join(parent, name);
      await simpleGit({ baseDir: parent }).clone(bare, root, ['--quiet']);
      await simpleGit({ baseDir: root }).addConfig('user.name', `Clerk ${name}`).addConfig('user.email', `${name}@example.test`);
      return root;
    },
  };
}

/** The complaint file names (ids) on main of a repository, bare or not. */
export async function idsOnMain(repository: string): Promise<string[]> {
  const listing = await simpleGit({ baseDir: repository }).raw(['ls-tree', '-r', '--name-only', 'main', '--', 'content/complaints']);
  return listing
    .split('\n')
    .filter((path) => path.endsWith('.md'))
    .map((path) => path.replace(/^.*\//, '').replace(/\.md$/, ''))
    .sort();
}
