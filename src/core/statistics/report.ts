import type { ComplaintData } from '../complaint/schema.ts';
import { stateOf, type State } from '../complaint/states.ts';
import type { WorkingCalendar } from '../calendar.ts';
import { clocksOf, readingsDependOnNow, type ClockReading } from '../clocks.ts';
import { assessSeverity, complaintLinks } from '../severity.ts';
import type { Org, Project } from '../org/schema.ts';
import { NATURES, type Nature } from '../org/vocabulary.ts';
import { closedAt, periodSets, stateAt, type Exclusion } from './counting.ts';
import { monthsOf, type Period } from './period.ts';
import { averageFigure, denominatorField, ratio } from './rates.ts';

/**
 * The figures of one scope (a project, or all of them) for one period: the fixed shape `T` of
 * `report --json` (SPEC §9). Rates are ratios (0.75, not 75), null where the denominator is 0.
 */
export interface Totals {
  /** 本期投诉总数: counted complaints received in the period (not counting earlier open ones). */
  periodCount: number;
  /** 累计投诉总数: received since the statistics year began, plus earlier ones open at its start. */
  cumulativeCount: number;
  /** 本期新关闭的投诉数, whenever they were received. */
  periodClosed: number;
  /** 本期止累计关闭的投诉数. */
  cumulativeClosed: number;
  /** 本期投诉处理率 = periodClosed / periodCount. */
  periodHandlingRate: number | null;
  /** 累计投诉处理率 = cumulativeClosed / cumulativeCount. */
  cumulativeHandlingRate: number | null;
  /** 本期投诉率 = periodCount / average households (residential) or m² (office, other). */
  periodRate: number | null;
  /** 累计投诉率 = cumulativeCount / the same average. */
  cumulativeRate: number | null;
  /** Period complaints per root-cause category (001 §4.2.2⑥), every category of org.yaml present. */
  byCategory: Record<string, number>;
  /** Period complaints per nature (人机料法环), plus `unclassified`. */
  byNature: Record<Nature | 'unclassified', number>;
  /** 及时率: share of the clocks decided in the period that were met. */
  timeliness: number | null;
  /** 满意度: share of the visits in the period in which the complainant was satisfied. */
  satisfaction: number | null;
  /** 办结率: share of the period's complaints closed by the period's end. */
  completion: number | null;
  /** Counted complaints still open at the period's end, this period's and earlier ones. */
  open: string[];
  /** Major and hot complaints received in the period or open during it (001 §4.6.3). */
  major: string[];
  hot: string[];
}

/** One complaint in the classification table (物业管理客户投诉分类统计表). */
export interface ClassificationItem {
  id: string;
  project: string;
  title: string;
  nature: Nature | null;
  correctiveAction: string | null;
  lessons: string | null;
  closed: boolean;
  complainants: number;
  /** Complaints folded into this one (001 §4.2.2④: people and times noted). */
  duplicates: string[];
}

export interface ClassificationRow {
  category: string;
  count: number;
  items: ClassificationItem[];
}

/** A major or hot complaint with cause and lessons (本期重大、热点投诉原因及处理经验教训简述). */
export interface SevereComplaint {
  id: string;
  level: 'major' | 'hot';
  title: string;
  project: string;
  reasons: string[];
  cause: string | null;
  lessons: string | null;
  state: State;
}

/** An open complaint with reason and progress (所有未关闭投诉的原因及处理进展简述). */
export interface OpenComplaint {
  id: string;
  title: string;
  project: string;
  state: State;
  receivedAt: string;
  /** The latest note on the record: what is being done or awaited. */
  progress: string | null;
  /** Whether it was received before the period (上期遗留). */
  carriedOver: boolean;
}

export interface Report {
  period: { start: string; end: string; label: string; kind: Period['kind'] };
  total: Totals;
  projects: Record<string, Totals>;
  classification: ClassificationRow[];
  excluded: { id: string; reason: Exclusion }[];
  severe: SevereComplaint[];
  openComplaints: OpenComplaint[];
  /** Why a figure is null, in English and zh-CN, for the output to state. */
  notes: string[];
}

export interface ReportInput {
  org: Org;
  complaints: readonly ComplaintData[];
  period: Period;
  calendar: WorkingCalendar;
  /** The moment the report is made: figures never look past min(now, period end). */
  now: Date;
}

/** Clock readings that no later moment changes, per clock rules and calendar, per record (see `readingsDependOnNow`). */
const settledReadings = new WeakMap<Org['clocks'], WeakMap<WorkingCalendar, WeakMap<ComplaintData, readonly ClockReading[]>>>();

function settledReadingsFor(org: Pick<Org, 'clocks'>, calendar: WorkingCalendar): WeakMap<ComplaintData, readonly ClockReading[]> {
  let byCalendar = settledReadings.get(org.clocks);
  if (!byCalendar) settledReadings.set(org.clocks, (byCalendar = new WeakMap()));
  let byRecord = byCalendar.get(calendar);
  if (!byRecord) byCalendar.set(calendar, (byRecord = new WeakMap()));
  return byRecord;
}

/** The complaint as it was recorded before `instant`: later events are not yet known. */
function asOf(data: ComplaintData, instant: string): ComplaintData {
  const cutoff = Date.parse(instant);
  // Most complaints of a report were settled before its cutoff: the same record, not a copy, so what
  // was worked out for it once (its state timeline) serves every period.
  if (data.events.every((event) => Date.parse(event.at) < cutoff)) return data;
  return { ...data, events: data.events.filter((event) => Date.parse(event.at) < cutoff) };
}

function emptyCounts<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

/** Clocks decided in the period: stopped in it, or due in it and still running at its end (then missed). */
function timeliness(complaints: readonly ComplaintData[], input: ReportInput, cutoff: string, readingsOf: (data: ComplaintData) => readonly ClockReading[]): number | null {
  const start = Date.parse(input.period.start);
  const end = Date.parse(cutoff);
  let met = 0;
  let decided = 0;
  for (const data of complaints) {
    for (const reading of readingsOf(data)) {
      const decidedAt = Date.parse(reading.stoppedAt ?? reading.due);
      if (decidedAt < start || decidedAt >= end) continue;
      if (!reading.stoppedAt && reading.state !== 'overdue') continue;
      decided += 1;
      if (reading.state === 'met') met += 1;
    }
  }
  return ratio(met, decided);
}

function satisfaction(complaints: readonly ComplaintData[], period: Period, cutoff: string): number | null {
  const visits = complaints
    .map((data) => data.visit)
    .filter((visit) => visit !== undefined && Date.parse(visit.at) >= Date.parse(period.start) && Date.parse(visit.at) < Date.parse(cutoff));
  return ratio(visits.filter((visit) => visit!.satisfied).length, visits.length);
}

function averageOf(projects: readonly Project[], months: readonly string[]): number | null {
  if (projects.length === 0) return null;
  const types = new Set(projects.map(denominatorField));
  // Households and m² cannot be added up: a total over mixed project types has no rate (SPEC §9).
  if (types.size > 1) return null;
  return projects.reduce((sum, project) => sum + averageFigure(project, months), 0);
}

/** The figures of one scope. `scope` holds every complaint of the archive that belongs to it. */
function totalsOf(
  scope: readonly ComplaintData[],
  projects: readonly Project[],
  severity: Map<string, 'major' | 'hot' | 'other'>,
  input: ReportInput,
  cutoff: string,
  readingsOf: (data: ComplaintData) => readonly ClockReading[],
): Totals {
  const { period, org } = input;
  const sets = periodSets(scope, { ...period, end: cutoff });
  const months = monthsOf(period, org.timezone);
  const denominator = averageOf(projects, months);
  const byCategory = emptyCounts(org.categories.map((category) => category.key));
  const byNature = emptyCounts([...NATURES, 'unclassified' as const]);
  for (const data of sets.period) {
    byCategory[data.category] = (byCategory[data.category] ?? 0) + 1;
    byNature[data.nature ?? 'unclassified'] += 1;
  }
  // 本期重大、热点投诉: received in the period, still open at its end, or closed during it.
  const concernedIds = new Set([...sets.period, ...sets.open, ...sets.periodClosed].map((data) => data.id));
  const concerned = scope.filter((data) => concernedIds.has(data.id));
  const level = (wanted: 'major' | 'hot') => concerned.filter((data) => severity.get(data.id) === wanted).map((data) => data.id).sort();
  return {
    periodCount: sets.period.length,
    cumulativeCount: sets.cumulative.length,
    periodClosed: sets.periodClosed.length,
    cumulativeClosed: sets.cumulativeClosed.length,
    periodHandlingRate: ratio(sets.periodClosed.length, sets.period.length),
    cumulativeHandlingRate: ratio(sets.cumulativeClosed.length, sets.cumulative.length),
    periodRate: denominator === null ? null : ratio(sets.period.length, denominator),
    cumulativeRate: denominator === null ? null : ratio(sets.cumulative.length, denominator),
    byCategory,
    byNature,
    timeliness: timeliness(concerned, input, cutoff, readingsOf),
    satisfaction: satisfaction(scope.filter((data) => !data.duplicate_of), period, cutoff),
    completion: ratio(sets.period.filter((data) => closedAt(data, cutoff) !== undefined).length, sets.period.length),
    open: sets.open.map((data) => data.id).sort(),
    major: level('major'),
    hot: level('hot'),
  };
}

/**
 * The latest public note: the progress of an open complaint as it may be published. Internal notes
 * never leave the file (reports are published on the board).
 */
function progressOf(data: ComplaintData): string | null {
  for (const event of [...data.events].reverse()) {
    if (event.public_note?.trim()) return event.public_note.trim();
  }
  return null;
}

/**
 * The statistics of SPEC §6 for one period (001 §4.2.2–4.2.3): per project and in total, the
 * classification table, major and hot complaints, every open complaint, and the complaints listed
 * apart. Pure: the archive, the calendar and the moment come in as parameters.
 */
export function buildReport(input: ReportInput): Report {
  const { org, period } = input;
  const cutoff = new Date(Math.min(Date.parse(period.end), input.now.getTime())).toISOString();
  const known = input.complaints.map((data) => asOf(data, cutoff)).filter((data) => Date.parse(data.received_at) < Date.parse(cutoff));
  const severity = new Map<string, 'major' | 'hot' | 'other'>();
  const links = complaintLinks(known);
  for (const data of known) {
    const level = assessSeverity(data, links, org, input.calendar, new Date(cutoff)).level;
    severity.set(data.id, level === 'major' || level === 'hot' ? level : 'other');
  }

  // The clocks of a complaint as of the cutoff, worked out once for the total and its project, and
  // once for every period when nothing in them can change any more.
  const readings = new Map<ComplaintData, readonly ClockReading[]>();
  const settled = settledReadingsFor(org, input.calendar);
  const readingsOf = (data: ComplaintData) => {
    let found = readings.get(data) ?? settled.get(data);
    if (!found) {
      found = clocksOf(data, org, input.calendar, new Date(cutoff));
      readings.set(data, found);
      if (!readingsDependOnNow(data, found)) settled.set(data, found);
    }
    return found;
  };
  const total = totalsOf(known, org.projects, severity, input, cutoff, readingsOf);
  const projects = Object.fromEntries(
    org.projects.map((project) => [project.key, totalsOf(known.filter((data) => data.project === project.key), [project], severity, input, cutoff, readingsOf)]),
  );

  const sets = periodSets(known, { ...period, end: cutoff });
  const byId = new Map(known.map((data) => [data.id, data]));
  const duplicatesOf = new Map<string, string[]>();
  for (const data of known) if (data.duplicate_of) duplicatesOf.set(data.duplicate_of, [...(duplicatesOf.get(data.duplicate_of) ?? []), data.id]);
  const classification = org.categories.map((category): ClassificationRow => {
    const items = sets.period
      .filter((data) => data.category === category.key)
      .sort((a, b) => Date.parse(a.received_at) - Date.parse(b.received_at))
      .map((data) => ({
        id: data.id,
        project: data.project,
        title: data.title,
        nature: data.nature ?? null,
        correctiveAction: data.corrective_action ?? null,
        lessons: data.lessons ?? null,
        closed: stateAt(data, cutoff) === 'closed',
        complainants: data.complainants + (duplicatesOf.get(data.id) ?? []).reduce((sum, id) => sum + (byId.get(id)?.complainants ?? 0), 0),
        duplicates: (duplicatesOf.get(data.id) ?? []).sort(),
      }));
    return { category: category.key, count: items.length, items };
  });

  const severe = [...total.major.map((id) => ['major', id] as const), ...total.hot.map((id) => ['hot', id] as const)].map(([level, id]): SevereComplaint => {
    const data = byId.get(id)!;
    const assessment = assessSeverity(data, links, org, input.calendar, new Date(cutoff));
    return {
      id,
      level,
      title: data.title,
      project: data.project,
      reasons: assessment.reasons.map((reason) => reason.text),
      cause: data.nature_detail ?? null,
      lessons: data.lessons ?? null,
      state: stateOf(data),
    };
  });

  const openComplaints = sets.open
    .sort((a, b) => Date.parse(a.received_at) - Date.parse(b.received_at))
    .map((data) => ({
      id: data.id,
      title: data.title,
      project: data.project,
      state: stateOf(data),
      receivedAt: data.received_at,
      progress: progressOf(data),
      carriedOver: Date.parse(data.received_at) < Date.parse(period.start),
    }));

  const notes: string[] = [];
  if (total.periodCount === 0)
    notes.push('no complaints were received in the period: rates over the period total are null（本期无投诉，以本期投诉总数为分母的比率为空）');
  if (total.periodRate === null && total.periodCount > 0 && new Set(org.projects.map(denominatorField)).size > 1)
    notes.push('the total complaint rate is null because households and floor area cannot be added（住宅与写字楼分母不同，合计投诉率不适用）');

  return {
    period: { start: period.start, end: period.end, label: period.label, kind: period.kind },
    total,
    projects,
    classification,
    excluded: sets.excluded.map(({ data, reason }) => ({ id: data.id, reason })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    severe,
    openComplaints,
    notes,
  };
}

/** One earlier period in a trend: how many complaints and how they were handled. */
export interface TrendPoint {
  label: string;
  periodCount: number;
  periodClosed: number;
  periodHandlingRate: number | null;
}

/**
 * Counts of this period and the `count - 1` before it, oldest first (001 §4.2.3③a: 各时间段的纵向比较).
 * `periods` lists the periods, e.g. from `previousPeriod`.
 */
const trendPoints = new WeakMap<readonly ComplaintData[], Map<string, TrendPoint>>();

export function trendOf(complaints: readonly ComplaintData[], periods: readonly Period[], now: Date): TrendPoint[] {
  // The board asks for the trend of every month, and every trend repeats eleven months of the last.
  let known = trendPoints.get(complaints);
  if (!known) trendPoints.set(complaints, (known = new Map()));
  return periods.map((period) => {
    const cutoff = new Date(Math.min(Date.parse(period.end), now.getTime())).toISOString();
    const key = `${period.label}|${period.start}|${period.end}|${period.yearStart}|${cutoff}`;
    const point = known.get(key) ?? trendPoint(complaints, period, cutoff);
    known.set(key, point);
    return point;
  });
}

function trendPoint(complaints: readonly ComplaintData[], period: Period, cutoff: string): TrendPoint {
  const sets = periodSets(
    complaints.map((data) => asOf(data, cutoff)),
    { ...period, end: cutoff },
  );
  return {
    label: period.label,
    periodCount: sets.period.length,
    periodClosed: sets.periodClosed.length,
    periodHandlingRate: ratio(sets.periodClosed.length, sets.period.length),
  };
}

/** 001 §4.2.3③a: projects under and over 100,000 m² are compared with each other. */
export const SIZE_BAND_AREA = 100_000;

export interface ComparisonGroup {
  /** `residential`, `office`, `other`, `area_under_100000`, `area_over_100000`. */
  group: string;
  projects: { key: string; periodCount: number; periodRate: number | null; periodHandlingRate: number | null }[];
}

/** Similar projects side by side: by project type, and by managed area band for area-based projects. */
export function compareProjects(report: Pick<Report, 'projects'>, org: Org): ComparisonGroup[] {
  const row = (project: Project) => {
    const totals = report.projects[project.key]!;
    return { key: project.key, periodCount: totals.periodCount, periodRate: totals.periodRate, periodHandlingRate: totals.periodHandlingRate };
  };
  const groups: ComparisonGroup[] = [];
  for (const type of ['residential', 'office', 'other'] as const) {
    const members = org.projects.filter((project) => project.type === type);
    if (members.length > 0) groups.push({ group: type, projects: members.map(row) });
  }
  const byArea = org.projects.filter((project) => denominatorField(project) === 'area' && project.area !== undefined);
  const areaOf = (project: Project) => (typeof project.area === 'number' ? project.area : Math.max(...Object.values(project.area ?? {})));
  const under = byArea.filter((project) => areaOf(project) < SIZE_BAND_AREA);
  const over = byArea.filter((project) => areaOf(project) >= SIZE_BAND_AREA);
  if (under.length > 0) groups.push({ group: `area_under_${SIZE_BAND_AREA}`, projects: under.map(row) });
  if (over.length > 0) groups.push({ group: `area_over_${SIZE_BAND_AREA}`, projects: over.map(row) });
  return groups;
}

// 001 篇5 五2–4: a department's yearly service-quality score starts at 100 points; each complaint
// beyond last year's total costs 10, each repeat complaint on the same issue costs 10, praise earns 10.
const ASSESSMENT_FULL_SCORE = 100;
const ASSESSMENT_STEP = 10;
/** Last year counts only when the archive reaches back (almost) to its start: a year less a month. */
const YEAR_COVERED_MS = 335 * 24 * 60 * 60 * 1000;

export interface DepartmentAssessment {
  department: string;
  /** Counted complaints routed to the department and received in the year. */
  total: number;
  lastYearTotal: number;
  /** Complaints of the year that repeat an earlier one (`repeat_of`). */
  repeats: number;
  praise: number;
  /** Whether last year was compared: only once the archive covers a whole earlier year (篇5 五1). */
  compared: boolean;
  score: number;
}

/**
 * The departments' yearly assessment (001 篇5 五): 100 points, −10 for each complaint beyond last
 * year's total, −10 for each repeat complaint, +10 for each praise. `year` and `lastYear` are the
 * statistics years as periods; `praise` counts praise per department in the year. Last year is
 * compared only when the archive covers it; scores do not go below 0.
 */
export function assessDepartments(
  complaints: readonly ComplaintData[],
  org: Org,
  year: Period,
  lastYear: Period,
  praise: Readonly<Record<string, number>> = {},
): DepartmentAssessment[] {
  const countedIn = (period: Period) => periodSets(complaints, period).period;
  const thisYear = countedIn(year);
  const previous = countedIn(lastYear);
  // 篇5 五1: statistics start in the first year with complaints; comparisons with last year only after it.
  const firstReceipt = Math.min(...complaints.map((data) => Date.parse(data.received_at)));
  const compared = firstReceipt < Date.parse(year.start) - YEAR_COVERED_MS;
  return org.departments.map((department) => {
    const mine = thisYear.filter((data) => data.department === department.key);
    const lastYearTotal = previous.filter((data) => data.department === department.key).length;
    const repeats = mine.filter((data) => data.repeat_of !== undefined).length;
    const praised = praise[department.key] ?? 0;
    const beyond = compared ? Math.max(0, mine.length - lastYearTotal) : 0;
    return {
      department: department.key,
      total: mine.length,
      lastYearTotal,
      repeats,
      praise: praised,
      compared,
      // Points are lost down to 0 at most: a negative score says nothing more.
      score: Math.max(0, ASSESSMENT_FULL_SCORE - ASSESSMENT_STEP * beyond - ASSESSMENT_STEP * repeats + ASSESSMENT_STEP * praised),
    };
  });
}
