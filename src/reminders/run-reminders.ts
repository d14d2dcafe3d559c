import { validateArchive } from '../archive/archive.ts';
import { chineseDaysSource } from '../calendar/chinese-days.ts';
import { workingCalendar } from '../core/calendar.ts';
import { clocksOf } from '../core/clocks.ts';
import { botComments, upsertBotComment } from '../github/bot-comments.ts';
import type { GitHubComment, GitHubPort } from '../github/github-port.ts';
import { findOrOpenStandingIssue, standingIssueBody } from '../github/standing-issue.ts';
import { dashboardText, readReminderRecord, type OpenClock } from './dashboard.ts';
import { DASHBOARD_ISSUE, DASHBOARD_PLACEHOLDER } from './dashboard-issue.ts';
import { keyDigest, remindersDue, remindersInEffect, type Reminder } from './due-reminders.ts';

/**
 * The reminders' shell (issue 5 items 5 and 12): reads the archive in the working copy, works out
 * the reminders that came into effect since the last run (`due-reminders.ts`, the record on the
 * dashboard), posts each as a marked comment on the complaint's tracking issue (on the dashboard for
 * complaints without one) unless a comment with its marker is already there, and rewrites the
 * dashboard with every open clock and the new record. Requests: one listing per issue that gets a
 * reminder, one comment per reminder, one dashboard edit — GITHUB_TOKEN's budget is about 1,000 an hour.
 */

/** Raised when the archive cannot be read at all (org.yaml invalid). */
export class RemindersSetupError extends Error {
  override readonly name = 'RemindersSetupError';
}

export interface RemindersContext {
  /** The working copy holding content/. */
  root: string;
  port: GitHubPort;
  now: Date;
  log?: (line: string) => void;
}

export interface RemindersResult {
  dashboard: number;
  inEffect: number;
  posted: { key: string; issue: number }[];
  /** Due now, but a comment with its marker was already there (an earlier run that did not record, a re-run). */
  alreadyPosted: string[];
  failed: { key: string; error: string }[];
  /** Files with problems (`validate` lists them); only those that do not match the schema are left out. */
  problems: number;
}

/**
 * The organisation and every complaint whose front matter matches the schema. A file with a problem
 * in its record (a missing field for its state, say) still has clocks that run: it is reminded of
 * like any other, and the problem is `validate`'s and the pull-request check's to report.
 */
async function readArchive(root: string) {
  const archive = await validateArchive(root);
  if (!archive.org) throw new RemindersSetupError(`content/org.yaml is invalid: ${archive.problems.filter((problem) => problem.file === 'content/org.yaml').map((problem) => problem.message).join('; ')}`);
  return { org: archive.org, complaints: archive.complaints.map((complaint) => complaint.data), problems: new Set(archive.problems.map((problem) => problem.file)).size };
}

/** Runs the reminders once; see the module comment. */
export async function runReminders(context: RemindersContext): Promise<RemindersResult> {
  const { port, now } = context;
  const log = context.log ?? (() => undefined);
  const { org, complaints, problems } = await readArchive(context.root);
  if (problems > 0) log(`${problems} file(s) with problems; unreadable ones are left out; run "complaints validate"（${problems} 个文件有问题，请运行 validate）`);
  const calendar = workingCalendar(org, chineseDaysSource);

  const dashboard = await findOrOpenStandingIssue(port, DASHBOARD_ISSUE, DASHBOARD_PLACEHOLDER);
  const previous = readReminderRecord(dashboard.body);
  const inEffect = remindersInEffect(complaints, org, calendar, now);
  const due = remindersDue(inEffect, previous);
  log(`${inEffect.length} reminder(s) in effect, ${due.length} new since ${previous?.lastRun ?? 'ever'}（${due.length} 条新提醒）`);

  const byIssue = new Map<number, Reminder[]>();
  for (const item of due) {
    const target = item.issue ?? dashboard.number;
    byIssue.set(target, [...(byIssue.get(target) ?? []), item]);
  }
  const posted: RemindersResult['posted'] = [];
  const alreadyPosted: string[] = [];
  const failed: RemindersResult['failed'] = [];
  for (const [issue, reminders] of byIssue) {
    let comments: GitHubComment[];
    try {
      comments = await port.listComments(issue);
    } catch (cause) {
      for (const item of reminders) failed.push({ key: item.key, error: (cause as Error).message });
      log(`#${issue}: cannot read the comments: ${(cause as Error).message}（无法读取议题评论）`);
      continue;
    }
    for (const item of reminders) {
      if (botComments(comments, item.markerKind).length > 0) {
        alreadyPosted.push(item.key);
        continue;
      }
      try {
        await upsertBotComment(port, issue, item.markerKind, item.text, comments);
        posted.push({ key: item.key, issue });
        log(`#${issue}: ${item.kind} reminder for ${item.id} (${item.key})（已发出提醒）`);
      } catch (cause) {
        failed.push({ key: item.key, error: (cause as Error).message });
        log(`#${issue}: FAILED to post ${item.key}: ${(cause as Error).message}（提醒发送失败）`);
      }
    }
  }

  // A reminder that failed is left out of the record, so the next run tries it again.
  const failedKeys = new Set(failed.map((item) => item.key));
  const record = { lastRun: now.toISOString(), inEffect: inEffect.filter((item) => !failedKeys.has(item.key)).map((item) => keyDigest(item.key)) };
  const clocks: OpenClock[] = complaints.flatMap((complaint) =>
    clocksOf(complaint, org, calendar, now)
      .filter((clock) => clock.running)
      .map((clock) => ({ complaint, clock })),
  );
  const body = standingIssueBody(
    DASHBOARD_ISSUE,
    dashboardText({
      timezone: org.timezone,
      now,
      ...(previous ? { previousRun: previous.lastRun } : {}),
      clocks,
      reports: inEffect.filter((item) => item.kind === 'report'),
      posted: posted.length,
      failed: failed.length,
      record,
    }),
  );
  if (body !== dashboard.body) await port.updateIssue(dashboard.number, { body });
  return { dashboard: dashboard.number, inEffect: inEffect.length, posted, alreadyPosted, failed, problems };
}
