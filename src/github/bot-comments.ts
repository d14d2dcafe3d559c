import type { GitHubComment, GitHubPort } from './github-port.ts';

/**
 * Comments the workflows own, one per purpose and issue, found again by a hidden marker on their first
 * line (`<!-- complaints:intake:registered -->`). Posting through `upsertBotComment` makes every
 * workflow idempotent: a second run edits (or leaves) the comment instead of adding another, and two
 * runs that post at the same moment converge on the older comment.
 */

/** Marker kinds are lowercase words separated by `:`, `-` or `.`, so they can never close the HTML comment. */
const MARKER_KIND = /^[a-z0-9][a-z0-9:._-]*$/;

/** Raised for a marker kind that could break out of its HTML comment. */
export class MarkerKindError extends Error {
  override readonly name = 'MarkerKindError';
  constructor(kind: string) {
    super(`a comment marker kind must be lowercase letters, digits and ":._-", found "${kind}"`);
  }
}

/** The hidden first line of a bot comment of `kind`. */
export function commentMarker(kind: string): string {
  if (!MARKER_KIND.test(kind)) throw new MarkerKindError(kind);
  return `<!-- complaints:${kind} -->`;
}

/**
 * Whether a comment is the workflows' comment of `kind`: written by a bot (people cannot post as one,
 * so a complainant who copies the marker does not take over the comment) and starting with the marker.
 */
export function isBotComment(comment: GitHubComment, kind: string): boolean {
  return comment.author.type === 'Bot' && comment.body.trimStart().startsWith(commentMarker(kind));
}

/** The bot's comments of `kind` on an issue, oldest first. */
export function botComments(comments: readonly GitHubComment[], kind: string): GitHubComment[] {
  return comments.filter((comment) => isBotComment(comment, kind)).sort((a, b) => a.id - b.id);
}

export type UpsertResult = 'created' | 'updated' | 'unchanged';

/**
 * Makes sure the issue has exactly one bot comment of `kind` with `text` (the marker is added). The
 * comment is created when missing, edited when its text differs, and left alone otherwise. After
 * creating, the comments are read again: when another run created one at the same time, every copy
 * but the oldest is deleted, by both runs alike, so exactly one remains. `comments` saves a request
 * when the caller has just listed them.
 */
export async function upsertBotComment(
  port: GitHubPort,
  issueNumber: number,
  kind: string,
  text: string,
  comments?: readonly GitHubComment[],
): Promise<UpsertResult> {
  const body = `${commentMarker(kind)}\n${text.trim()}\n`;
  const existing = botComments(comments ?? (await port.listComments(issueNumber)), kind);
  const first = existing[0];
  if (first) {
    if (first.body === body) return 'unchanged';
    await port.updateComment(first.id, body);
    return 'updated';
  }
  await port.createComment(issueNumber, body);
  const copies = botComments(await port.listComments(issueNumber), kind);
  for (const copy of copies.slice(1)) await port.deleteComment(copy.id);
  return 'created';
}
