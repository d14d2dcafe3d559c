import { spawn } from 'node:child_process';
import { simpleGit } from 'simple-git';
import { fallbackIdentityConfig } from './commit-identity.ts';

/**
 * Commits a set of files the archive commands wrote (import, purge, erase) in one commit of their
 * own: only those paths, whatever else the person has staged or changed. The paths go to git on
 * stdin (`--pathspec-from-file`), so ten thousand imported files do not overflow a command line.
 */

export interface PathCommit {
  committed: boolean;
  /** The new commit, when committed. */
  commit?: string;
  /** Why nothing was committed, for the person at the keyboard (zh-CN + English). */
  notice?: string;
}

/** Raised when git refuses the commit; the files stay written so nothing is lost. */
export class PathCommitError extends Error {
  override readonly name = 'PathCommitError';
  constructor(message: string) {
    super(`the files are written but could not be committed: ${message.trim()}（文件已写入，但提交失败）`);
  }
}

/** Whether `root` lies in a Git working copy. */
export async function isGitWorkingCopy(root: string): Promise<boolean> {
  return simpleGit({ baseDir: root }).checkIsRepo().catch(() => false);
}

/** Whether the index holds staged changes (which a plain `git commit` would sweep in). */
export async function hasStagedChanges(root: string): Promise<boolean> {
  const git = simpleGit({ baseDir: root });
  const hasHead = (await git.raw(['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '')).trim() !== '';
  const output = await git.raw(hasHead ? ['diff', '--cached', '--name-only'] : ['ls-files', '--cached']);
  return output.trim() !== '';
}

/**
 * Adds and commits exactly `paths` (relative to `root`) with `message`. Outside a Git working copy
 * nothing is committed and the result says so.
 */
export async function commitPaths(root: string, paths: readonly string[], message: string, env: NodeJS.ProcessEnv = process.env): Promise<PathCommit> {
  if (!(await isGitWorkingCopy(root))) {
    return { committed: false, notice: `${root} is not a Git repository: the files are written but not committed（档案目录不是 Git 仓库：文件已写入，但未提交）` };
  }
  const identity = await fallbackIdentityConfig(simpleGit({ baseDir: root }), env);
  const list = `${paths.join('\n')}\n`;
  const run = (args: string[], input: string) =>
    new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve, reject) => {
      const child = spawn('git', [...identity.flatMap((setting) => ['-c', setting]), ...args], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr, stdout }));
      child.stdin.on('error', () => undefined); // git may not read its stdin (rev-parse) or fail before it does
      child.stdin.end(input);
    });
  const added = await run(['add', '--all', '--pathspec-from-file=-', '--'], list);
  if (added.code !== 0) throw new PathCommitError(added.stderr);
  const committed = await run(['commit', '--quiet', '-m', message, '--pathspec-from-file=-', '--'], list);
  if (committed.code !== 0) throw new PathCommitError(committed.stderr || committed.stdout);
  const head = await run(['rev-parse', 'HEAD'], '');
  return { committed: true, commit: head.stdout.trim() };
}
