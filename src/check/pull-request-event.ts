import { z } from 'zod';

/**
 * What the check reads from a `pull_request` event payload (GITHUB_EVENT_PATH): the pull request's
 * number, its author, and the base and head commits. Only these fields are read and checked; titles,
 * bodies and branch names are untrusted text the check never interprets.
 */

const SHA = z.string().regex(/^[0-9a-f]{40}$/, 'expected a 40-hex commit SHA');

const pullRequestEventSchema = z.object({
  number: z.int().positive(),
  pull_request: z.object({
    user: z.object({ login: z.string().min(1) }),
    base: z.object({ sha: SHA }),
    head: z.object({ sha: SHA }),
  }),
});

export interface PullRequestEvent {
  number: number;
  author: string;
  baseSha: string;
  headSha: string;
}

/** Raised when the payload is not JSON or not a pull_request event. */
export class PullRequestEventError extends Error {
  override readonly name = 'PullRequestEventError';
  constructor(reason: string) {
    super(`not a pull_request event payload: ${reason}（不是合并请求事件数据）`);
  }
}

/** Reads a `pull_request` payload's number, author, base and head. */
export function readPullRequestEvent(text: string): PullRequestEvent {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (cause) {
    throw new PullRequestEventError((cause as Error).message);
  }
  const result = pullRequestEventSchema.safeParse(payload);
  if (!result.success) throw new PullRequestEventError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  const { number, pull_request: pull } = result.data;
  return { number, author: pull.user.login, baseSha: pull.base.sha, headSha: pull.head.sha };
}
