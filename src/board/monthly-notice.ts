import type { Org } from '../core/org/schema.ts';
import { NATURE_LABELS, NATURES, type Nature } from '../core/org/vocabulary.ts';
import type { ComplaintData } from '../core/complaint/schema.ts';
import { STATE_LABELS } from '../core/complaint/states.ts';
import type { WorkingCalendar } from '../core/calendar.ts';
import { buildReport, compareProjects, trendOf, type Report, type Totals, type TrendPoint } from '../core/statistics/report.ts';
import { parsePeriod, previousPeriod, type Period } from '../core/statistics/period.ts';
import { complaintRate, percent, periodName, rateBasisOf, type RateBasis } from './format.ts';
import { isPublicComplaint } from './public-complaints.ts';

/**
 * The monthly notice (001 §4.6.1: published at least once a month) as the board shows it: the
 * classification table (物业管理客户投诉分类统计表), the data summary (本期客户投诉数据概要) per
 * project and in total, and the figures behind the charts. The statistics core computes every figure
 * over all counted complaints; this module keeps only what may be published: numbers, org.yaml labels,
 * and the ids and titles of public complaints. A private complaint is a number in a count, nothing more.
 */

/** How many months the trend chart covers (001 §4.2.3③a: 各时间段纵向比较). */
export const TREND_MONTHS = 12;

export interface PublicItem {
  id: string;
  title: string;
  closed: boolean;
}

/** One category's row of the classification table. */
export interface CategoryRow {
  key: string;
  label: string;
  /** Whether complaints of this category are published by default (001 §4.6.1). */
  public: boolean;
  count: number;
  closed: number;
  open: number;
  /** The public complaints of the row; private ones are only counted. */
  items: PublicItem[];
  privateCount: number;
}

export interface SummaryColumn {
  /** A project key, or `total`. */
  key: string;
  name: string;
  basis: RateBasis | null;
}

export type SummaryMeasure =
  | 'periodCount'
  | 'cumulativeCount'
  | 'periodRate'
  | 'cumulativeRate'
  | 'periodHandlingRate'
  | 'cumulativeHandlingRate'
  | 'timeliness'
  | 'satisfaction';

/** The rows of the data summary, in the order of 001 §4.2.3 (counts, rates, handling rates), then timeliness and satisfaction. */
export const SUMMARY_MEASURES: readonly { key: SummaryMeasure; label: string; unit: 'count' | 'rate' | 'ratio' }[] = [
  { key: 'periodCount', label: '本期投诉总数（件）', unit: 'count' },
  { key: 'cumulativeCount', label: '累计投诉总数（件）', unit: 'count' },
  { key: 'periodRate', label: '本期投诉率', unit: 'rate' },
  { key: 'cumulativeRate', label: '累计投诉率', unit: 'rate' },
  { key: 'periodHandlingRate', label: '本期投诉处理率', unit: 'ratio' },
  { key: 'cumulativeHandlingRate', label: '累计投诉处理率', unit: 'ratio' },
  { key: 'timeliness', label: '处理及时率', unit: 'ratio' },
  { key: 'satisfaction', label: '回访满意度', unit: 'ratio' },
];

export interface SummaryRow {
  key: SummaryMeasure;
  label: string;
  unit: 'count' | 'rate' | 'ratio';
  /** Per column, in the columns' order. */
  values: (number | null)[];
  /** The same values as residents read them. */
  texts: string[];
}

export interface ProjectFigures {
  key: string;
  name: string;
  type: string;
  basis: RateBasis;
  periodCount: number;
  periodRate: number | null;
  periodHandlingRate: number | null;
}

export interface ComparisonGroupView {
  group: string;
  label: string;
  projects: string[];
}

export interface MonthlyNotice {
  label: string;
  /** `2026年10月` */
  name: string;
  period: Pick<Period, 'start' | 'end' | 'label'>;
  /** Whether the month has ended at `now`; an unfinished month's figures run to `now`. */
  finished: boolean;
  /** The instant the figures run to: the month's end, or `now` for the running month. */
  asOf: string;
  categories: CategoryRow[];
  totals: { count: number; closed: number; open: number; publicCount: number };
  columns: SummaryColumn[];
  summary: SummaryRow[];
  natures: { key: Nature | 'unclassified'; label: string; count: number }[];
  /** Received in the month but not counted (001 §4.2.2: listed apart). */
  excluded: { rejected: number; withdrawn: number; duplicate: number };
  severe: { major: number; hot: number; public: (PublicItem & { level: 'major' | 'hot' })[] };
  /** Counted complaints open at the end of the month (or now); the public ones named. */
  openAtEnd: { count: number; public: (PublicItem & { state: string })[] };
  trend: TrendPoint[];
  projects: ProjectFigures[];
  groups: ComparisonGroupView[];
  total: Pick<Totals, 'periodCount' | 'cumulativeCount' | 'periodHandlingRate' | 'cumulativeHandlingRate' | 'timeliness' | 'satisfaction' | 'completion'>;
  /** The projects mix households and floor area, so the total has no complaint rate (SPEC §9). */
  mixedBasis: boolean;
}

export const PROJECT_TYPE_LABELS: Record<string, string> = { residential: '住宅', office: '写字楼', other: '其他' };

function groupLabel(group: string): string {
  if (PROJECT_TYPE_LABELS[group]) return `${PROJECT_TYPE_LABELS[group]}项目`;
  const band = /^area_(under|over)_(\d+)$/.exec(group);
  if (band) return `在管面积${band[1] === 'under' ? '小于' : '不小于'}${Number(band[2]) / 10_000}万平方米的项目`;
  return group;
}

function measureText(value: number | null, unit: SummaryRow['unit'], basis: RateBasis | null): string {
  if (unit === 'count') return value === null ? '—' : String(value);
  if (unit === 'rate') return complaintRate(value, basis);
  return percent(value);
}

/** The 12 monthly periods ending with `period`, oldest first. */
export function trendPeriods(period: Period, org: Pick<Org, 'timezone' | 'statistics'>, count = TREND_MONTHS): Period[] {
  const periods = [period];
  while (periods.length < count) periods.unshift(previousPeriod(periods[0]!, org.timezone, org.statistics.yearStart));
  return periods;
}

export interface NoticeInput {
  org: Org;
  complaints: readonly ComplaintData[];
  calendar: WorkingCalendar;
  now: Date;
}

/** The full statistics of a period (any kind), from the core. */
export function reportFor(label: string, input: NoticeInput): Report {
  const period = parsePeriod(label, input.org.timezone, input.org.statistics.yearStart);
  return buildReport({ org: input.org, complaints: input.complaints, period, calendar: input.calendar, now: input.now });
}

/** The public notice of one month (see the module comment); `report` when it was already computed. */
export function monthlyNotice(label: string, input: NoticeInput, report: Report = reportFor(label, input)): MonthlyNotice {
  const { org, complaints, now } = input;
  const period = parsePeriod(label, org.timezone, org.statistics.yearStart);
  const byId = new Map(complaints.map((data) => [data.id, data]));
  const isPublic = (id: string) => {
    const data = byId.get(id);
    return data !== undefined && isPublicComplaint(data, org);
  };
  const publicItem = (id: string, closed: boolean): PublicItem => ({ id, title: byId.get(id)!.title, closed });

  const categories = report.classification.map((row): CategoryRow => {
    const category = org.categories.find((candidate) => candidate.key === row.category)!;
    const closed = row.items.filter((item) => item.closed).length;
    const items = row.items.filter((item) => isPublic(item.id)).map((item) => publicItem(item.id, item.closed));
    return { key: row.category, label: category.label, public: category.public, count: row.count, closed, open: row.count - closed, items, privateCount: row.count - items.length };
  });

  const columns: SummaryColumn[] = [
    ...org.projects.map((project) => ({ key: project.key, name: project.name, basis: rateBasisOf([project]) })),
    { key: 'total', name: '合计', basis: rateBasisOf(org.projects) },
  ];
  const totalsOf = (key: string): Totals => (key === 'total' ? report.total : report.projects[key]!);
  const summary = SUMMARY_MEASURES.map((measure): SummaryRow => {
    const values = columns.map((column) => totalsOf(column.key)[measure.key]);
    return { ...measure, values, texts: values.map((value, index) => measureText(value, measure.unit, columns[index]!.basis)) };
  });

  const excluded = { rejected: 0, withdrawn: 0, duplicate: 0 };
  for (const item of report.excluded) excluded[item.reason] += 1;

  const severePublic = report.severe.filter((item) => isPublic(item.id)).map((item) => ({ ...publicItem(item.id, item.state === 'closed'), level: item.level }));
  const openPublic = report.openComplaints.filter((item) => isPublic(item.id)).map((item) => ({ ...publicItem(item.id, false), state: STATE_LABELS[item.state] }));

  const projects = org.projects.map((project): ProjectFigures => {
    const totals = report.projects[project.key]!;
    return {
      key: project.key,
      name: project.name,
      type: PROJECT_TYPE_LABELS[project.type] ?? project.type,
      basis: rateBasisOf([project])!,
      periodCount: totals.periodCount,
      periodRate: totals.periodRate,
      periodHandlingRate: totals.periodHandlingRate,
    };
  });
  const names = new Map(org.projects.map((project) => [project.key, project.name]));
  const groups = compareProjects(report, org).map((group) => ({
    group: group.group,
    label: groupLabel(group.group),
    projects: group.projects.map((project) => names.get(project.key) ?? project.key),
  }));

  const cutoff = Math.min(Date.parse(period.end), now.getTime());
  const { total } = report;
  return {
    label,
    name: periodName(label),
    period: { start: period.start, end: period.end, label },
    finished: Date.parse(period.end) <= now.getTime(),
    asOf: new Date(cutoff).toISOString(),
    categories,
    totals: {
      count: total.periodCount,
      closed: categories.reduce((sum, row) => sum + row.closed, 0),
      open: categories.reduce((sum, row) => sum + row.open, 0),
      publicCount: categories.reduce((sum, row) => sum + row.items.length, 0),
    },
    columns,
    summary,
    natures: [...NATURES, 'unclassified' as const].map((key) => ({
      key,
      label: key === 'unclassified' ? '尚未查明' : NATURE_LABELS[key],
      count: total.byNature[key],
    })),
    excluded,
    severe: { major: total.major.length, hot: total.hot.length, public: severePublic },
    openAtEnd: { count: total.open.length, public: openPublic },
    trend: trendOf(complaints, trendPeriods(period, org), now),
    projects,
    groups,
    total: {
      periodCount: total.periodCount,
      cumulativeCount: total.cumulativeCount,
      periodHandlingRate: total.periodHandlingRate,
      cumulativeHandlingRate: total.cumulativeHandlingRate,
      timeliness: total.timeliness,
      satisfaction: total.satisfaction,
      completion: total.completion,
    },
    mixedBasis: rateBasisOf(org.projects) === null,
  };
}
