import type { SimpleGit } from 'simple-git';

/** Where the current branch pushes to: a remote and the branch ref on it. */
export interface Upstream {
  remote: string;
  /** e.g. `refs/heads/main` */
  ref: string;
}

/**
 * The upstream of the checked-out branch from its configuration (`branch.<name>.remote` and `.merge`),
 * which works even before the first commit. None for a detached HEAD, a branch without upstream, or
 * one that tracks another local branch (remote ".").
 */
export async function findUpstream(git: SimpleGit): Promise<Upstream | undefined> {
  const branch = (await git.raw(['symbolic-ref', '--quiet', '--short', 'HEAD'])).trim();
  if (branch === '') return undefined;
  const remote = (await git.raw(['config', '--get', `branch.${branch}.remote`])).trim();
  const ref = (await git.raw(['config', '--get', `branch.${branch}.merge`])).trim();
  if (remote === '' || remote === '.' || ref === '') return undefined;
  return { remote, ref };
}
