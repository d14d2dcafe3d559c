import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { simpleGit, type SimpleGit } from 'simple-git';
import {
  ComplaintPushError,
  ComplaintRegistrationError,
  registrationCommitMessage,
  type ComplaintFile,
  type ComplaintRegistry,
  type Registration,
  type RegistrationRequest,
} from './complaint-registry.ts';
import { writeUnderNextId } from './allocation.ts';
import { COMPLAINTS_DIR } from '../core/complaint/paths.ts';
import { fallbackIdentityConfig } from './commit-identity.ts';
import { isLostRace } from './push-rejection.ts';
import { MAX_REGISTRATION_ATTEMPTS, retryDelay } from './retry-timing.ts';
import { findUpstream, type Upstream } from './upstream.ts';

export interface GitRegistryOptions {
  /** Tries before giving up and keeping the local commit. */
  maxAttempts?: number;
  /** Random numbers in [0, 1) for the jitter between tries. */
  random?: () => number;
  /** Waits between tries; tests pass one that returns at once. */
  sleep?: (milliseconds: number) => Promise<void>;
  /** Environment the identity check looks at (git itself inherits the process environment). */
  env?: NodeJS.ProcessEnv;
}

/** Default registry state, exported so callers and tests can see what they override. */
export const DEFAULT_GIT_REGISTRY_OPTIONS = {
  maxAttempts: MAX_REGISTRATION_ATTEMPTS,
  random: Math.random,
  sleep: (milliseconds: number) => delay(milliseconds),
} as const;

type Written = { id: string } & ComplaintFile;

/** What git said, from simple-git's `GitError` (its stderr) or any other failure. */
function gitMessage(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Writes the file under the next free id and commits it alone (`git commit -- path`, so whatever else
 * the person has staged stays staged). If adding or committing fails, the file is removed again: a
 * registration never leaves half its work behind.
 */
async function commitUnderNextId(git: SimpleGit, root: string, request: RegistrationRequest): Promise<Written> {
  const written = await writeUnderNextId(root, request, await retiredComplaintIds(git));
  try {
    await git.raw(['add', '--', written.path]);
    await git.raw(['commit', '--quiet', '-m', registrationCommitMessage(written.id), '--', written.path]);
    return written;
  } catch (cause) {
    await git.raw(['rm', '--cached', '--quiet', '--ignore-unmatch', '--', written.path]).catch(() => undefined);
    await rm(join(root, written.path), { force: true });
    throw new ComplaintRegistrationError(written.path, new Error(gitMessage(cause)));
  }
}

/**
 * Ids whose files were deleted somewhere in the history: one `git log` over the complaints folder.
 * The pull-request check forbids deleting complaint files, but an id must never be handed out twice
 * even when it happened.
 */
export async function retiredComplaintIds(git: SimpleGit): Promise<string[]> {
  const output = await git
    .raw(['log', '--all', '--diff-filter=D', '--name-only', '--format=', '--', COMPLAINTS_DIR])
    .catch(() => ''); // a repository without commits has no history to look at
  return output
    .split('\n')
    .map((line) => /([^/]+)\.md$/.exec(line.trim())?.[1])
    .filter((id): id is string => id !== undefined);
}

/** Takes back the registration commit just made (HEAD) and its file, leaving the working copy as it was. */
async function uncommit(git: SimpleGit, root: string, path: string): Promise<void> {
  const hasParent = (await git.raw(['rev-parse', '--verify', '--quiet', 'HEAD~1']).catch(() => '')).trim() !== '';
  if (hasParent) await git.raw(['reset', '--quiet', '--soft', 'HEAD~1']);
  else await git.raw(['update-ref', '-d', 'HEAD']);
  await git.raw(['rm', '--cached', '--quiet', '--', path]);
  await rm(join(root, path), { force: true });
}

/**
 * Whether the registration commit (HEAD) sits directly on history the fetched upstream already holds:
 * then nothing but the registration is unpushed, and one `reset --keep` can replace it with the upstream.
 */
async function onlyRegistrationIsUnpushed(git: SimpleGit): Promise<boolean> {
  try {
    return (await git.raw(['rev-list', '--count', 'HEAD~1', '^FETCH_HEAD'])).trim() === '0';
  } catch {
    return false; // the registration is the first commit of the branch
  }
}

/** Brings the upstream just fetched into the branch: a fast-forward, or a rebase of earlier unpushed commits. */
async function integrateFetched(git: SimpleGit): Promise<void> {
  const hasHead = (await git.raw(['rev-parse', '--verify', '--quiet', 'HEAD']).catch(() => '')).trim() !== '';
  if (!hasHead) {
    await git.raw(['merge', '--quiet', '--ff-only', 'FETCH_HEAD']);
    return;
  }
  try {
    await git.raw(['rebase', '--quiet', '--autostash', 'FETCH_HEAD']);
  } catch (cause) {
    await git.raw(['rebase', '--abort']).catch(() => undefined);
    throw cause;
  }
}

async function push(git: SimpleGit, upstream: Upstream): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    await git.raw(['push', '--quiet', upstream.remote, `HEAD:${upstream.ref}`]);
    return { ok: true };
  } catch (cause) {
    return { ok: false, message: gitMessage(cause) };
  }
}

/**
 * The registry of a Git working copy (SPEC §3 `id`, optimistic concurrency). The file is written
 * under the next id, committed and pushed. When the push loses a race, the commit is taken back,
 * the upstream fetched and integrated, and the complaint written again under the next id free on top
 * of it (the same id when nobody took it), committed and pushed again — after a random wait, up to
 * `maxAttempts` times. No id is ever used twice, because a push only succeeds on top of every earlier
 * registration; no complaint is lost, because the last commit is kept when pushing finally fails.
 * Without an upstream the complaint is committed only.
 */
export function gitComplaintRegistry(root: string, options: GitRegistryOptions = {}): ComplaintRegistry {
  const maxAttempts = options.maxAttempts ?? DEFAULT_GIT_REGISTRY_OPTIONS.maxAttempts;
  const random = options.random ?? DEFAULT_GIT_REGISTRY_OPTIONS.random;
  const sleep = options.sleep ?? DEFAULT_GIT_REGISTRY_OPTIONS.sleep;
  return {
    async register(request): Promise<Registration> {
      const probe = simpleGit({ baseDir: root });
      const identity = await fallbackIdentityConfig(probe, options.env ?? process.env);
      const git = simpleGit({ baseDir: root, config: identity });
      const upstream = await findUpstream(git);
      let written = await commitUnderNextId(git, root, request);
      const result = (attempts: number, pushed: boolean, notice?: string): Registration => ({
        id: written.id,
        path: written.path,
        committed: true,
        pushed,
        attempts,
        ...(notice ? { notice } : {}),
      });
      if (!upstream) return result(1, false, 'the branch has no upstream: committed locally, not pushed（当前分支没有上游仓库：已在本地提交，未推送）');

      for (let attempt = 1; ; attempt += 1) {
        const pushed = await push(git, upstream);
        if (pushed.ok) return result(attempt, true);
        if (!isLostRace(pushed.message)) throw new ComplaintPushError(result(attempt, false), pushed.message);
        if (attempt >= maxAttempts)
          throw new ComplaintPushError(result(attempt, false), `the push was rejected ${attempt} times because others kept registering at the same time`);
        await sleep(retryDelay(attempt, random));
        try {
          await git.raw(['fetch', '--quiet', upstream.remote, upstream.ref]);
        } catch (cause) {
          throw new ComplaintPushError(result(attempt, false), gitMessage(cause));
        }
        if (await onlyRegistrationIsUnpushed(git)) {
          // One step: move the branch to the upstream, dropping the registration commit and its file
          // and keeping the person's uncommitted changes (git refuses, changing nothing, rather than
          // overwrite them; the commit is then kept as it is).
          try {
            await git.raw(['reset', '--quiet', '--keep', 'FETCH_HEAD']);
          } catch (cause) {
            throw new ComplaintPushError(result(attempt, false), gitMessage(cause));
          }
        } else {
          // Earlier unpushed commits of the person's own: take the registration back and rebase them.
          await uncommit(git, root, written.path);
          try {
            await integrateFetched(git);
          } catch (cause) {
            // They conflict with the upstream: commit the complaint again where the branch stands.
            written = await commitUnderNextId(git, root, request);
            throw new ComplaintPushError(result(attempt, false), gitMessage(cause));
          }
        }
        written = await commitUnderNextId(git, root, request);
      }
    },
  };
}
