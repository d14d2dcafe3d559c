import type { DateTime } from 'luxon';
import type { Org } from './org/schema.ts';
import { SEVERITIES, SEVERITY_LABELS, type EventType, type Severity } from './org/vocabulary.ts';
import type { ComplaintData } from './complaint/schema.ts';
import { isOpen, stateOf } from './complaint/states.ts';
import { baseDueTime, dueTimeOf, pauseSpans, type TimeSpan } from './clocks.ts';
import { formatInstant, fromDate, instantIn, mergeWarnings, type CalendarWarning, type WorkingCalendar } from './calendar.ts';

/**
 * Severity of a complaint (001 §4.6.3): major (重大), hot (热点), important (重要) or normal, the
 * rules that made it so, and the reports to the group that the level calls for, with due times.
 * Computed from the complaint, the rest of the archive (its duplicates and repeats), the calendar and
 * `now`; thresholds come from org.yaml's `severity` section. A supervisor's override (with reason and
 * name) wins over the computed level.
 */

/** The rules of 001 §4.6.3, each with the level it leads to. */
export const SEVERITY_RULES = [
  'lawsuit',
  'media',
  'major_complainants',
  'major_open',
  'possible_lawsuit',
  'possible_media',
  'same_complaint',
  'hot_collective',
  'hot_open',
  'repeat',
  'group_resources',
  'unresolved',
] as const;
export type SeverityRule = (typeof SEVERITY_RULES)[number];

export const SEVERITY_RULE_LEVELS: Record<SeverityRule, Exclude<Severity, 'normal'>> = {
  lawsuit: 'major',
  media: 'major',
  major_complainants: 'major',
  major_open: 'major',
  possible_lawsuit: 'hot',
  possible_media: 'hot',
  same_complaint: 'hot',
  hot_collective: 'hot',
  hot_open: 'hot',
  repeat: 'important',
  group_resources: 'important',
  unresolved: 'important',
};

/** The reports 001 §4.6.3.2–4 require, by level. */
export const REPORT_DUTIES = ['immediate_report', 'weekly_flash_report', 'special_report', 'hot_report', 'case_report', 'closing_report'] as const;
export type ReportDutyName = (typeof REPORT_DUTIES)[number];

export const REPORT_DUTY_LABELS: Record<ReportDutyName, string> = {
  immediate_report: '即时反馈至集团物业管理部',
  weekly_flash_report: '处理过程中每周快报',
  special_report: '处理完毕后的详细专题报告',
  hot_report: '一个工作日内反馈至集团物业管理部',
  case_report: '处理完毕后一周内的专题案例报告',
  closing_report: '处理完毕后一周内反馈至集团物业管理部',
};

// 001 §4.6.3.2: major complaints are reported at least once a week while they are being handled.
const FLASH_REPORT_INTERVAL_DAYS = 7;
// 001 §4.6.3.3: hot complaints are reported to the group within one working day.
const HOT_REPORT_WORKING_DAYS = 1;
// 001 §4.6.3.3 and §4.6.3.4: the case report (hot) and the report (important) within a week of closing.
// §4.6.3.2 names no deadline for a major complaint's special report; it gets the same week.
const CLOSING_REPORT_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Events after which a complaint is no longer unresolved: answered, or no longer ours to answer. */
const RESOLVING: readonly EventType[] = ['replied', 'closed', 'written_off', 'rejected', 'withdrawn'];
/** Events that end the "not resolved within N working days" wait: an answer, or no answer being due any more. */
const ANSWERED: readonly EventType[] = ['replied', 'rejected', 'withdrawn'];

export interface SeverityReason {
  rule: SeverityRule;
  level: Exclude<Severity, 'normal'>;
  /** zh-CN, with the figures behind it. */
  text: string;
  /** When the rule began to hold, when the file tells (flags carry no time). */
  since?: string;
}

export interface ReportDuty {
  duty: ReportDutyName;
  level: Exclude<Severity, 'normal'>;
  label: string;
  /** Due time; absent for a report due after closing while the complaint is still open. */
  due?: string;
  /** Counted from closing (处理完毕后). */
  afterClosing: boolean;
}

export interface SeverityAssessment {
  /** The level that applies: the supervisor's override if any, else the computed one. */
  level: Severity;
  label: string;
  /** What the rules give. */
  computed: Severity;
  override?: { level: Severity; reason: string; by: string };
  /** When the complaint reached `level` (the receipt when the rules cannot tell). */
  since?: string;
  reasons: SeverityReason[];
  duties: ReportDuty[];
  warnings: CalendarWarning[];
}

const rank = (level: Severity) => SEVERITIES.indexOf(level);

function firstEventAt(complaint: ComplaintData, types: readonly EventType[]): string | undefined {
  return complaint.events.find((event) => types.includes(event.type))?.at;
}

/**
 * When the complaint was unresolved: from receipt to the first answer, and again from each reopening
 * (an unsatisfied visit) to the next answer; a span still open ends at `now`.
 */
function unresolvedSpans(complaint: ComplaintData, now: number): TimeSpan[] {
  const spans: TimeSpan[] = [];
  let since: number | undefined = Date.parse(complaint.received_at);
  for (const event of complaint.events) {
    const at = Date.parse(event.at);
    if (since !== undefined && RESOLVING.includes(event.type)) {
      spans.push({ start: since, end: Math.max(at, since) });
      since = undefined;
    } else if (since === undefined && event.type === 'reopened') {
      since = at;
    }
  }
  if (since !== undefined) spans.push({ start: since, end: Math.max(now, since) });
  return spans;
}

/** `spans` without the parts covered by `holes`. */
function subtractSpans(spans: readonly TimeSpan[], holes: readonly TimeSpan[]): TimeSpan[] {
  return spans.flatMap((span) => {
    let pieces: TimeSpan[] = [span];
    for (const hole of holes) {
      pieces = pieces.flatMap((piece) => {
        if (hole.end <= piece.start || hole.start >= piece.end) return [piece];
        return [
          ...(hole.start > piece.start ? [{ start: piece.start, end: hole.start }] : []),
          ...(hole.end < piece.end ? [{ start: hole.end, end: piece.end }] : []),
        ];
      });
    }
    return pieces;
  });
}

/** The instant at which the total length of `spans` (in order) first exceeds `limit` ms; undefined if it never does. */
function exceededAt(spans: readonly TimeSpan[], limit: number): number | undefined {
  let total = 0;
  for (const span of spans) {
    const length = span.end - span.start;
    if (total + length > limit) return span.start + (limit - total);
    total += length;
  }
  return undefined;
}

/**
 * The instant from which the complaint's count of people reaches `threshold`, adding its duplicates
 * in order of receipt; undefined if it never does.
 */
function thresholdReachedAt(complaint: ComplaintData, duplicates: readonly ComplaintData[], threshold: number): string | undefined {
  let people = complaint.complainants;
  if (people >= threshold) return complaint.received_at;
  for (const duplicate of duplicates) {
    people += duplicate.complainants;
    if (people >= threshold) return duplicate.received_at;
  }
  return undefined;
}

/**
 * Assesses one complaint (001 §4.6.3). `archive` is every complaint (it may include this one), or
 * its `complaintLinks` when many complaints are assessed; it supplies the duplicates (`duplicate_of`
 * this complaint) whose complainants count, and the repeats (`repeat_of` this complaint) that make it
 * important.
 *
 * - major: lawsuit or media flag; ≥ `major.complainants` people counting the duplicates; unresolved
 *   for longer than `major.openDays` days for our reasons.
 * - hot: possible lawsuit / media flag; ≥ `hot.sameComplaintComplainants` people raising the same
 *   complaint (it and at least one duplicate received within `hot.sameComplaintWithinDays` days of it);
 *   a collective of ≥ `hot.complainants`; unresolved for longer than `hot.openDays` days for our reasons.
 *
 *   "Unresolved for our reasons" (投诉发生…后由于我方原因仍未解决): the time from receipt to the first
 *   answer (`replied`, or the end of handling), and again from a reopening to the next answer, less the
 *   time the clocks were paused waiting on the complainant or an outside party. It is not "until
 *   closed": a complaint closed without a visit must wait 7 days after the reply (001 §4.2.2⑦), which
 *   would make every such complaint hot.
 * - important: a repeat after closure (it has `repeat_of`, or a later complaint repeats it); needs
 *   group resources; no reply within `important.unresolvedWorkingDays` working days (paused working
 *   time excluded; a rejection or withdrawal also ends the wait).
 *
 * A duplicate is assessed through its original: it has no reasons of its own. A flag carries no time,
 * so a level reached by flags alone is taken as reached at receipt, which makes the immediate report
 * due at once. Reports due from closing have no due time while the complaint is open; the weekly flash
 * report of a major complaint is due a week after the last `escalated` event (督办/上报) since it
 * became major, or a week after it became major.
 */
/** The complaints that link to each complaint: built once per archive, so assessing all is linear. */
export interface ComplaintLinks {
  readonly duplicatesOf: ReadonlyMap<string, readonly ComplaintData[]>;
  readonly repeatsOf: ReadonlyMap<string, readonly ComplaintData[]>;
}

/** Indexes an archive's `duplicate_of` and `repeat_of` links, each list in order of receipt. */
export function complaintLinks(archive: readonly ComplaintData[]): ComplaintLinks {
  const duplicatesOf = new Map<string, ComplaintData[]>();
  const repeatsOf = new Map<string, ComplaintData[]>();
  for (const other of archive) {
    if (other.duplicate_of && other.duplicate_of !== other.id) duplicatesOf.set(other.duplicate_of, [...(duplicatesOf.get(other.duplicate_of) ?? []), other]);
    if (other.repeat_of && other.repeat_of !== other.id) repeatsOf.set(other.repeat_of, [...(repeatsOf.get(other.repeat_of) ?? []), other]);
  }
  const byReceipt = (a: ComplaintData, b: ComplaintData) => Date.parse(a.received_at) - Date.parse(b.received_at);
  for (const list of [...duplicatesOf.values(), ...repeatsOf.values()]) list.sort(byReceipt);
  return { duplicatesOf, repeatsOf };
}

function isComplaintLinks(archive: readonly ComplaintData[] | ComplaintLinks): archive is ComplaintLinks {
  return !Array.isArray(archive);
}

export function assessSeverity(
  complaint: ComplaintData,
  archive: readonly ComplaintData[] | ComplaintLinks,
  org: Pick<Org, 'severity'>,
  calendar: WorkingCalendar,
  now: Date,
): SeverityAssessment {
  const nowTime = fromDate(calendar, now);
  const rules = org.severity;
  const received = instantIn(calendar, complaint.received_at);
  const links = isComplaintLinks(archive) ? archive : complaintLinks(archive);
  const duplicates = links.duplicatesOf.get(complaint.id) ?? [];
  const flags = new Set(complaint.severity?.flags ?? []);
  const reasons: SeverityReason[] = [];
  const warnings: CalendarWarning[][] = [];
  const add = (rule: SeverityRule, text: string, since?: string) =>
    reasons.push({ rule, level: SEVERITY_RULE_LEVELS[rule], text, ...(since ? { since: formatInstant(calendar, instantIn(calendar, since)) } : {}) });

  // "Unresolved for our reasons": unresolved time without the time the clocks were paused waiting on others.
  const ourTime = subtractSpans(unresolvedSpans(complaint, nowTime.toMillis()), pauseSpans(complaint.events, nowTime));
  const openLongerThan = (days: number): string | undefined => {
    const at = exceededAt(ourTime, days * DAY_MS);
    return at === undefined ? undefined : new Date(at).toISOString();
  };

  if (complaint.duplicate_of === undefined) {
    if (flags.has('lawsuit')) add('lawsuit', '已引发法律诉讼');
    if (flags.has('media')) add('media', '已被媒体（报刊、外部网站等）曝光');
    const people = complaint.complainants + duplicates.reduce((sum, duplicate) => sum + duplicate.complainants, 0);
    const majorPeopleAt = thresholdReachedAt(complaint, duplicates, rules.major.complainants);
    if (majorPeopleAt) add('major_complainants', `${rules.major.complainants} 人以上投诉（含重复投诉共 ${people} 人）`, majorPeopleAt);
    const majorOpen = openLongerThan(rules.major.openDays);
    if (majorOpen) add('major_open', `投诉发生 ${rules.major.openDays} 天后由于我方原因仍未解决（暂停计时不计）`, majorOpen);

    if (flags.has('possible_lawsuit')) add('possible_lawsuit', '可能引发法律诉讼');
    if (flags.has('possible_media')) add('possible_media', '可能被媒体曝光');
    const windowMs = rules.hot.sameComplaintWithinDays * DAY_MS;
    const inWindow = duplicates.filter((duplicate) => Math.abs(Date.parse(duplicate.received_at) - received.toMillis()) <= windowMs);
    const sameAt = inWindow.length > 0 ? thresholdReachedAt(complaint, inWindow, rules.hot.sameComplaintComplainants) : undefined;
    if (sameAt)
      add(
        'same_complaint',
        `${rules.hot.sameComplaintWithinDays} 天内 ${rules.hot.sameComplaintComplainants} 人以上不同投诉人的相同投诉（共 ${inWindow.length + 1} 件）`,
        sameAt,
      );
    if (complaint.complainants >= rules.hot.complainants)
      add('hot_collective', `${rules.hot.complainants} 人以上的集体投诉（${complaint.complainants} 人）`, complaint.received_at);
    const hotOpen = openLongerThan(rules.hot.openDays);
    if (hotOpen) add('hot_open', `投诉 ${rules.hot.openDays} 天后由于我方原因仍未解决（暂停计时不计）`, hotOpen);

    const repeats = links.repeatsOf.get(complaint.id) ?? [];
    if (complaint.repeat_of) add('repeat', `处理完毕后的二次投诉（原投诉 ${complaint.repeat_of}）`, complaint.received_at);
    else if (repeats[0]) add('repeat', `处理完毕后发生二次投诉（${repeats.map((repeat) => repeat.id).join('、')}）`, repeats[0].received_at);
    if (flags.has('group_resources')) add('group_resources', '需要利用集团资源解决');
    // Paused working time pushes this limit on as it does a working-day clock.
    const answered = firstEventAt(complaint, ANSWERED);
    const answeredAt = answered ? instantIn(calendar, answered) : undefined;
    const unresolvedLimit = dueTimeOf(calendar, {
      start: received,
      limit: { kind: 'working_days', days: rules.important.unresolvedWorkingDays },
      stoppedAt: answeredAt,
      events: complaint.events,
      now: nowTime,
    });
    warnings.push(unresolvedLimit.warnings);
    if ((answeredAt ?? nowTime) > unresolvedLimit.value.due)
      add('unresolved', `${rules.important.unresolvedWorkingDays} 个工作日内未能妥善解决（未答复）`, unresolvedLimit.value.due.toISO());
  }

  const computed = reasons.reduce<Severity>((level, reason) => (rank(reason.level) > rank(level) ? reason.level : level), 'normal');
  const override = complaint.severity?.override;
  const level = override ?? computed;
  const sinceTimes = reasons
    .filter((reason) => rank(reason.level) >= rank(level))
    .map((reason) => reason.since ?? formatInstant(calendar, received));
  const since = level === 'normal' ? undefined : sinceTimes.sort((a, b) => Date.parse(a) - Date.parse(b))[0] ?? formatInstant(calendar, received);
  const duties = since ? reportDuties(complaint, level, instantIn(calendar, since), calendar, warnings) : [];

  return {
    level,
    label: SEVERITY_LABELS[level],
    computed,
    ...(override && complaint.severity?.reason && complaint.severity.by
      ? { override: { level: override, reason: complaint.severity.reason, by: complaint.severity.by } }
      : {}),
    ...(since ? { since } : {}),
    reasons,
    duties,
    warnings: mergeWarnings(...warnings),
  };
}

/** The reports a level calls for (001 §4.6.3.2–4), due from when the level was reached or from closing. */
function reportDuties(
  complaint: ComplaintData,
  level: Severity,
  since: DateTime<true>,
  calendar: WorkingCalendar,
  warnings: CalendarWarning[][],
): ReportDuty[] {
  const closedAtText = complaint.closure?.at ?? firstEventAt(complaint, ['closed', 'written_off']);
  const closedAt = closedAtText ? instantIn(calendar, closedAtText) : undefined;
  const afterClosing = (duty: ReportDutyName, dutyLevel: Exclude<Severity, 'normal'>): ReportDuty => ({
    duty,
    level: dutyLevel,
    label: REPORT_DUTY_LABELS[duty],
    ...(closedAt ? { due: formatInstant(calendar, baseDueTime(calendar, closedAt, { kind: 'days', days: CLOSING_REPORT_DAYS }).value) } : {}),
    afterClosing: true,
  });
  switch (level) {
    case 'major': {
      const duties: ReportDuty[] = [
        { duty: 'immediate_report', level, label: REPORT_DUTY_LABELS.immediate_report, due: formatInstant(calendar, since), afterClosing: false },
      ];
      if (isOpen(stateOf(complaint))) {
        // The last report (an `escalated` event, 督办/上报) since the complaint became major starts the next week.
        const lastReport = complaint.events.filter((event) => event.type === 'escalated' && Date.parse(event.at) >= since.toMillis()).at(-1);
        const from = lastReport ? instantIn(calendar, lastReport.at) : since;
        duties.push({
          duty: 'weekly_flash_report',
          level,
          label: REPORT_DUTY_LABELS.weekly_flash_report,
          due: formatInstant(calendar, from.plus({ days: FLASH_REPORT_INTERVAL_DAYS })),
          afterClosing: false,
        });
      }
      duties.push(afterClosing('special_report', level));
      return duties;
    }
    case 'hot': {
      const due = baseDueTime(calendar, since, { kind: 'working_days', days: HOT_REPORT_WORKING_DAYS });
      warnings.push(due.warnings);
      return [
        { duty: 'hot_report', level, label: REPORT_DUTY_LABELS.hot_report, due: formatInstant(calendar, due.value), afterClosing: false },
        afterClosing('case_report', level),
      ];
    }
    case 'important':
      return [afterClosing('closing_report', level)];
    case 'normal':
      return [];
    default: {
      const unknown: never = level;
      throw new Error(`unknown severity ${String(unknown)}`);
    }
  }
}
