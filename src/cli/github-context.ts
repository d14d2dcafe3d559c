import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseRepositoryName, RepositoryNameError, type GitHubPort } from '../github/github-port.ts';
import { liveGitHub } from '../github/live-github.ts';
import { createOctokit, DEFAULT_GITHUB_API_URL } from '../github/octokit-factory.ts';
import { UsageError, type CommandContext } from './command.ts';

/**
 * The GitHub side of the workflow commands (check, sync, remind, rollcall), read from the
 * environment GitHub Actions sets, as `complaints intake` reads it: GITHUB_TOKEN, GITHUB_REPOSITORY
 * (`owner/name`) and GITHUB_API_URL (GitHub Enterprise, or the tests' local server).
 */

/** A port on the repository the environment names, with `token` (default GITHUB_TOKEN); bad usage (exit 2) when the token or the name is missing. */
export function githubFromEnvironment(context: CommandContext, token = context.env.GITHUB_TOKEN): GitHubPort {
  if (!token) throw new UsageError('GITHUB_TOKEN is not set（缺少 GITHUB_TOKEN）');
  let repository;
  try {
    repository = parseRepositoryName(context.env.GITHUB_REPOSITORY ?? '');
  } catch (cause) {
    if (cause instanceof RepositoryNameError) throw new UsageError(`GITHUB_REPOSITORY: ${cause.message}`);
    throw cause;
  }
  const octokit = createOctokit({
    token,
    baseUrl: context.env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL,
    warn: (message) => context.stderr(`warning: ${message}\n`),
  });
  return liveGitHub(octokit, repository);
}

/** The text of the event payload file a workflow passes with `--event "$GITHUB_EVENT_PATH"`. */
export async function readEventFile(path: string): Promise<string> {
  try {
    return await readFile(resolve(path), 'utf8');
  } catch (cause) {
    throw new UsageError(`cannot read --event ${path}: ${(cause as Error).message}`);
  }
}
