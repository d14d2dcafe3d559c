import { DateTime } from 'luxon';
import { addCalendarDays, instantIn, isWorkingDay, localDate, type CalendarWarning, type WorkingCalendar } from '../core/calendar.ts';
import type { ComplaintData } from '../core/complaint/schema.ts';
import { isOpen, STATE_LABELS, stateOf } from '../core/complaint/states.ts';
import type { Org } from '../core/org/schema.ts';
import { CHANNEL_LABELS } from '../core/org/vocabulary.ts';
import { codeSpan, markdownText } from '../github/markdown-text.ts';
import { zoneOf } from '../core/time-zone.ts';

/**
 * The daily roll-call (日盘点, 001 §4.4.2.4: every day the staff who received complaints go over that
 * day's complaints, so that nothing is missed or lost in passing on). Pure: the archive, the calendar
 * and the date in; one roll-call per working day out.
 *
 * A roll-call lists every complaint received on its day, and on the non-working days since the
 * previous working day (a complaint filed online on Sunday is gone over on Monday), and every open
 * complaint not yet routed: no department, or nobody assigned. On a non-working day there is none —
 * nobody is there to take it, and the next working day's roll-call covers the day.
 */

/** A run of non-working days longer than this is a calendar mistake, not a reason to look back further (Spring Festival is 8–9 days). */
const MAX_DAYS_COVERED = 31;

export interface RollCall {
  /** The working day, `YYYY-MM-DD` in the organisation's time zone. */
  date: string;
  /** Every date covered, oldest first: the non-working days before `date`, then `date`. */
  covers: string[];
  received: ComplaintData[];
  unrouted: ComplaintData[];
  warnings: CalendarWarning[];
}

/** What is missing for a complaint to be routed. */
export function missingRouting(complaint: Pick<ComplaintData, 'department' | 'assignees'>): string[] {
  return [...(complaint.department ? [] : ['责任部门']), ...(complaint.assignees.length > 0 ? [] : ['处理人'])];
}

/** The roll-call of `date`, or undefined when `date` is not a working day. */
export function rollCallFor(archive: readonly ComplaintData[], calendar: WorkingCalendar, date: string): RollCall | undefined {
  const warnings: CalendarWarning[] = [];
  const working = (day: string) => {
    const result = isWorkingDay(calendar, day);
    warnings.push(...result.warnings);
    return result.value;
  };
  if (!working(date)) return undefined;
  const covers = [date];
  for (let day = addCalendarDays(calendar, date, -1); covers.length < MAX_DAYS_COVERED && !working(day); day = addCalendarDays(calendar, day, -1)) covers.unshift(day);
  const dates = new Set(covers);
  const byReceipt = (a: ComplaintData, b: ComplaintData) => Date.parse(a.received_at) - Date.parse(b.received_at) || a.id.localeCompare(b.id);
  const received = archive.filter((complaint) => dates.has(localDate(calendar, instantIn(calendar, complaint.received_at)))).sort(byReceipt);
  const unrouted = archive.filter((complaint) => isOpen(stateOf(complaint)) && complaint.duplicate_of === undefined && missingRouting(complaint).length > 0).sort(byReceipt);
  return { date, covers, received, unrouted, warnings: [...new Map(warnings.map((warning) => [warning.year, warning])).values()] };
}

function dayLabel(date: string, timezone: string): string {
  return DateTime.fromISO(date, { zone: zoneOf(timezone) }).setLocale('zh-CN').toFormat('yyyy年M月d日（EEEE）');
}

function timeLabel(iso: string, timezone: string): string {
  return DateTime.fromISO(iso, { setZone: true }).setZone(zoneOf(timezone)).toFormat('M月d日 HH:mm');
}

function issueCell(complaint: ComplaintData): string {
  return complaint.source?.issue !== undefined ? `#${complaint.source.issue}` : '—';
}

/** The roll-call as a zh-CN comment (without its marker). */
export function rollCallText(rollCall: RollCall, org: Pick<Org, 'timezone' | 'categories' | 'departments'>): string {
  const zone = org.timezone;
  const category = (key: string) => org.categories.find((item) => item.key === key)?.label ?? key;
  const department = (key: string | undefined) => (key ? (org.departments.find((item) => item.key === key)?.name ?? key) : '—');
  const assignees = (complaint: ComplaintData) => complaint.assignees.map((handle) => codeSpan(handle)).join(' ') || '—';
  const lines = [`### 日盘点 ${dayLabel(rollCall.date, zone)}`, ''];
  if (rollCall.covers.length > 1)
    lines.push(`本次盘点包括此前的非工作日：${rollCall.covers.slice(0, -1).map((date) => dayLabel(date, zone)).join('、')}。`, '');

  lines.push(`**受理 ${rollCall.received.length} 件**`, '');
  if (rollCall.received.length === 0) lines.push('当日没有受理投诉。');
  else {
    lines.push('| 编号 | 议题 | 标题 | 受理时间 | 渠道 | 分类 | 责任部门 | 处理人 | 状态 |', '|---|---|---|---|---|---|---|---|---|');
    for (const complaint of rollCall.received)
      lines.push(
        `| ${complaint.id} | ${issueCell(complaint)} | ${markdownText(complaint.title)} | ${timeLabel(complaint.received_at, zone)} | ${CHANNEL_LABELS[complaint.channel]} | ${markdownText(category(complaint.category))} | ${markdownText(department(complaint.department))} | ${assignees(complaint)} | ${STATE_LABELS[stateOf(complaint)]} |`,
      );
  }
  lines.push('', `**尚未分派 ${rollCall.unrouted.length} 件**（没有责任部门或没有处理人的未结投诉）`, '');
  if (rollCall.unrouted.length === 0) lines.push('所有未结投诉都已分派。');
  else {
    lines.push('| 编号 | 议题 | 标题 | 受理时间 | 缺少 | 状态 |', '|---|---|---|---|---|---|');
    for (const complaint of rollCall.unrouted)
      lines.push(
        `| ${complaint.id} | ${issueCell(complaint)} | ${markdownText(complaint.title)} | ${timeLabel(complaint.received_at, zone)} | ${missingRouting(complaint).join('、')} | ${STATE_LABELS[stateOf(complaint)]} |`,
      );
  }
  lines.push('', '请受理人逐件核对：是否都已登记、分派并告知投诉人，以防遗漏和信息传递失误（001 §4.4.2.4）。');
  for (const warning of rollCall.warnings) lines.push('', `⚠️ ${warning.message}`);
  return lines.join('\n');
}
