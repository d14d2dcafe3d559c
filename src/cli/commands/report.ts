import { DateTime } from 'luxon';
import { ORG_FILE } from '../../archive/archive.ts';
import { ReportFileError, saveReportFile } from '../../archive/report-file.ts';
import { formatInstant, fromDate, type WorkingCalendar } from '../../core/calendar.ts';
import type { ComplaintData } from '../../core/complaint/schema.ts';
import type { Org } from '../../core/org/schema.ts';
import { parsePeriod, PeriodFormatError, previousPeriod, type Period, type PeriodKind } from '../../core/statistics/period.ts';
import { MissingProjectFigureError } from '../../core/statistics/rates.ts';
import {
  assessDepartments,
  buildReport,
  compareProjects,
  trendOf,
  type ComparisonGroup,
  type DepartmentAssessment,
  type Report,
  type Totals,
  type TrendPoint,
} from '../../core/statistics/report.ts';
import { EXIT, printJson, stringOption, UsageError, type Command, type OptionValues } from '../command.ts';
import { reportMarkdown, reportTerminal, reportTitle } from '../report-tables.ts';
import { openValidArchive, printProblems } from '../valid-archive.ts';
import { zoneOf } from '../../core/time-zone.ts';

/** 001 §4.2.3③a: trends compare a period with the ones before it: a year of months, a year of quarters, three years. */
export const TREND_LENGTH: Record<PeriodKind, number> = { month: 12, quarter: 4, year: 3 };

/**
 * Everything `report --json` prints. The first three keys are the fixed interface of SPEC §9
 * (`period: {start, end}`, `total`, `projects`); the rest add the report's other parts.
 */
export interface ReportDocument {
  period: { start: string; end: string };
  total: Totals;
  projects: Record<string, Totals>;
  /** `2026-10`, `2026-Q4`, `2026`. */
  label: string;
  kind: PeriodKind;
  /** The figures look at nothing recorded after this instant: the period's end, or now if earlier. */
  asOf: string;
  /** Where the statistics year, and so the cumulative figures, begins (org.yaml statistics.yearStart). */
  yearStart: string;
  /** The project the report is limited to (`--project`), or null for all of them. */
  scope: string | null;
  classification: Report['classification'];
  excluded: Report['excluded'];
  severe: Report['severe'];
  openComplaints: Report['openComplaints'];
  /** This period and the ones before it, oldest first. */
  trend: TrendPoint[];
  comparison: ComparisonGroup[];
  /** 001 篇5: the departments' assessment for the statistics year the period belongs to, as of `asOf`. */
  departments: { year: string; assessments: DepartmentAssessment[] };
  notes: string[];
}

export interface ReportRequest {
  org: Org;
  complaints: readonly ComplaintData[];
  period: Period;
  calendar: WorkingCalendar;
  now: Date;
  /** Limit the report to one project's complaints and figures. */
  project?: string;
}

/** The complaints as recorded before `instant`: later complaints and later events are not yet known. */
function knownAt(complaints: readonly ComplaintData[], instant: string): ComplaintData[] {
  const cutoff = Date.parse(instant);
  return complaints
    .filter((data) => Date.parse(data.received_at) < cutoff)
    .map((data) => ({ ...data, events: data.events.filter((event) => Date.parse(event.at) < cutoff) }));
}

/** The statistics year a period belongs to, as a period of its own (its label is the year it starts in). */
function statisticsYearOf(period: Period, org: Org): Period {
  const year = DateTime.fromISO(period.yearStart, { setZone: true }).year;
  return parsePeriod(String(year), org.timezone, org.statistics.yearStart);
}

/** Praise per department dated in `[start, end)` (org.yaml `praise`, 001 篇5 五4). */
function praiseCounts(org: Org, start: string, end: string): Record<string, number> {
  const day = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone(zoneOf(org.timezone)).toISODate()!;
  const [from, until] = [day(start), day(end)];
  const counts: Record<string, number> = {};
  for (const praise of org.praise) if (praise.date >= from && praise.date < until) counts[praise.department] = (counts[praise.department] ?? 0) + 1;
  return counts;
}

/**
 * The whole report of a period (SPEC §6): buildReport's figures, the trend over earlier periods, the
 * comparison of similar projects and the departments' yearly assessment. With `project`, every part
 * covers that project alone, as a managed project makes its own monthly statistics (001 §4.2.3①).
 * Throws `MissingProjectFigureError` for a project without households or area.
 */
export function composeReport(request: ReportRequest): ReportDocument {
  const { period, calendar, now } = request;
  const org: Org = request.project === undefined ? request.org : { ...request.org, projects: request.org.projects.filter((project) => project.key === request.project) };
  const complaints = request.project === undefined ? request.complaints : request.complaints.filter((data) => data.project === request.project);
  const report = buildReport({ org, complaints, period, calendar, now });
  const asOf = formatInstant(calendar, fromDate(calendar, new Date(Math.min(Date.parse(period.end), now.getTime()))));

  const periods = [period];
  while (periods.length < TREND_LENGTH[period.kind]) periods.unshift(previousPeriod(periods[0]!, org.timezone, org.statistics.yearStart));
  const year = statisticsYearOf(period, org);
  const lastYear = previousPeriod(year, org.timezone, org.statistics.yearStart);
  const known = knownAt(complaints, asOf);

  return {
    period: { start: report.period.start, end: report.period.end },
    total: report.total,
    projects: report.projects,
    label: period.label,
    kind: period.kind,
    asOf,
    yearStart: period.yearStart,
    scope: request.project ?? null,
    classification: report.classification,
    excluded: report.excluded,
    severe: report.severe,
    openComplaints: report.openComplaints,
    trend: trendOf(complaints, periods, now),
    comparison: compareProjects(report, org),
    departments: {
      year: year.label,
      assessments: assessDepartments(known, org, year, lastYear, praiseCounts(org, year.start, Date.parse(year.end) < Date.parse(asOf) ? year.end : asOf)),
    },
    notes: report.notes,
  };
}

const PERIOD_EXAMPLES: Record<PeriodKind, string> = { month: '2026-10', quarter: '2026-Q4', year: '2026' };

/**
 * The period option given (`--month`, `--quarter` or `--year`) and its text, or undefined when there
 * is none; two of them, or text of the wrong shape, is bad usage.
 */
export function periodChoice(values: OptionValues): { kind: PeriodKind; text: string } | undefined {
  const given = (['month', 'quarter', 'year'] as const).filter((kind) => stringOption(values, kind) !== undefined);
  if (given.length === 0) return undefined;
  if (given.length > 1) throw new UsageError(`give only one of --month, --quarter and --year, not ${given.map((kind) => `--${kind}`).join(' and ')}`);
  const kind = given[0]!;
  const text = stringOption(values, kind)!;
  const shape = { month: /^\d{4}-(0[1-9]|1[0-2])$/, quarter: /^\d{4}-Q[1-4]$/, year: /^\d{4}$/ }[kind];
  if (!shape.test(text)) throw new UsageError(`--${kind} must look like ${PERIOD_EXAMPLES[kind]}, found "${text}"`);
  return { kind, text };
}

/** The period chosen, in the organisation's time zone and statistics year. */
export function periodIn(choice: { kind: PeriodKind; text: string }, org: Org): Period {
  try {
    return parsePeriod(choice.text, org.timezone, org.statistics.yearStart);
  } catch (cause) {
    if (!(cause instanceof PeriodFormatError)) throw cause;
    throw new UsageError(`--${choice.kind} must look like ${PERIOD_EXAMPLES[choice.kind]}, found "${choice.text}"`);
  }
}

/** Problems as validate reports them (stderr, or `{ ok: false, problems }` with --json); exit code 1. */

/**
 * `complaints report`: the statistics of SPEC §6 for a month, quarter or year (001 §4.2.2–4.2.3):
 * the classification table, the data summary per project and in total, timeliness, completion and
 * satisfaction, major and hot complaints, every open complaint, the complaints not counted, the
 * trend, the comparison of similar projects and (for a year) the departments' assessment. `--json`
 * prints `{ period: {start, end}, total, projects, … }`; `--write` creates or updates
 * content/reports/<period>.md, changing nothing outside its generated block but `generated_at`.
 * An invalid archive, a project without households or area, or a report file whose markers are
 * broken exits 1.
 */
export const reportCommand: Command = {
  summary: 'monthly, quarterly or yearly complaint statistics; --write updates the report file（投诉统计报告）',
  usage: 'complaints report --month YYYY-MM | --quarter YYYY-Qn | --year YYYY [--project KEY] [--write] [--root DIR] [--json] [--now ISO-TIME]',
  options: {
    month: { type: 'string' },
    quarter: { type: 'string' },
    year: { type: 'string' },
    project: { type: 'string' },
    write: { type: 'boolean', default: false },
  },
  async run(context, values) {
    const choice = periodChoice(values);
    if (choice === undefined) throw new UsageError('name the period with one of --month YYYY-MM, --quarter YYYY-Qn or --year YYYY');
    const project = stringOption(values, 'project');
    if (project !== undefined && values.write === true)
      throw new UsageError('--write writes the report of all projects; leave out --project（报告文件包含全部项目）');

    const opened = await openValidArchive(context);
    if (!opened.ok) return opened.code;
    const { archive, calendar } = opened;
    const period = periodIn(choice, archive.org);
    if (project !== undefined && !archive.org.projects.some((candidate) => candidate.key === project))
      throw new UsageError(`--project must be one of ${archive.org.projects.map((candidate) => candidate.key).join(', ')}, found "${project}"`);

    const complaints = archive.complaints.map((complaint) => complaint.data);
    let document: ReportDocument;
    try {
      document = composeReport({ org: archive.org, complaints, period, calendar, now: context.now, project });
    } catch (cause) {
      if (!(cause instanceof MissingProjectFigureError)) throw cause;
      return printProblems(context, [{ file: ORG_FILE, message: cause.message }]);
    }

    if (values.write === true) {
      const generatedAt = formatInstant(calendar, fromDate(calendar, context.now));
      let saved;
      try {
        saved = await saveReportFile(context.root, {
          periodLabel: period.label,
          generatedAt,
          title: reportTitle(document, archive.org),
          markdown: reportMarkdown(document, archive.org, complaints),
        });
      } catch (cause) {
        if (!(cause instanceof ReportFileError)) throw cause;
        return printProblems(context, [cause.problem]);
      }
      if (saved.outcome === 'updated' && saved.status === 'published')
        context.stderr(`warning: ${saved.path} is published and its tables changed; review it again（已发布的报告数据有变化，请重新审核）\n`);
      const said = {
        created: `wrote ${saved.path}（已生成报告文件）`,
        updated: `updated the generated tables of ${saved.path}（已更新报告文件的自动生成部分）`,
        unchanged: `${saved.path} is up to date（报告文件无变化）`,
      }[saved.outcome];
      if (!context.json) {
        context.stdout(`${said}\n`);
        return EXIT.ok;
      }
      // With --json the document stays the only thing on stdout; what happened to the file goes to stderr.
      context.stderr(`${said}\n`);
    }

    if (context.json) printJson(context, document);
    else context.stdout(reportTerminal(document, archive.org, complaints));
    return EXIT.ok;
  },
};
