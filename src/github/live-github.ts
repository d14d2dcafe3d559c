import type { Octokit } from 'octokit';
import {
  GitHubCallError,
  type AuthorAssociation,
  type GitHubComment,
  type GitHubIssue,
  type GitHubLabel,
  type GitHubPort,
  type GitHubPullRequest,
  type GitHubUser,
  type RepositoryName,
} from './github-port.ts';

/** Results per page when listing: the REST maximum, so a list costs as few requests as possible. */
const PAGE_SIZE = 100;

/** Deleting an issue exists only in the GraphQL API; it takes the issue's node id from the REST API. */
const PIN_ISSUE_MUTATION = 'mutation PinIssue($issueId: ID!) { pinIssue(input: { issueId: $issueId }) { issue { number } } }';
const DELETE_ISSUE_MUTATION = 'mutation DeleteIssue($issueId: ID!) { deleteIssue(input: { issueId: $issueId }) { clientMutationId } }';

/** The parts of a REST issue this adapter reads (responses carry many more). */
interface RestIssue {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  labels: (string | { name?: string | null })[];
  assignees?: ({ login: string } | null)[] | null;
  user: { login: string; type?: string } | null;
  author_association?: string;
  created_at: string;
  html_url: string;
  pull_request?: unknown;
}

interface RestComment {
  id: number;
  body?: string | null;
  user: { login: string; type?: string } | null;
  created_at: string;
}

const GHOST: GitHubUser = { login: 'ghost', type: 'User' };

function userOf(user: { login: string; type?: string } | null): GitHubUser {
  return user ? { login: user.login, type: user.type ?? 'User' } : GHOST;
}

/** A REST issue (or a webhook payload's `issue`, which has the same shape) as the port describes it. */
export function issueFromRest(issue: RestIssue): GitHubIssue {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    state: issue.state === 'closed' ? 'closed' : 'open',
    labels: issue.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter((name) => name !== ''),
    assignees: (issue.assignees ?? []).flatMap((assignee) => (assignee ? [assignee.login] : [])),
    author: userOf(issue.user),
    authorAssociation: (issue.author_association ?? 'NONE') as AuthorAssociation,
    createdAt: issue.created_at,
    htmlUrl: issue.html_url,
    isPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
  };
}

function commentFromRest(comment: RestComment): GitHubComment {
  return { id: comment.id, body: comment.body ?? '', author: userOf(comment.user), createdAt: comment.created_at };
}

function statusOf(cause: unknown): number | undefined {
  const status = (cause as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Runs a call, turning octokit's errors into `GitHubCallError`s that say which call failed. */
async function call<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    throw new GitHubCallError(what, statusOf(cause), cause);
  }
}

/** Runs a call that may find its work already done (a 404 on delete, a 422 "already_exists" on create). */
async function callTolerating(what: string, tolerated: (status: number | undefined, cause: unknown) => boolean, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (cause) {
    if (tolerated(statusOf(cause), cause)) return;
    throw new GitHubCallError(what, statusOf(cause), cause);
  }
}

function alreadyExists(status: number | undefined, cause: unknown): boolean {
  if (status !== 422) return false;
  const errors = (cause as { response?: { data?: { errors?: { code?: string }[] } } }).response?.data?.errors ?? [];
  return errors.some((error) => error.code === 'already_exists');
}

/** The port on the real REST API, through an octokit client made by `createOctokit`. */
export function liveGitHub(octokit: Octokit, repository: RepositoryName): GitHubPort {
  const repo = { owner: repository.owner, repo: repository.name };
  return {
    repository,
    async getIssue(issueNumber) {
      const response = await call(`get issue #${issueNumber}`, () => octokit.rest.issues.get({ ...repo, issue_number: issueNumber }));
      return issueFromRest(response.data as RestIssue);
    },
    async updateIssue(issueNumber, changes) {
      await call(`update issue #${issueNumber}`, () => octokit.rest.issues.update({ ...repo, issue_number: issueNumber, ...changes }));
    },
    async listOpenIssues(labels) {
      const issues = await call(`list open issues labelled ${labels.join(', ')}`, () =>
        octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, state: 'open', labels: labels.join(','), per_page: PAGE_SIZE }),
      );
      return (issues as RestIssue[]).map(issueFromRest).filter((issue) => !issue.isPullRequest);
    },
    async listComments(issueNumber) {
      const comments = await call(`list comments of #${issueNumber}`, () =>
        octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: PAGE_SIZE }),
      );
      return (comments as RestComment[]).map(commentFromRest);
    },
    async createComment(issueNumber, body) {
      const response = await call(`comment on #${issueNumber}`, () => octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body }));
      return commentFromRest(response.data as RestComment);
    },
    async updateComment(commentId, body) {
      await call(`update comment ${commentId}`, () => octokit.rest.issues.updateComment({ ...repo, comment_id: commentId, body }));
    },
    async deleteComment(commentId) {
      await callTolerating(`delete comment ${commentId}`, (status) => status === 404, () => octokit.rest.issues.deleteComment({ ...repo, comment_id: commentId }));
    },
    async listLabels() {
      const labels = await call('list labels', () => octokit.paginate(octokit.rest.issues.listLabelsForRepo, { ...repo, per_page: PAGE_SIZE }));
      return (labels as { name: string; color: string; description?: string | null }[]).map((label) => ({
        name: label.name,
        color: label.color,
        description: label.description ?? '',
      }));
    },
    async createLabel(label) {
      await callTolerating(`create label ${label.name}`, alreadyExists, () => octokit.rest.issues.createLabel({ ...repo, ...label }));
    },
    async addLabels(issueNumber, labels) {
      if (labels.length === 0) return;
      await call(`label #${issueNumber}`, () => octokit.rest.issues.addLabels({ ...repo, issue_number: issueNumber, labels: [...labels] }));
    },
    async setLabels(issueNumber, labels) {
      await call(`set labels of #${issueNumber}`, () => octokit.rest.issues.setLabels({ ...repo, issue_number: issueNumber, labels: [...labels] }));
    },
    async removeLabel(issueNumber, label) {
      await callTolerating(`remove label ${label} from #${issueNumber}`, (status) => status === 404, () =>
        octokit.rest.issues.removeLabel({ ...repo, issue_number: issueNumber, name: label }),
      );
    },
    async addAssignees(issueNumber, logins) {
      if (logins.length === 0) return;
      await call(`assign #${issueNumber}`, () => octokit.rest.issues.addAssignees({ ...repo, issue_number: issueNumber, assignees: [...logins] }));
    },
    async dispatchWorkflow(workflowFile, ref, inputs) {
      await call(`dispatch workflow ${workflowFile} on ${ref}`, () =>
        octokit.rest.actions.createWorkflowDispatch({ ...repo, workflow_id: workflowFile, ref, ...(inputs ? { inputs } : {}) }),
      );
    },
    async deleteIssue(issueNumber) {
      let nodeId: string | undefined;
      await callTolerating(`find issue #${issueNumber} to delete it`, (status) => status === 404 || status === 410, async () => {
        nodeId = (await octokit.rest.issues.get({ ...repo, issue_number: issueNumber })).data.node_id;
      });
      if (nodeId === undefined) return;
      const issueId = nodeId;
      await call(`delete issue #${issueNumber}`, () => octokit.graphql(DELETE_ISSUE_MUTATION, { issueId }));
    },
    async pinIssue(issueNumber) {
      const issueId = (await call(`find issue #${issueNumber} to pin it`, () => octokit.rest.issues.get({ ...repo, issue_number: issueNumber }))).data.node_id;
      await call(`pin issue #${issueNumber}`, () => octokit.graphql(PIN_ISSUE_MUTATION, { issueId }));
    },
    async createIssue(issue) {
      const response = await call(`open issue "${issue.title}"`, () =>
        octokit.rest.issues.create({ ...repo, title: issue.title, body: issue.body, labels: [...issue.labels] }),
      );
      return issueFromRest(response.data as RestIssue);
    },
    async listOpenPullRequests(head, base) {
      const pulls = await call(`list pull requests from ${head} into ${base}`, () =>
        octokit.paginate(octokit.rest.pulls.list, { ...repo, state: 'open', head: `${repository.owner}:${head}`, base, per_page: PAGE_SIZE }),
      );
      return (pulls as RestPullRequest[]).map(pullRequestFromRest);
    },
    async createPullRequest(pullRequest) {
      const response = await call(`open pull request from ${pullRequest.head} into ${pullRequest.base}`, () =>
        octokit.rest.pulls.create({ ...repo, ...pullRequest }),
      );
      return pullRequestFromRest(response.data as RestPullRequest);
    },
  };
}

/** The parts of a REST pull request the workflows read. */
interface RestPullRequest {
  number: number;
  html_url: string;
  head: { ref: string };
  base: { ref: string };
}

function pullRequestFromRest(pull: RestPullRequest): GitHubPullRequest {
  return { number: pull.number, htmlUrl: pull.html_url, head: pull.head.ref, base: pull.base.ref };
}
