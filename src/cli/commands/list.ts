import { DateTime } from 'luxon';
import { loadArchive } from '../../archive/archive.ts';
import { parseComplaintId } from '../../core/complaint/paths.ts';
import type { Complaint } from '../../core/complaint/schema.ts';
import { isOpen, STATE_LABELS, STATES, stateOf, type State } from '../../core/complaint/states.ts';
import type { Org } from '../../core/org/schema.ts';
import { EXIT, printJson, stringOption, UsageError, type Command, type OptionValues } from '../command.ts';
import { table } from '../output.ts';
import { chineseDaysSource } from '../../calendar/chinese-days.ts';
import { workingCalendar } from '../../core/calendar.ts';
import { clocksOf } from '../../core/clocks.ts';
import { terminalSafe } from './show.ts';
import { zoneOf } from '../../core/time-zone.ts';

/** `--status open` selects every state in which the complaint is still being handled. */
const OPEN_FILTER = 'open';

/** One row of `list --json`: a public interface (SPEC §9), keys in camelCase. */
export interface ListedComplaint {
  id: string;
  title: string;
  state: State;
  category: string;
  project: string;
  department: string | null;
  receivedAt: string;
  path: string;
}

/** Ids in order of year, then sequence as a number (2026-9999 before 2026-10000). */
export function compareComplaintIds(a: string, b: string): number {
  const left = parseComplaintId(a);
  const right = parseComplaintId(b);
  if (!left || !right) return a < b ? -1 : a > b ? 1 : 0;
  return left.year - right.year || left.sequence - right.sequence;
}

/** A filter value as a key of org.yaml: the key itself or its zh-CN name; bad usage otherwise. */
function orgKeyOption(values: OptionValues, option: string, items: readonly { key: string; label?: string; name?: string }[]): string | undefined {
  const value = stringOption(values, option);
  if (value === undefined) return undefined;
  const item = items.find((candidate) => candidate.key === value || candidate.label === value || candidate.name === value);
  if (!item) throw new UsageError(`--${option} must be one of ${items.map((candidate) => candidate.key).join(', ')}, found "${value}"`);
  return item.key;
}

/** The states `--status` selects: a state key, its zh-CN label, or "open". */
function statusOption(values: OptionValues): readonly State[] | undefined {
  const value = stringOption(values, 'status');
  if (value === undefined) return undefined;
  if (value === OPEN_FILTER) return STATES.filter(isOpen);
  const state = STATES.find((candidate) => candidate === value || STATE_LABELS[candidate] === value);
  if (!state) throw new UsageError(`--status must be one of ${OPEN_FILTER}, ${STATES.join(', ')}, found "${value}"`);
  return [state];
}

/** The date of receipt in the organisation's time zone, as people file it. */
function receivedDate(receivedAt: string, org: Org): string {
  return DateTime.fromISO(receivedAt, { setZone: true }).setZone(zoneOf(org.timezone)).toISODate() ?? receivedAt;
}

function listed(complaint: Complaint): ListedComplaint {
  const { data } = complaint;
  return {
    id: data.id,
    title: data.title,
    state: stateOf(data),
    category: data.category,
    project: data.project,
    department: data.department ?? null,
    receivedAt: data.received_at,
    path: complaint.path,
  };
}

/** Ids of open complaints with at least one clock past its due time at `now` (SPEC §5). */
function overdueIds(complaints: readonly Complaint[], org: Org, now: Date): Set<string> {
  const calendar = workingCalendar(org, chineseDaysSource);
  return new Set(
    complaints
      .filter((complaint) => isOpen(stateOf(complaint.data)))
      .flatMap((complaint) => clocksOf(complaint.data, org, calendar, now))
      .filter((reading) => reading.state === 'overdue')
      .map((reading) => reading.id),
  );
}

/**
 * `complaints list`: one line per complaint (id, state, category, project, date of receipt, title),
 * sorted by id, filtered by --status (a state, its zh-CN label, or "open"), --category, --project and
 * --department (keys or zh-CN names from org.yaml), and --overdue (a running clock past its due time at
 * --now). With --json:
 * `{ complaints: [{ id, title, state, category, project, department, receivedAt, path }] }`.
 * Files with problems are left out and counted on stderr, and the exit code is then 1.
 */
export const listCommand: Command = {
  summary: 'list complaints by status, category, project or department（投诉列表）',
  usage: 'complaints list [--status STATE|open] [--category C] [--project P] [--department D] [--overdue] [--now ISO-TIME] [--root DIR] [--json]',
  options: {
    status: { type: 'string' },
    category: { type: 'string' },
    project: { type: 'string' },
    department: { type: 'string' },
    overdue: { type: 'boolean', default: false },
  },
  async run(context, values) {
    const states = statusOption(values);
    const archive = await loadArchive(context.root);
    const { org } = archive;
    const category = orgKeyOption(values, 'category', org.categories);
    const project = orgKeyOption(values, 'project', org.projects);
    const department = orgKeyOption(values, 'department', org.departments);
    const overdue = values.overdue === true ? overdueIds(archive.complaints, org, context.now) : undefined;
    const rows = archive.complaints
      .map(listed)
      .filter(
        (row) =>
          (!states || states.includes(row.state)) &&
          (!category || row.category === category) &&
          (!project || row.project === project) &&
          (!department || row.department === department) &&
          (!overdue || overdue.has(row.id)),
      )
      .sort((a, b) => compareComplaintIds(a.id, b.id) || (a.path < b.path ? -1 : 1));

    if (context.json) {
      printJson(context, { complaints: rows });
    } else if (rows.length === 0) {
      context.stdout('no complaints match（没有符合条件的投诉）\n');
    } else {
      const label = (items: readonly { key: string; label?: string; name?: string }[], key: string) => {
        const item = items.find((candidate) => candidate.key === key);
        return item?.label ?? item?.name ?? key;
      };
      const body = rows.map((row) => [
        row.id,
        STATE_LABELS[row.state],
        label(org.categories, row.category),
        label(org.projects, row.project),
        receivedDate(row.receivedAt, org),
        terminalSafe(row.title),
      ]);
      context.stdout(`${table(['编号 id', '状态 state', '分类 category', '项目 project', '受理日期 received', '标题 title'], body)}\n`);
    }
    if (archive.problems.length > 0) {
      const files = new Set(archive.problems.map((problem) => problem.file)).size;
      context.stderr(`${archive.problems.length} problems in ${files} files; run "complaints validate"（档案中有 ${files} 个文件存在问题，请运行 complaints validate）\n`);
      return EXIT.problems;
    }
    return EXIT.ok;
  },
};
