import { validateArchive } from '../archive/archive.ts';
import { chineseDaysSource } from '../calendar/chinese-days.ts';
import { fromDate, localDate, workingCalendar } from '../core/calendar.ts';
import { upsertBotComment, type UpsertResult } from '../github/bot-comments.ts';
import type { GitHubPort } from '../github/github-port.ts';
import { findOrOpenStandingIssue, type StandingIssue } from '../github/standing-issue.ts';
import { rollCallFor, rollCallText, type RollCall } from './roll-call.ts';

/**
 * The roll-call's shell: reads the archive in the working copy, takes the roll-call of a date (today
 * in the organisation's time zone unless given) and posts it as one marked comment per date on the
 * standing roll-call issue — created if missing, edited if the roll-call of that date changed,
 * left alone otherwise. Nothing is posted on a non-working day.
 */

export const ROLLCALL_ISSUE: StandingIssue = {
  kind: 'rollcall',
  label: { name: '日盘点', color: '5319e7', description: '每个工作日的投诉日盘点（由工作流维护，请勿关闭）' },
  title: '投诉日盘点',
};

const ROLLCALL_INTRODUCTION = '每个工作日下班后，工作流在本页留言列出当日受理的投诉和尚未分派的投诉（001 §4.4.2.4 日盘点）。请关注（Subscribe）本页。';

/** The marker kind of a date's roll-call comment. */
export function rollCallCommentKind(date: string): string {
  return `rollcall:${date}`;
}

/** Raised when org.yaml is invalid. */
export class RollCallSetupError extends Error {
  override readonly name = 'RollCallSetupError';
}

export interface RollCallRequest {
  root: string;
  now: Date;
  /** `YYYY-MM-DD`; today (in org.yaml's time zone) when absent. */
  date?: string;
}

/** The roll-call of the requested date, with the organisation, or undefined on a non-working day. */
export async function takeRollCall(request: RollCallRequest) {
  const archive = await validateArchive(request.root);
  if (!archive.org) throw new RollCallSetupError(`content/org.yaml is invalid: ${archive.problems.map((problem) => problem.message).join('; ')}`);
  const org = archive.org;
  const calendar = workingCalendar(org, chineseDaysSource);
  const date = request.date ?? localDate(calendar, fromDate(calendar, request.now));
  // Every complaint whose front matter is readable is gone over, problems or not: a roll-call is for finding what slipped.
  const complaints = archive.complaints.map((complaint) => complaint.data);
  const rollCall = rollCallFor(complaints, calendar, date);
  return { org, date, rollCall, text: rollCall ? rollCallText(rollCall, org) : undefined };
}

export interface RollCallResult {
  date: string;
  rollCall?: RollCall;
  issue?: number;
  comment?: UpsertResult;
}

/** Takes the roll-call and posts it on the roll-call issue. */
export async function runRollCall(request: RollCallRequest & { port: GitHubPort }): Promise<RollCallResult> {
  const { date, rollCall, text } = await takeRollCall(request);
  if (!rollCall || text === undefined) return { date };
  const issue = await findOrOpenStandingIssue(request.port, ROLLCALL_ISSUE, ROLLCALL_INTRODUCTION);
  const comment = await upsertBotComment(request.port, issue.number, rollCallCommentKind(date), text);
  return { date, rollCall, issue: issue.number, comment };
}
