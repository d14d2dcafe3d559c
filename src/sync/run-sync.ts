import { decodeText, ORG_FILE, parseOrg } from '../archive/archive.ts';
import type { Org } from '../core/org/schema.ts';
import { botComments, upsertBotComment } from '../github/bot-comments.ts';
import { COMPLAINT_FILE_LABEL_PREFIXES } from '../github/complaint-labels.ts';
import { GitHubCallError, type GitHubIssue, type GitHubLabel, type GitHubPort } from '../github/github-port.ts';
import { ensureLabels, nextLabels, sameLabels } from '../github/labels.ts';
import { findOrOpenStandingIssue } from '../github/standing-issue.ts';
import { changedComplaintFiles, fileAt, GitReadError, isAncestor, resolveCommit } from '../git/complaint-diff.ts';
import { DASHBOARD_ISSUE, DASHBOARD_PLACEHOLDER } from '../reminders/dashboard-issue.ts';
import type { SyncEvent } from './push-event.ts';
import { planSync, type IssueUpdate, type SyncPlan } from './sync-plan.ts';

/**
 * The sync's shell (issue 5 item 4): reads the pushed range from Git, plans the updates
 * (`sync-plan.ts`) and applies them through the GitHub port, one issue at a time, each step only when
 * it changes something — a re-run makes no writes.
 *
 * Catch-up: GitHub cancels a pending run when another one queues behind it in the concurrency group,
 * so the range of one push event may never be synced by its own run. The sync therefore keeps a
 * record of the last commit it synced (a marked comment on the dashboard issue) and syncs from that
 * commit to this run's, whatever the event says; the event's `before` is used only when there is no
 * usable record. The record moves on only when every issue was updated, so a failed run is redone.
 */

/** Marker kind of the sync record on the dashboard issue. */
export const SYNC_RECORD_KIND = 'sync:last-synced';

const RECORD_LINE = /<!-- synced-commit ([0-9a-f]{40}) -->/;

/** Raised when the sync cannot run at all (org.yaml unreadable at the head). */
export class SyncSetupError extends Error {
  override readonly name = 'SyncSetupError';
}

export interface SyncContext {
  /** A clone holding the pushed commits (full history). */
  root: string;
  port: GitHubPort;
  log?: (line: string) => void;
}

export interface SyncRequest {
  /** Sync exactly this range (manual runs); the record is neither read nor moved. */
  base?: string;
  head?: string;
  /** What started the run; a push's range is the fallback when no record exists. */
  event?: SyncEvent;
}

export type IssueOutcome =
  | { issue: number; id: string; outcome: 'updated' | 'unchanged'; commented: boolean; labelled: boolean; state?: 'open' | 'closed' }
  | { issue: number; id: string; outcome: 'missing' | 'failed'; error: string };

export interface SyncResult {
  from?: string;
  to: string;
  outcomes: IssueOutcome[];
  skipped: SyncPlan['skipped'];
  /** The commit recorded as synced, when the record moved. */
  recorded?: string;
  notice?: string;
}

/** The organisation at a commit, for the labels' names and the time zone. */
export async function orgAt(root: string, commit: string): Promise<Org> {
  const bytes = await fileAt(root, commit, ORG_FILE);
  if (!bytes) throw new SyncSetupError(`${ORG_FILE} is missing at ${commit}（缺少组织配置文件）`);
  const decoded = decodeText(ORG_FILE, bytes);
  const parsed = decoded.text === undefined ? undefined : parseOrg(decoded.text);
  if (!parsed?.org) {
    const problems = parsed?.problems ?? decoded.problems;
    throw new SyncSetupError(`${ORG_FILE} is invalid at ${commit}: ${problems.map((problem) => problem.message).join('; ')}（组织配置文件无效）`);
  }
  return parsed.org;
}

/** The plan for a range of commits. */
export async function planRange(root: string, from: string, to: string): Promise<SyncPlan> {
  return planSync(await changedComplaintFiles(root, from, to), await orgAt(root, to));
}

async function commitOrUndefined(root: string, ref: string | undefined): Promise<string | undefined> {
  if (!ref) return undefined;
  try {
    return await resolveCommit(root, ref);
  } catch (cause) {
    if (cause instanceof GitReadError) return undefined;
    throw cause;
  }
}

/** The commit the record on the dashboard names, if any. */
export function recordedCommit(bodies: readonly string[]): string | undefined {
  for (const body of bodies) {
    const match = RECORD_LINE.exec(body);
    if (match) return match[1];
  }
  return undefined;
}

function recordText(commit: string): string {
  return `同步记录：各投诉议题已按提交 \`${commit.slice(0, 7)}\` 同步（由工作流维护）。\n<!-- synced-commit ${commit} -->`;
}

/** Runs the sync; see the module comment. */
export async function runSync(context: SyncContext, request: SyncRequest = {}): Promise<SyncResult> {
  const { root, port } = context;
  const log = context.log ?? (() => undefined);
  const event = request.event;
  const to = await resolveCommit(root, request.head ?? (event?.kind === 'push' ? event.after : 'HEAD'));
  let from = request.base === undefined ? undefined : await resolveCommit(root, request.base);
  let dashboard: GitHubIssue | undefined;
  if (from === undefined) {
    dashboard = await findOrOpenStandingIssue(port, DASHBOARD_ISSUE, DASHBOARD_PLACEHOLDER);
    const recorded = await commitOrUndefined(root, recordedCommit(botComments(await port.listComments(dashboard.number), SYNC_RECORD_KIND).map((comment) => comment.body)));
    const before = await commitOrUndefined(root, event?.kind === 'push' ? event.before : undefined);
    if (recorded && (await isAncestor(root, recorded, to))) from = recorded;
    else if (before) from = before;
    else {
      await upsertBotComment(port, dashboard.number, SYNC_RECORD_KIND, recordText(to));
      const notice = `no earlier sync recorded and no pushed range: recorded ${to} as the starting point（尚无同步记录：以当前提交为起点）`;
      log(notice);
      return { to, outcomes: [], skipped: [], recorded: to, notice };
    }
  }
  const plan = from === to ? { updates: [], skipped: [] } : await planRange(root, from, to);
  log(`syncing ${from.slice(0, 7)}..${to.slice(0, 7)}: ${plan.updates.length} issue(s)（同步 ${plan.updates.length} 个议题）`);
  for (const skip of plan.skipped) log(`${skip.path}: skipped: ${skip.reason}`);

  const definitions = uniqueLabels(plan.updates.flatMap((update) => update.labels));
  if (definitions.length > 0) await ensureLabels(port, definitions);
  const outcomes: IssueOutcome[] = [];
  for (const update of plan.updates) outcomes.push(await applyUpdate(port, update, log));

  const failed = outcomes.some((outcome) => outcome.outcome === 'failed');
  let recorded: string | undefined;
  if (dashboard && !failed) {
    await upsertBotComment(port, dashboard.number, SYNC_RECORD_KIND, recordText(to));
    recorded = to;
  }
  return { from, to, outcomes, skipped: plan.skipped, ...(recorded ? { recorded } : {}) };
}

function uniqueLabels(labels: readonly GitHubLabel[]): GitHubLabel[] {
  const byName = new Map<string, GitHubLabel>();
  for (const label of labels) if (!byName.has(label.name)) byName.set(label.name, label);
  return [...byName.values()];
}

/** Comment, labels, then the open/closed state, each only when it changes something. */
async function applyUpdate(port: GitHubPort, update: IssueUpdate, log: (line: string) => void): Promise<IssueOutcome> {
  let issue: GitHubIssue;
  try {
    issue = await port.getIssue(update.issue);
  } catch (cause) {
    if (cause instanceof GitHubCallError && (cause.status === 404 || cause.status === 410)) {
      log(`#${update.issue} (${update.id}): the issue does not exist any more（议题不存在）`);
      return { issue: update.issue, id: update.id, outcome: 'missing', error: (cause as Error).message };
    }
    return { issue: update.issue, id: update.id, outcome: 'failed', error: (cause as Error).message };
  }
  try {
    if (issue.isPullRequest) return { issue: update.issue, id: update.id, outcome: 'missing', error: `#${update.issue} is a pull request, not an issue` };
    const commented = update.comment ? (await upsertBotComment(port, update.issue, update.comment.kind, update.comment.text)) !== 'unchanged' : false;
    const kept = issue.labels.filter((label) => !update.dropLabels.includes(label));
    const next = nextLabels(kept, update.labels.map((label) => label.name), { prefixes: COMPLAINT_FILE_LABEL_PREFIXES, names: [] });
    const labelled = !sameLabels(issue.labels, next);
    if (labelled) await port.setLabels(update.issue, next);
    const state = update.issueState && update.issueState !== issue.state ? update.issueState : undefined;
    if (state) await port.updateIssue(update.issue, { state });
    const changed = commented || labelled || state !== undefined;
    log(`#${update.issue} (${update.id}): ${changed ? 'updated' : 'already up to date'}${state ? `, ${state === 'closed' ? 'closed' : 'reopened'}` : ''}（${changed ? '已同步' : '无需更新'}）`);
    return { issue: update.issue, id: update.id, outcome: changed ? 'updated' : 'unchanged', commented, labelled, ...(state ? { state } : {}) };
  } catch (cause) {
    log(`#${update.issue} (${update.id}): FAILED: ${(cause as Error).message}（同步失败）`);
    return { issue: update.issue, id: update.id, outcome: 'failed', error: (cause as Error).message };
  }
}
