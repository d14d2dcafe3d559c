import { DateTime } from 'luxon';
import type { Org } from '../core/org/schema.ts';
import type { ComplaintData } from '../core/complaint/schema.ts';
import { receivedMonth } from '../core/complaint/paths.ts';
import { STATE_LABELS, stateOf, isOpen } from '../core/complaint/states.ts';
import { workingCalendar, type WorkingCalendar } from '../core/calendar.ts';
import type { Report } from '../core/statistics/report.ts';
import { chineseDaysSource } from '../calendar/chinese-days.ts';
import { complaintPage, type ComplaintPage } from './complaint-page.ts';
import { daysBetween, localDay } from './format.ts';
import { monthlyNotice, reportFor, type MonthlyNotice, type NoticeInput } from './monthly-notice.ts';
import { isPublicComplaint, publicComplaintRows, type PublicComplaintRow } from './public-complaints.ts';
import { zoneOf } from '../core/time-zone.ts';

/**
 * Everything the notice board's pages, feeds and downloads are made of, computed once per build from
 * the archive, the organisation and the moment of the build. Pure apart from the holiday data it
 * attaches to the calendar. Pages get views (`ComplaintPage`, `MonthlyNotice`, rows), never raw
 * records, so what reaches the HTML is decided here and in the view modules.
 */

/** A complaint as the board's loader hands it over: its front matter (without contact) and, for public ones only, its body. */
export interface BoardComplaint {
  data: ComplaintData;
  body?: string;
}

/** A report file as the loader reads it (content/reports/YYYY-MM.md). */
export interface BoardReportFile {
  label: string;
  status: 'draft' | 'published';
  /** The reviewed narrative as sanitised HTML, present only once the report is published. */
  narrativeHtml?: string;
  generatedAt: string;
}

export interface BoardInput {
  org: Org;
  complaints: readonly BoardComplaint[];
  reportFiles: readonly BoardReportFile[];
  now: Date;
}

/** An open public complaint on the home page: how long it has been open. */
export interface OpenComplaintRow extends PublicComplaintRow {
  days: number;
}

export interface Board {
  org: Org;
  now: Date;
  calendar: WorkingCalendar;
  /** `YYYY-MM` of every month in which a complaint was received, oldest first: each has a notice. */
  months: string[];
  /** Every month from the first with complaints to the latest, gaps included: the statistics page's rows. */
  monthRange: string[];
  /** The quarters (`YYYY-Qn`) and statistics years (`YYYY`) those months fall in. */
  quarters: string[];
  years: string[];
  /** The month the home page shows: the latest finished month with complaints, else the latest month. */
  latestMonth: string | undefined;
  notice(label: string): MonthlyNotice;
  report(label: string): Report;
  reportFile(label: string): BoardReportFile | undefined;
  /** Public complaints, newest first. */
  publicRows: PublicComplaintRow[];
  /** Public complaints still being handled, longest open first. */
  openRows: OpenComplaintRow[];
  complaintPage(id: string): ComplaintPage;
  /** How many complaints the archive holds, and how many of them the board lists. */
  counts: { all: number; public: number };
}

/** The environment variable that fixes the board's "now" (ISO 8601), so builds and tests are reproducible. */
export const BOARD_NOW_VARIABLE = 'BOARD_NOW';

/** Raised for a BOARD_NOW that is not an ISO 8601 time. */
export class BoardNowError extends Error {
  override readonly name = 'BoardNowError';
  constructor(text: string) {
    super(`${BOARD_NOW_VARIABLE}="${text}" is not an ISO 8601 time such as 2026-11-23T10:00:00+08:00（公示栏时间设置无效）`);
  }
}

/** The board's "now": $BOARD_NOW when set, else the time of the build. */
export function boardNow(environment: Readonly<Record<string, string | undefined>>, buildTime: Date): Date {
  const text = environment[BOARD_NOW_VARIABLE]?.trim();
  if (!text) return buildTime;
  const parsed = DateTime.fromISO(text, { setZone: true });
  if (!parsed.isValid) throw new BoardNowError(text);
  return parsed.toJSDate();
}

function memo<K, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, compute(key));
    return cache.get(key)!;
  };
}

/** The months with complaints received up to `now`, oldest first. */
export function monthsWithComplaints(complaints: readonly Pick<ComplaintData, 'received_at'>[], timezone: string, now: Date): string[] {
  const months = new Set<string>();
  for (const data of complaints) {
    if (Date.parse(data.received_at) > now.getTime()) continue;
    const { year, month } = receivedMonth(data.received_at, timezone);
    months.add(`${year}-${month}`);
  }
  return [...months].sort();
}

/** Every month from `first` to `last` (`YYYY-MM`), both included. */
export function monthsBetween(first: string, last: string): string[] {
  const months: string[] = [];
  let [year, month] = first.split('-').map(Number) as [number, number];
  for (let label = first; label <= last; label = `${year}-${String(month).padStart(2, '0')}`) {
    months.push(label);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
  return months;
}

/** The quarter (`YYYY-Qn`) of a month label. */
export function quarterOf(month: string): string {
  return `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The statistics year (`YYYY`) a month belongs to, given org.yaml's `statistics.yearStart` ("MM-DD"). */
export function statisticsYearOf(month: string, yearStart: string): string {
  const year = Number(month.slice(0, 4));
  return month.slice(5, 7) >= yearStart.slice(0, 2) ? String(year) : String(year - 1);
}

/** Assembles the board (see the module comment). */
export function createBoard(input: BoardInput): Board {
  const { org, now } = input;
  const calendar = workingCalendar(org, chineseDaysSource);
  // Complaints received after `now` (a BOARD_NOW in the past) do not exist yet for this board.
  // Likewise events after `now` have not happened yet.
  const present = input.complaints
    .filter((complaint) => Date.parse(complaint.data.received_at) <= now.getTime())
    .map((complaint) => ({ ...complaint, data: { ...complaint.data, events: complaint.data.events.filter((event) => Date.parse(event.at) <= now.getTime()) } }));
  const records = present.map((complaint) => complaint.data);
  const byId = new Map(records.map((data) => [data.id, data]));
  const bodies = new Map(present.map((complaint) => [complaint.data.id, complaint.body ?? '']));
  const noticeInput: NoticeInput = { org, complaints: records, calendar, now };
  const months = monthsWithComplaints(records, org.timezone, now);
  const finished = months.filter((label) => {
    const [year, month] = label.split('-').map(Number) as [number, number];
    return DateTime.fromObject({ year, month, day: 1 }, { zone: zoneOf(org.timezone) }).plus({ months: 1 }).toMillis() <= now.getTime();
  });

  const monthRange = months.length > 0 ? monthsBetween(months[0]!, months.at(-1)!) : [];
  const quarters = [...new Set(monthRange.map(quarterOf))];
  const years = [...new Set(monthRange.map((month) => statisticsYearOf(month, org.statistics.yearStart)))];
  const report = memo((label: string) => reportFor(label, noticeInput));
  const notice = memo((label: string) => monthlyNotice(label, noticeInput, report(label)));
  const page = memo((id: string) => {
    const data = byId.get(id);
    if (!data) throw new Error(`no complaint ${id} in the archive`);
    return complaintPage(data, bodies.get(id) ?? '', { org, calendar, now, complaints: byId });
  });
  const files = new Map(input.reportFiles.map((file) => [file.label, file]));

  const publicRows = publicComplaintRows(records, org);
  const openRows = records
    .filter((data) => isPublicComplaint(data, org) && isOpen(stateOf(data)) && data.duplicate_of === undefined)
    .sort((a, b) => Date.parse(a.received_at) - Date.parse(b.received_at) || (a.id < b.id ? -1 : 1))
    .map((data): OpenComplaintRow => ({
      id: data.id,
      title: data.title,
      category: org.categories.find((category) => category.key === data.category)?.label ?? data.category,
      project: org.projects.find((project) => project.key === data.project)?.name ?? data.project,
      state: STATE_LABELS[stateOf(data)],
      received: localDay(data.received_at, org.timezone),
      days: daysBetween(data.received_at, now),
    }));

  return {
    org,
    now,
    calendar,
    months,
    monthRange,
    quarters,
    years,
    latestMonth: finished.at(-1) ?? months.at(-1),
    notice,
    report,
    reportFile: (label) => files.get(label),
    publicRows,
    openRows,
    complaintPage: page,
    counts: { all: records.length, public: publicRows.length },
  };
}
