import { resolve } from 'node:path';
import { ORG_FILE, writeFileAtomically } from '../../archive/archive.ts';
import { objectsToCsv, type CsvValue } from '../../archive/csv.ts';
import { formatInstant, instantIn, type WorkingCalendar } from '../../core/calendar.ts';
import type { ComplaintData } from '../../core/complaint/schema.ts';
import { STATE_LABELS, stateOf } from '../../core/complaint/states.ts';
import type { Org } from '../../core/org/schema.ts';
import { CHANNEL_LABELS, NATURE_LABELS, SEVERITY_LABELS, URGENCY_LABELS } from '../../core/org/vocabulary.ts';
import { assessSeverity, complaintLinks, type ComplaintLinks } from '../../core/severity.ts';
import type { Period } from '../../core/statistics/period.ts';
import { MissingProjectFigureError } from '../../core/statistics/rates.ts';
import type { Totals } from '../../core/statistics/report.ts';
import { EXIT, stringOption, UsageError, type Command } from '../command.ts';
import { compareComplaintIds } from './list.ts';
import { composeReport, periodChoice, periodIn, type ReportDocument } from './report.ts';
import { openValidArchive, printProblems } from '../valid-archive.ts';
import { complaintPage } from '../../board/complaint-page.ts';
import { open311Request, open311Services } from '../../board/open311.ts';
import { isPublicComplaint } from '../../board/public-complaints.ts';

/**
 * `complaints export`: data for analysts (SPEC §9), as CSV that Excel opens (UTF-8 with BOM, CRLF,
 * RFC 4180 quoting, formulas neutralised) or as JSON with camelCase keys. Only what may leave the
 * archive: never the contact envelope, the complaint text or internal notes.
 */

export const EXPORT_FORMATS = ['csv', 'json', 'open311'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_SUBJECTS = ['complaints', 'report'] as const;
export type ExportSubject = (typeof EXPORT_SUBJECTS)[number];

/** The columns of `--what complaints`, in order; labels are zh-CN from org.yaml and the vocabularies. */
export const COMPLAINT_COLUMNS = [
  'id',
  'title',
  'channel',
  'channelLabel',
  'receivedAt',
  'project',
  'projectName',
  'category',
  'categoryLabel',
  'nature',
  'natureLabel',
  'urgency',
  'urgencyLabel',
  'state',
  'stateLabel',
  'department',
  'departmentName',
  'complainants',
  'duplicateOf',
  'repeatOf',
  'severity',
  'severityLabel',
  'repliedAt',
  'closedAt',
  'satisfied',
] as const;
export type ComplaintRow = Record<(typeof COMPLAINT_COLUMNS)[number], string | number | boolean | null>;

/** The columns of `--what report` as CSV: the classification table and the data summary, told apart by `table`. */
/** The figures of the data summary, per project and in total. */
const SUMMARY_KEYS = [
  'periodCount',
  'cumulativeCount',
  'periodClosed',
  'cumulativeClosed',
  'periodRate',
  'cumulativeRate',
  'periodHandlingRate',
  'cumulativeHandlingRate',
  'timeliness',
  'completion',
  'satisfaction',
] as const satisfies readonly (keyof Totals)[];

export const REPORT_COLUMNS = [
  'table',
  'category',
  'categoryLabel',
  'categoryCount',
  'id',
  'project',
  'projectName',
  'title',
  'nature',
  'natureLabel',
  'correctiveAction',
  'lessons',
  'closed',
  'scope',
  'scopeName',
  ...SUMMARY_KEYS,
] as const;
type ReportColumn = (typeof REPORT_COLUMNS)[number];

function isFormat(value: string): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value);
}

function isSubject(value: string): value is ExportSubject {
  return (EXPORT_SUBJECTS as readonly string[]).includes(value);
}

/** One complaint as an analyst's row: codes with their zh-CN labels, times in the organisation's zone. */
export function complaintRow(data: ComplaintData, archive: readonly ComplaintData[] | ComplaintLinks, org: Org, calendar: WorkingCalendar, now: Date): ComplaintRow {
  const time = (iso: string | undefined) => (iso === undefined ? null : formatInstant(calendar, instantIn(calendar, iso)));
  const state = stateOf(data);
  const severity = assessSeverity(data, archive, org, calendar, now).level;
  return {
    id: data.id,
    title: data.title,
    channel: data.channel,
    channelLabel: CHANNEL_LABELS[data.channel],
    receivedAt: time(data.received_at),
    project: data.project,
    projectName: org.projects.find((project) => project.key === data.project)?.name ?? null,
    category: data.category,
    categoryLabel: org.categories.find((category) => category.key === data.category)?.label ?? null,
    nature: data.nature ?? null,
    natureLabel: data.nature ? NATURE_LABELS[data.nature] : null,
    urgency: data.urgency,
    urgencyLabel: URGENCY_LABELS[data.urgency],
    state,
    stateLabel: STATE_LABELS[state],
    department: data.department ?? null,
    departmentName: org.departments.find((department) => department.key === data.department)?.name ?? null,
    complainants: data.complainants,
    duplicateOf: data.duplicate_of ?? null,
    repeatOf: data.repeat_of ?? null,
    severity,
    severityLabel: SEVERITY_LABELS[severity],
    repliedAt: time(data.reply?.at ?? data.events.find((event) => event.type === 'replied')?.at),
    closedAt: state === 'closed' ? time(data.closure?.at ?? data.events.findLast((event) => event.type === 'closed')?.at) : null,
    satisfied: data.visit?.satisfied ?? null,
  };
}

function receivedIn(data: ComplaintData, period: Period): boolean {
  const time = Date.parse(data.received_at);
  return time >= Date.parse(period.start) && time < Date.parse(period.end);
}


/** The report's two tables as rows: the classification (one row per complaint, or per empty category) and the summary per project and in total. */
export function reportRows(document: ReportDocument, org: Org): { classification: Partial<Record<ReportColumn, CsvValue>>[]; summary: Partial<Record<ReportColumn, CsvValue>>[] } {
  const categoryLabel = (key: string) => org.categories.find((category) => category.key === key)?.label ?? null;
  const projectName = (key: string) => org.projects.find((project) => project.key === key)?.name ?? null;
  const classification = document.classification.flatMap((row) => {
    const category = { category: row.category, categoryLabel: categoryLabel(row.category), categoryCount: row.count };
    if (row.items.length === 0) return [category];
    return row.items.map((item) => ({
      ...category,
      id: item.id,
      project: item.project,
      projectName: projectName(item.project),
      title: item.title,
      nature: item.nature,
      natureLabel: item.nature ? NATURE_LABELS[item.nature] : null,
      correctiveAction: item.correctiveAction,
      lessons: item.lessons,
      closed: item.closed,
    }));
  });
  const figures = (totals: Totals) => Object.fromEntries(SUMMARY_KEYS.map((key) => [key, totals[key]]));
  const summary = [
    ...Object.entries(document.projects).map(([key, totals]) => ({ scope: key, scopeName: projectName(key), ...figures(totals) })),
    { scope: 'total', scopeName: '合计', ...figures(document.total) },
  ];
  return { classification, summary };
}

/**
 * `complaints export --format csv|json [--what complaints|report] [--month …|--quarter …|--year …]
 * [--out FILE]`. `complaints` (the default) exports one row per complaint, those received in the
 * period if one is given; `report` needs a period and exports its classification table and data
 * summary. Output goes to stdout or, atomically, to --out.
 */
export const exportCommand: Command = {
  summary: 'complaints or a report as CSV (for Excel) or JSON, for analysts（导出数据）',
  usage: 'complaints export --format csv|json|open311 [--what complaints|report] [--month YYYY-MM | --quarter YYYY-Qn | --year YYYY] [--out FILE] [--root DIR] [--now ISO-TIME]',
  options: {
    format: { type: 'string' },
    what: { type: 'string' },
    month: { type: 'string' },
    quarter: { type: 'string' },
    year: { type: 'string' },
    out: { type: 'string' },
  },
  async run(context, values) {
    const format = stringOption(values, 'format');
    if (format === undefined || !isFormat(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}${format === undefined ? '' : `, found "${format}"`}`);
    const subject = stringOption(values, 'what') ?? 'complaints';
    if (!isSubject(subject)) throw new UsageError(`--what must be one of ${EXPORT_SUBJECTS.join(', ')}, found "${subject}"`);
    const choice = periodChoice(values);
    if (subject === 'report' && choice === undefined) throw new UsageError('--what report needs the period: --month YYYY-MM, --quarter YYYY-Qn or --year YYYY');
    const out = stringOption(values, 'out');
    if (out === '') throw new UsageError('--out needs a file name');

    const opened = await openValidArchive(context);
    if (!opened.ok) return opened.code;
    const { archive, calendar } = opened;
    const period = choice === undefined ? undefined : periodIn(choice, archive.org);
    const complaints = archive.complaints.map((complaint) => complaint.data);

    let text: string;
    let count: number;
    if (format === 'open311') {
      if (subject !== 'complaints') throw new UsageError('--format open311 exports complaints, not a report（open311 格式只导出投诉）');
      // The same read-only GeoReport v2 view the board publishes: public complaints only.
      const byId = new Map(complaints.map((data) => [data.id, data]));
      const requests = archive.complaints
        .filter((complaint) => isPublicComplaint(complaint.data, archive.org) && (period === undefined || receivedIn(complaint.data, period)))
        .sort((a, b) => compareComplaintIds(a.data.id, b.data.id))
        .map((complaint) => open311Request(complaintPage(complaint.data, complaint.body, { org: archive.org, calendar, now: context.now, complaints: byId })));
      count = requests.length;
      text = `${JSON.stringify({ services: open311Services(archive.org), requests }, null, 2)}\n`;
    } else if (subject === 'complaints') {
      const links = complaintLinks(complaints);
      const rows = complaints
        .filter((data) => period === undefined || receivedIn(data, period))
        .sort((a, b) => compareComplaintIds(a.id, b.id))
        .map((data) => complaintRow(data, links, archive.org, calendar, context.now));
      count = rows.length;
      text = format === 'csv' ? objectsToCsv(COMPLAINT_COLUMNS, rows) : `${JSON.stringify(rows, null, 2)}\n`;
    } else {
      let document: ReportDocument;
      try {
        document = composeReport({ org: archive.org, complaints, period: period!, calendar, now: context.now });
      } catch (cause) {
        if (!(cause instanceof MissingProjectFigureError)) throw cause;
        return printProblems(context, [{ file: ORG_FILE, message: cause.message }]);
      }
      const rows = reportRows(document, archive.org);
      count = rows.classification.length + rows.summary.length;
      text =
        format === 'csv'
          ? objectsToCsv(REPORT_COLUMNS, [...rows.classification.map((row) => ({ table: 'classification', ...row })), ...rows.summary.map((row) => ({ table: 'summary', ...row }))])
          : `${JSON.stringify({ period: document.period, label: document.label, classification: rows.classification, summary: rows.summary }, null, 2)}\n`;
    }

    if (out === undefined) {
      context.stdout(text);
      return EXIT.ok;
    }
    const target = resolve(out);
    await writeFileAtomically(target, text);
    context.stdout(`wrote ${target}: ${count} rows（已导出 ${count} 行）\n`);
    return EXIT.ok;
  },
};
