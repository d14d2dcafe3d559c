import { runGit, type GitResult } from './run-git.ts';
import { COMPLAINTS_DIR } from '../core/complaint/paths.ts';

/**
 * Reads what a range of commits did to the archive, straight from Git's object store (no checkout):
 * the complaint files a range added, changed or deleted with both versions as bytes, every complaint
 * file of a commit, and one file at a commit. The pull-request check and the sync read both sides of
 * a change through this adapter, so they work on any clone, bare or not, without touching the
 * working tree. Two or three git processes per call, whatever the number of files.
 */

/** Raised when git refuses (an unknown commit, not a repository). */
export class GitReadError extends Error {
  override readonly name = 'GitReadError';
  constructor(what: string, detail: string) {
    super(`git ${what} failed: ${detail.trim() || 'no message'}（读取 Git 历史失败）`);
  }
}

/** Both sides of a file a range touched: `base` absent for an added file, `head` absent for a deleted one. */
export interface ChangedFile {
  path: string;
  base?: Uint8Array;
  head?: Uint8Array;
}

/** A file as it is at one commit. */
export interface FileAtCommit {
  path: string;
  bytes: Uint8Array;
}

/** git with paths written as they are (no octal quoting of Chinese file names). */
function gitIn(root: string, args: readonly string[], input?: string): Promise<GitResult> {
  return runGit(root, ['-c', 'core.quotepath=off', ...args], { input });
}

async function gitText(root: string, args: readonly string[], what: string): Promise<string> {
  const result = await gitIn(root, args);
  if (result.code !== 0) throw new GitReadError(what, result.stderr);
  return result.stdout.toString('utf8');
}

/** The commit a ref names (`main`, a SHA, `HEAD~1`), as a full SHA; `GitReadError` when there is none. */
export async function resolveCommit(root: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new GitReadError(`rev-parse ${ref}`, 'a ref cannot start with "-"');
  return (await gitText(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], `rev-parse ${ref}`)).trim();
}

/** The best common ancestor of two commits: what a pull request's changes are measured from. */
export async function mergeBase(root: string, first: string, second: string): Promise<string | undefined> {
  const result = await gitIn(root, ['merge-base', first, second]);
  if (result.code === 1) return undefined;
  if (result.code !== 0) throw new GitReadError(`merge-base ${first} ${second}`, result.stderr);
  return result.stdout.toString('utf8').trim();
}

/** Whether `ancestor` is `descendant` or one of its ancestors. */
export async function isAncestor(root: string, ancestor: string, descendant: string): Promise<boolean> {
  const result = await gitIn(root, ['merge-base', '--is-ancestor', ancestor, descendant]);
  if (result.code === 0) return true;
  if (result.code === 1) return false;
  throw new GitReadError(`merge-base --is-ancestor ${ancestor} ${descendant}`, result.stderr);
}

/** Reads many blobs (`<commit>:<path>`) with one `git cat-file --batch`; a missing one is absent from the map. */
async function readBlobs(root: string, specs: readonly string[]): Promise<Map<string, Uint8Array>> {
  const blobs = new Map<string, Uint8Array>();
  if (specs.length === 0) return blobs;
  const result = await gitIn(root, ['cat-file', '--batch'], `${specs.join('\n')}\n`);
  if (result.code !== 0) throw new GitReadError('cat-file --batch', result.stderr);
  const output = result.stdout;
  let offset = 0;
  for (const spec of specs) {
    const lineEnd = output.indexOf(0x0a, offset);
    if (lineEnd === -1) break;
    const header = output.subarray(offset, lineEnd).toString('utf8');
    offset = lineEnd + 1;
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) continue;
    const size = Number(header.split(' ')[2]);
    blobs.set(spec, new Uint8Array(output.subarray(offset, offset + size)));
    offset += size + 1;
  }
  return blobs;
}

/** Splits NUL-terminated git output. */
function nulFields(text: string): string[] {
  return text.split('\0').filter((field) => field !== '');
}

/**
 * Every file under content/complaints that differs between two commits, with both versions. Renames
 * are not folded (`--no-renames`): a rename is a deletion plus an addition, and the check says which.
 */
export async function changedComplaintFiles(root: string, from: string, to: string): Promise<ChangedFile[]> {
  const listing = await gitText(root, ['diff', '--no-renames', '--name-only', '-z', from, to, '--', COMPLAINTS_DIR], `diff ${from} ${to}`);
  const paths = nulFields(listing).sort();
  const blobs = await readBlobs(root, paths.flatMap((path) => [`${from}:${path}`, `${to}:${path}`]));
  return paths.map((path) => {
    const base = blobs.get(`${from}:${path}`);
    const head = blobs.get(`${to}:${path}`);
    return { path, ...(base ? { base } : {}), ...(head ? { head } : {}) };
  });
}

/** Every file under content/complaints at a commit. */
export async function complaintFilesAt(root: string, commit: string): Promise<FileAtCommit[]> {
  const listing = await gitText(root, ['ls-tree', '-r', '-z', '--name-only', commit, '--', COMPLAINTS_DIR], `ls-tree ${commit}`);
  const paths = nulFields(listing).sort();
  const blobs = await readBlobs(root, paths.map((path) => `${commit}:${path}`));
  return paths.flatMap((path) => {
    const bytes = blobs.get(`${commit}:${path}`);
    return bytes ? [{ path, bytes }] : [];
  });
}

/** One file at a commit, or undefined when the commit does not have it. */
export async function fileAt(root: string, commit: string, path: string): Promise<Uint8Array | undefined> {
  return (await readBlobs(root, [`${commit}:${path}`])).get(`${commit}:${path}`);
}
