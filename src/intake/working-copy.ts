import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { parseFrontmatter } from '../archive/frontmatter.ts';
import type { Complaint } from '../core/complaint/schema.ts';
import { registrationCommitMessage } from '../git/complaint-registry.ts';
import { findUpstream } from '../git/upstream.ts';

/**
 * What intake needs of the Git working copy beyond the registry: bringing it up to date before
 * reading the archive, finding the file an issue was archived in, and taking back a registration
 * whose push never landed (the issue itself keeps the complaint; the sweep tries again).
 */

/** Raised from inside a registration when another run archived the same issue meanwhile. */
export class IssueAlreadyArchivedError extends Error {
  override readonly name = 'IssueAlreadyArchivedError';
  readonly issueNumber: number;
  constructor(issueNumber: number) {
    super(`issue #${issueNumber} was archived by another run meanwhile（该议题已由另一次运行登记）`);
    this.issueNumber = issueNumber;
  }
}

/**
 * Fetches the branch's upstream and fast-forwards to it, so the archive read next is the shared one.
 * A working copy that cannot fast-forward (local commits of its own) is left as it is: the registry
 * rebases when it pushes. Outside Git, or without an upstream, nothing happens.
 */
export async function refreshWorkingCopy(root: string): Promise<void> {
  const git = simpleGit({ baseDir: root });
  if (!(await git.checkIsRepo().catch(() => false))) return;
  const upstream = await findUpstream(git).catch(() => undefined);
  if (!upstream) return;
  await git.raw(['fetch', '--quiet', upstream.remote, upstream.ref]);
  await git.raw(['merge', '--quiet', '--ff-only', 'FETCH_HEAD']).catch(() => undefined);
}

/** The complaint archived from an issue, if any. */
export function complaintOfIssue(complaints: readonly Complaint[], issueNumber: number): Complaint | undefined {
  return complaints.find((complaint) => complaint.data.source?.issue === issueNumber);
}

/**
 * Whether a file in one folder of the archive was registered from `issueNumber`: read synchronously
 * from inside a registration attempt, right after the registry has moved onto the upstream, so two
 * runs for one issue never both archive it. Files that cannot be read are someone else's problem
 * (validate reports them) and are skipped.
 */
export function isIssueArchivedIn(root: string, folder: string, issueNumber: number): boolean {
  let names: string[];
  try {
    names = readdirSync(join(root, folder)).filter((name) => name.endsWith('.md'));
  } catch {
    return false;
  }
  return names.some((name) => {
    try {
      const data = parseFrontmatter(readFileSync(join(root, folder, name), 'utf8')).data as { source?: { issue?: unknown } } | null;
      return data?.source?.issue === issueNumber;
    } catch {
      return false;
    }
  });
}

/**
 * Takes back the registration commit of `id` when it is the last commit and its push did not land,
 * keeping any uncommitted work (`reset --keep`). Returns whether it did.
 */
export async function dropUnpushedRegistration(root: string, id: string): Promise<boolean> {
  const git = simpleGit({ baseDir: root });
  const subject = (await git.raw(['log', '-1', '--format=%s']).catch(() => '')).trim();
  if (subject !== registrationCommitMessage(id)) return false;
  const hasParent = (await git.raw(['rev-parse', '--verify', '--quiet', 'HEAD~1']).catch(() => '')).trim() !== '';
  if (!hasParent) return false;
  await git.raw(['reset', '--quiet', '--keep', 'HEAD~1']);
  return true;
}
