import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { WorkingCalendar } from '../core/calendar.ts';
import { clocksOf, type ClockReading } from '../core/clocks.ts';
import type { ComplaintData } from '../core/complaint/schema.ts';
import { isOpen, stateOf } from '../core/complaint/states.ts';
import { CLOCK_LABELS, type ClockName, type Org } from '../core/org/schema.ts';
import { assessSeverity, complaintLinks, type ComplaintLinks, type ReportDutyName } from '../core/severity.ts';
import { mentions } from '../github/markdown-text.ts';
import { describeLimit, formatDueTime } from '../intake/intake-comments.ts';

/**
 * The SLA reminders (SPEC §5, issue 5 item 5). Pure: the archive, the organisation, the calendar and
 * `now` in; the reminders that are in effect out, each with a stable key, so that posting can be made
 * idempotent (the key goes into the comment's hidden marker) and a run can tell which reminders came
 * into effect since the last one (the dashboard keeps the keys that were in effect then).
 *
 * For every running clock (start S, due D, window W = D − S):
 * - due soon, from S + dueSoonShare × W until D: to the assignees;
 * - overdue, from D: to the assignees, with 督办 by the supervisors (001 篇4 (三)5(2): not done within
 *   the time limit without good reason);
 * - long overdue, from D + longOverdueShare × W: to leadership.
 * An overdue clock's due-soon reminder is no longer in effect: a run that missed the hour in which a
 * clock became due soon and the hour it became overdue posts only the overdue one.
 *
 * The reporting duties of severe complaints (001 §4.6.3, `assessSeverity`): the immediate report of a
 * major complaint and the one-working-day report of a hot one from the moment the level was reached
 * until reported; the weekly flash report of a major complaint from its due time (a new key each week,
 * as each `escalated` event moves it); the reports due within a week of closing, from closing until due.
 * To the supervisors and leadership.
 *
 * The key names the complaint, the clock or duty, the kind and the due time: an extension or a pause
 * that moves the due time makes a new reminder, which is right — the old one is about a time that no
 * longer applies.
 */

export const REMINDER_KINDS = ['due_soon', 'overdue', 'long_overdue', 'report'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

export const REMINDER_KIND_LABELS: Record<ReminderKind, string> = {
  due_soon: '即将到期',
  overdue: '已超时',
  long_overdue: '严重超时',
  report: '报告义务',
};

export interface Reminder {
  /** `2026-0001:reply:overdue:20261012t093000z` — stable across runs for the same fact. */
  key: string;
  /** The hidden marker kind of the reminder's comment (src/github/bot-comments.ts). */
  markerKind: string;
  kind: ReminderKind;
  id: string;
  /** The tracking issue, when the complaint has one; otherwise the reminder goes to the dashboard. */
  issue?: number;
  clock?: ClockName;
  duty?: ReportDutyName;
  /** The due time the reminder is about (ISO 8601). */
  due: string;
  /** When the reminder came into effect. */
  since: string;
  /** Who is mentioned. */
  audience: string[];
  /** The comment (zh-CN), without its marker. */
  text: string;
}

/** The first-mentioned people of each kind, with fallbacks so that a reminder always reaches someone. */
function assigneesOf(complaint: ComplaintData, org: Org): string[] {
  if (complaint.assignees.length > 0) return complaint.assignees;
  const handlers = org.departments.find((department) => department.key === complaint.department)?.handlers ?? [];
  return handlers.length > 0 ? handlers : supervisorsOf(org);
}

function supervisorsOf(org: Org): string[] {
  return org.supervisors.length > 0 ? org.supervisors : org.leadership;
}

function leadershipOf(org: Org): string[] {
  return org.leadership.length > 0 ? org.leadership : org.supervisors;
}

/** `2026-10-12T09:30:00Z` → `20261012t093000z`: a due time in a marker (lowercase, no `+`). */
function compactInstant(iso: string): string {
  return DateTime.fromISO(iso, { setZone: true }).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'").toLowerCase();
}

/** The short, stable form of a key the dashboard stores (12 hex digits of its SHA-256). */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

function reminder(fields: Omit<Reminder, 'key' | 'markerKind'> & { subject: string }): Reminder {
  const { subject, ...rest } = fields;
  const key = `${fields.id}:${subject}:${fields.kind}:${compactInstant(fields.due)}`;
  return { key, markerKind: `remind:${key}`, ...rest };
}

function clockLine(complaint: ComplaintData, clock: ClockReading): string {
  return `投诉 ${complaint.id} 的“${CLOCK_LABELS[clock.clock]}”时限（${describeLimit(clock.limit)}）`;
}

function clockReminders(complaint: ComplaintData, clock: ClockReading, org: Org, now: number): Reminder[] {
  const start = Date.parse(clock.startedAt);
  const due = Date.parse(clock.due);
  const window = due - start;
  const zone = org.timezone;
  const dueText = formatDueTime(clock.due, zone);
  const issue = complaint.source?.issue;
  const common = { id: complaint.id, ...(issue !== undefined ? { issue } : {}), clock: clock.clock, due: clock.due, subject: clock.clock };
  const reminders: Reminder[] = [];
  const dueSoonAt = start + org.reminders.dueSoonShare * window;
  if (now >= dueSoonAt && now <= due) {
    const audience = assigneesOf(complaint, org);
    reminders.push(
      reminder({
        ...common,
        kind: 'due_soon',
        since: new Date(dueSoonAt).toISOString(),
        audience,
        text: `⏰ **时限提醒**：${clockLine(complaint, clock)}将于 ${dueText} 到期。\n\n${mentions(audience)} 请在到期前处理，并在投诉档案中记录。`,
      }),
    );
  }
  if (now > due) {
    const audience = assigneesOf(complaint, org);
    const supervisors = supervisorsOf(org);
    reminders.push(
      reminder({
        ...common,
        kind: 'overdue',
        since: clock.due,
        audience: [...new Set([...audience, ...supervisors])],
        text: [
          `🔴 **已超时**：${clockLine(complaint, clock)}已于 ${dueText} 到期，尚未完成。`,
          '',
          `${mentions(audience)} 请尽快处理，并在投诉档案中记录。`,
          '',
          `**督办**：${mentions(supervisors)} 未按规定的办理期限办结，请督办并提出改进建议（001 篇4 (三)5）。`,
        ].join('\n'),
      }),
    );
  }
  const longOverdueAt = due + org.reminders.longOverdueShare * window;
  if (now > longOverdueAt) {
    const audience = leadershipOf(org);
    reminders.push(
      reminder({
        ...common,
        kind: 'long_overdue',
        since: new Date(longOverdueAt).toISOString(),
        audience,
        text: `🚨 **严重超时**：${clockLine(complaint, clock)}已于 ${dueText} 到期，超时已超过时限本身的长度，仍未完成。\n\n${mentions(audience)} 请领导关注并协调解决。`,
      }),
    );
  }
  return reminders;
}

/** 001 §4.6.3: what each reporting duty asks, in words. */
const DUTY_TEXT: Record<ReportDutyName, string> = {
  immediate_report: '重大投诉须即时反馈至集团物业管理部（001 §4.6.3.2）',
  weekly_flash_report: '重大投诉处理过程中须每周向集团物业管理部快报一次（001 §4.6.3.2），记录一个“督办/上报”（escalated）事件后计时重新开始',
  special_report: '重大投诉处理完毕后须提交详细的专题报告（001 §4.6.3.2）',
  hot_report: '热点投诉须在一个工作日内反馈至集团物业管理部（001 §4.6.3.3）',
  case_report: '热点投诉处理完毕后一周内须提交专题案例报告（001 §4.6.3.3）',
  closing_report: '重要投诉处理完毕后一周内须反馈至集团物业管理部（001 §4.6.3.4）',
};

function reportReminders(complaint: ComplaintData, archive: readonly ComplaintData[] | ComplaintLinks, org: Org, calendar: WorkingCalendar, now: Date): Reminder[] {
  const assessment = assessSeverity(complaint, archive, org, calendar, now);
  if (assessment.level === 'normal') return [];
  const open = isOpen(stateOf(complaint));
  const closedAt = complaint.closure?.at;
  const issue = complaint.source?.issue;
  const audience = [...new Set([...supervisorsOf(org), ...leadershipOf(org)])];
  const reasons = assessment.reasons.filter((reason) => reason.level === assessment.level).map((reason) => reason.text);
  return assessment.duties.flatMap((duty): Reminder[] => {
    if (!duty.due) return [];
    const due = Date.parse(duty.due);
    let since: string | undefined;
    if (!duty.afterClosing && open) {
      // The weekly flash report is due each week; the others are due from the moment the level was reached.
      since = duty.duty === 'weekly_flash_report' ? duty.due : (assessment.since ?? complaint.received_at);
      if (duty.duty === 'weekly_flash_report' && now.getTime() < due) return [];
    } else if (duty.afterClosing && !open && closedAt && now.getTime() <= due) {
      since = closedAt;
    }
    if (since === undefined || Date.parse(since) > now.getTime()) return [];
    return [
      reminder({
        id: complaint.id,
        ...(issue !== undefined ? { issue } : {}),
        duty: duty.duty,
        due: duty.due,
        since,
        subject: duty.duty,
        kind: 'report',
        audience,
        text: [
          `📣 **${assessment.label}报告**：投诉 ${complaint.id} 为${assessment.label}${reasons.length > 0 ? `（${reasons.join('；')}）` : ''}。`,
          '',
          `${DUTY_TEXT[duty.duty]}，最迟 ${formatDueTime(duty.due, org.timezone)}。`,
          '',
          `${mentions(audience)} 请按要求报告，并在投诉档案中记录一个“督办/上报”（escalated）事件。`,
        ].join('\n'),
      }),
    ];
  });
}

/** Every reminder in effect at `now` (see the module comment), in a stable order. */
export function remindersInEffect(archive: readonly ComplaintData[], org: Org, calendar: WorkingCalendar, now: Date): Reminder[] {
  const reminders: Reminder[] = [];
  const links = complaintLinks(archive);
  for (const complaint of archive) {
    for (const clock of clocksOf(complaint, org, calendar, now)) if (clock.running) reminders.push(...clockReminders(complaint, clock, org, now.getTime()));
    if (complaint.duplicate_of === undefined) reminders.push(...reportReminders(complaint, links, org, calendar, now));
  }
  return reminders.sort((a, b) => a.id.localeCompare(b.id) || Date.parse(a.since) - Date.parse(b.since) || a.key.localeCompare(b.key));
}

/** What the last run left: when it ran and the digests of the reminders that were in effect then. */
export interface ReminderRecord {
  lastRun: string;
  inEffect: readonly string[];
}

/**
 * The reminders to post now: those in effect that were not in effect at the last run — everything
 * that came into effect since, however many runs GitHub dropped in between. Without a record (the
 * first run, a lost dashboard) every reminder in effect is due; the markers keep it from being posted
 * a second time.
 */
export function remindersDue(inEffect: readonly Reminder[], previous: ReminderRecord | undefined): Reminder[] {
  if (!previous) return [...inEffect];
  const seen = new Set(previous.inEffect);
  return inEffect.filter((item) => !seen.has(keyDigest(item.key)));
}
