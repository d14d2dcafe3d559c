import { createRequire } from 'node:module';
import type { FakeGitHub } from './fake-github.ts';

/**
 * Real webhook payloads from @octokit/webhooks-examples (the examples GitHub's own payloads were
 * recorded from), adapted only in the fields an issue form fills in: the issue's number, title,
 * body and labels, and the repository it lives in. Everything else — users, dates, URLs, the
 * dozens of fields intake never reads — stays as GitHub sent it.
 */

interface WebhookDefinition {
  name: string;
  examples: Record<string, any>[];
}

const definitions = createRequire(import.meta.url)('@octokit/webhooks-examples/api.github.com/index.json') as WebhookDefinition[];

/** The first example of an event with an action (`issues`, `opened`), as a fresh deep copy. */
export function webhookExample(event: string, action?: string): Record<string, any> {
  const definition = definitions.find((item) => item.name === event);
  const example = definition?.examples.find((item) => action === undefined || item.action === action);
  if (!example) throw new Error(`@octokit/webhooks-examples has no ${event}${action ? `.${action}` : ''} example`);
  return structuredClone(example);
}

export interface IssueAdaptation {
  number: number;
  title: string;
  body: string;
  labels: string[];
}

/** Points a payload's `repository` at the fake's repository. */
function adaptRepository(payload: Record<string, any>, fake: FakeGitHub): void {
  payload.repository.name = fake.repo;
  payload.repository.full_name = fake.repository;
  payload.repository.owner.login = fake.owner;
  payload.repository.html_url = `https://github.com/${fake.repository}`;
}

/**
 * An `issues` event payload (`opened`, `edited`, `labeled` …) from the examples with the form's fields
 * filled in. The example's label objects are reused for the new label names, so they keep GitHub's shape.
 */
export function issuesEvent(action: string, issue: IssueAdaptation, fake: FakeGitHub): Record<string, any> {
  const payload = webhookExample('issues', action);
  const labelShape = payload.issue.labels[0] ?? { id: 1, node_id: 'L', url: '', color: 'ededed', default: false, description: null };
  payload.issue.number = issue.number;
  payload.issue.title = issue.title;
  payload.issue.body = issue.body;
  payload.issue.labels = issue.labels.map((name, index) => ({ ...labelShape, id: labelShape.id + index, name }));
  payload.issue.html_url = `https://github.com/${fake.repository}/issues/${issue.number}`;
  payload.issue.url = `${fake.url}/repos/${fake.repository}/issues/${issue.number}`;
  adaptRepository(payload, fake);
  if (action === 'labeled' && payload.label) payload.label = { ...payload.label, name: issue.labels[0] ?? payload.label.name };
  return payload;
}

/** A `workflow_dispatch` payload from the examples, for the manual sweep. */
export function workflowDispatchEvent(fake: FakeGitHub): Record<string, any> {
  const payload = webhookExample('workflow_dispatch');
  adaptRepository(payload, fake);
  return payload;
}
