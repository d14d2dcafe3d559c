import { readComplaintFile } from '../archive/archive.ts';
import type { ComplaintData, ComplaintEvent } from '../core/complaint/schema.ts';
import { isOpen, STATE_LABELS, stateOf, type State } from '../core/complaint/states.ts';
import type { Org } from '../core/org/schema.ts';
import { EVENT_LABELS } from '../core/org/vocabulary.ts';
import { CATEGORY_GUESS_LABEL, complaintLabels } from '../github/complaint-labels.ts';
import type { GitHubLabel } from '../github/github-port.ts';
import { markdownText } from '../github/markdown-text.ts';
import { formatDueTime } from '../intake/intake-comments.ts';
import { compareEvents } from '../check/event-history.ts';

/**
 * The sync (issue 5 item 4, SPEC §8): what a pushed range of commits means for each changed
 * complaint's tracking issue (`source.issue`). Pure: the caller reads both sides of every changed
 * file from Git and applies the plan through the GitHub port.
 *
 * Per issue: a zh-CN comment with only the public part of the change — the state before and after,
 * each recorded step with its time and its `public_note` — never internal notes, contact data, the
 * complaint text or who did it; the labels that say what the file says (the same `complaintLabels`
 * intake sets); and the issue closed when the complaint left the open states (closed, rejected,
 * withdrawn, written off) or reopened when it came back. The open/closed state of the issue is only
 * touched when the complaint's changed in the range, so an issue a person closed stays closed until
 * the complaint itself moves.
 */

export interface IssueUpdate {
  issue: number;
  id: string;
  path: string;
  /** The labels the file calls for (category, urgency, department, state). */
  labels: GitHubLabel[];
  /** Workflow labels that no longer apply (the category guess once a handler set the category). */
  dropLabels: string[];
  /** Set when the complaint closed or reopened in the range. */
  issueState?: 'open' | 'closed';
  /** The public comment, with the marker kind that makes it idempotent. */
  comment?: { kind: string; text: string };
}

export interface SyncPlan {
  updates: IssueUpdate[];
  /** Changed complaint files that give no update, and why (English with zh-CN, for the log). */
  skipped: { path: string; reason: string }[];
}

export interface SyncChange {
  path: string;
  base?: Uint8Array;
  head?: Uint8Array;
}

/**
 * The marker kind of the comment for a complaint's record up to its `count`th event: a re-run
 * finds and keeps it, the next change (more events) gets a comment of its own.
 */
export function syncCommentKind(id: string, count: number): string {
  return `sync:${id}:${count}`;
}

function readData(path: string, bytes: Uint8Array | undefined): ComplaintData | undefined {
  return bytes ? readComplaintFile(path, bytes).complaint?.data : undefined;
}

/** One recorded step as the public sees it: when, what, and the public note. */
function publicStep(event: ComplaintEvent, timezone: string): string {
  const note = event.public_note?.trim();
  return `- ${formatDueTime(event.at, timezone)} ${EVENT_LABELS[event.type]}${note ? `：${markdownText(note)}` : ''}`;
}

/** The public comment for a change; see the module comment for what it never contains. */
export function syncComment(data: ComplaintData, before: State | undefined, added: readonly ComplaintEvent[], timezone: string): string {
  const after = stateOf(data);
  const lines = [`**投诉 ${data.id} 处理进展**`, ''];
  if (before === undefined) lines.push(`状态：${STATE_LABELS[after]}`);
  else if (before !== after) lines.push(`状态：${STATE_LABELS[before]} → ${STATE_LABELS[after]}`);
  else lines.push(`状态：${STATE_LABELS[after]}（未变）`);
  if (added.length > 0) lines.push('', '新的处理记录：', '', ...added.map((event) => publicStep(event, timezone)));
  if (before !== undefined && isOpen(before) && !isOpen(after)) lines.push('', '本投诉已办结，本页随之关闭。如对处理结果有意见，请在本页留言。');
  if (before !== undefined && !isOpen(before) && isOpen(after)) lines.push('', '本投诉已重新处理，本页重新打开。');
  return lines.join('\n');
}

/** What to do on each tracking issue for the changes of a pushed range (see the module comment). */
export function planSync(changes: readonly SyncChange[], org: Org): SyncPlan {
  const updates: IssueUpdate[] = [];
  const skipped: SyncPlan['skipped'] = [];
  for (const change of changes) {
    if (!change.path.endsWith('.md')) continue;
    const head = readData(change.path, change.head);
    if (!change.head) {
      skipped.push({ path: change.path, reason: 'the file was deleted; the pull-request check refuses that（文件已删除）' });
      continue;
    }
    if (!head) {
      skipped.push({ path: change.path, reason: 'the file does not validate; `complaints validate` says why（文件未通过校验）' });
      continue;
    }
    const issue = head.source?.issue;
    if (issue === undefined) {
      skipped.push({ path: change.path, reason: `${head.id} has no tracking issue (source.issue)（无对应议题）` });
      continue;
    }
    const base = readData(change.path, change.base);
    const before = base ? stateOf(base) : undefined;
    const after = stateOf(head);
    const added = base ? compareEvents(base.events, head.events).added : [];
    const opennessChanged = before !== undefined && isOpen(before) !== isOpen(after);
    const categoryConfirmed = base !== undefined && base.category !== head.category;
    updates.push({
      issue,
      id: head.id,
      path: change.path,
      labels: complaintLabels(head, org),
      dropLabels: categoryConfirmed ? [CATEGORY_GUESS_LABEL] : [],
      ...(opennessChanged ? { issueState: isOpen(after) ? ('open' as const) : ('closed' as const) } : {}),
      // A new file was announced by intake (or registered by staff); a change with new steps is announced here.
      ...(base && added.length > 0 ? { comment: { kind: syncCommentKind(head.id, head.events.length), text: syncComment(head, before, added, org.timezone) } } : {}),
    });
  }
  return { updates, skipped };
}
