/**
 * The GitHub calls the workflows make, and nothing more (SPEC §8: GitHub is an adapter, not the core).
 * One interface, two implementations in the sense of the style guide: `live-github.ts` talks to the
 * REST API through octokit (with retry and throttling); the tests point that same implementation at
 * a local HTTP server that stands in for the REST endpoints (test/github/fake-github.ts).
 *
 * Issues, comments and labels are reduced to the fields the workflows read, so callers never depend
 * on the shape of a REST response. New workflows extend this interface with the calls they need.
 */

/** `owner/name` of the repository the workflows run in. */
export interface RepositoryName {
  owner: string;
  name: string;
}

/** Who wrote an issue or a comment. */
export interface GitHubUser {
  login: string;
  /** `User`, `Bot` or `Organization`. */
  type: string;
}

/** How the author of an issue relates to the repository, as GitHub reports it. */
export type AuthorAssociation =
  | 'OWNER'
  | 'MEMBER'
  | 'COLLABORATOR'
  | 'CONTRIBUTOR'
  | 'FIRST_TIME_CONTRIBUTOR'
  | 'FIRST_TIMER'
  | 'MANNEQUIN'
  | 'NONE';

export interface GitHubIssue {
  number: number;
  title: string;
  /** The Markdown body; GitHub sends `null` for an empty one, which is read as "". */
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  assignees: string[];
  author: GitHubUser;
  authorAssociation: AuthorAssociation;
  /** ISO 8601, UTC. */
  createdAt: string;
  htmlUrl: string;
  /** Pull requests are issues to the REST API; the workflows that want issues skip these. */
  isPullRequest: boolean;
}

export interface GitHubComment {
  id: number;
  body: string;
  author: GitHubUser;
  createdAt: string;
}

export interface GitHubLabel {
  name: string;
  /** Six hex digits without `#`. */
  color: string;
  description: string;
}

/** What a workflow may change on an issue. */
export interface IssueChanges {
  title?: string;
  body?: string;
  state?: 'open' | 'closed';
}

export interface GitHubPort {
  readonly repository: RepositoryName;
  getIssue(issueNumber: number): Promise<GitHubIssue>;
  updateIssue(issueNumber: number, changes: IssueChanges): Promise<void>;
  /** Open issues (never pull requests) that carry every one of `labels`, every page. */
  listOpenIssues(labels: readonly string[]): Promise<GitHubIssue[]>;
  /** Every comment of an issue, oldest first, every page. */
  listComments(issueNumber: number): Promise<GitHubComment[]>;
  createComment(issueNumber: number, body: string): Promise<GitHubComment>;
  updateComment(commentId: number, body: string): Promise<void>;
  /** Deletes a comment; one already gone counts as deleted. */
  deleteComment(commentId: number): Promise<void>;
  /** The repository's labels, every page. */
  listLabels(): Promise<GitHubLabel[]>;
  /** Creates a label; one that exists already (another run was quicker) counts as created. */
  createLabel(label: GitHubLabel): Promise<void>;
  addLabels(issueNumber: number, labels: readonly string[]): Promise<void>;
  /** Replaces all of an issue's labels. */
  setLabels(issueNumber: number, labels: readonly string[]): Promise<void>;
  /** Removes one label; a label the issue does not have counts as removed. */
  removeLabel(issueNumber: number, label: string): Promise<void>;
  /** Adds assignees; GitHub silently leaves out people who cannot be assigned. */
  addAssignees(issueNumber: number, logins: readonly string[]): Promise<void>;
  /** Starts a `workflow_dispatch` run of a workflow file (e.g. `pages.yml`) on a branch. */
  dispatchWorkflow(workflowFile: string, ref: string, inputs?: Record<string, string>): Promise<void>;
  /**
   * Deletes an issue for good, edit history included (issue 5 item 11). Only the GraphQL API can, and
   * only with a token allowed to (an App with administration rights); one already gone counts as deleted.
   */
  deleteIssue(issueNumber: number): Promise<void>;
  /** Pins an issue to the top of the repository's issue list (GraphQL `pinIssue`). */
  pinIssue(issueNumber: number): Promise<void>;
  /** Opens an issue (the reminders' dashboard, the roll-call issue); it is authored by the token's bot. */
  createIssue(issue: { title: string; body: string; labels: readonly string[] }): Promise<GitHubIssue>;
  /** Open pull requests from branch `head` (in this repository) into `base`. */
  listOpenPullRequests(head: string, base: string): Promise<GitHubPullRequest[]>;
  /** Opens a pull request from branch `head` into `base`. */
  createPullRequest(pullRequest: { head: string; base: string; title: string; body: string }): Promise<GitHubPullRequest>;
}

/** A pull request, reduced to what the workflows read. */
export interface GitHubPullRequest {
  number: number;
  htmlUrl: string;
  head: string;
  base: string;
}

/** Raised when a GitHub call fails for good (after the retries the plugins allow). */
export class GitHubCallError extends Error {
  override readonly name = 'GitHubCallError';
  readonly status: number | undefined;
  constructor(what: string, status: number | undefined, cause: unknown) {
    super(`GitHub call failed: ${what}${status === undefined ? '' : ` (HTTP ${status})`}: ${(cause as Error)?.message ?? String(cause)}（调用 GitHub 接口失败）`, {
      cause,
    });
    this.status = status;
  }
}

/** Raised when GITHUB_REPOSITORY is not `owner/name`. */
export class RepositoryNameError extends Error {
  override readonly name = 'RepositoryNameError';
  constructor(text: string) {
    super(`expected a repository as "owner/name", found "${text}"（仓库名称格式错误）`);
  }
}

const REPOSITORY_PART = /^[A-Za-z0-9_.-]+$/;

/** `octo-org/complaints` → { owner, name }. */
export function parseRepositoryName(text: string): RepositoryName {
  const parts = text.trim().split('/');
  if (parts.length !== 2 || !parts.every((part) => REPOSITORY_PART.test(part))) throw new RepositoryNameError(text);
  return { owner: parts[0]!, name: parts[1]! };
}
