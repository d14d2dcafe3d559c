import { checkArchive, type ArchiveEntry } from '../core/complaint/check.ts';
import { decodeText, ORG_FILE, parseOrg, readComplaintFile } from '../archive/archive.ts';
import { workingCalendar, type HolidaySource } from '../core/calendar.ts';
import { clocksOf, type ClockReading } from '../core/clocks.ts';
import type { ComplaintEvent } from '../core/complaint/schema.ts';
import { stateOf, type State } from '../core/complaint/states.ts';
import type { Org } from '../core/org/schema.ts';
import { describe, type Problem } from '../core/problems.ts';
import { compareEvents } from './event-history.ts';
import { isSetAside, readFileVersion, type FileVersion } from './file-version.ts';
import { changeAuthority, isSupervisor } from './permissions.ts';

/**
 * The pull-request check (issue 5 item 3, SPEC §4 and §8): what a change to the archive does, judged
 * from both sides of every changed complaint file and org.yaml. Pure: Git is read by the caller
 * (src/git/complaint-diff.ts), the calendar's holiday data and `now` come in as parameters.
 *
 * Refused: a head version with any problem `complaints validate` would report (with the archive-wide
 * ones: duplicate ids, paths, links); a removed or rewritten event and an illegal appended step;
 * deleting or renaming a complaint file; changing an immutable field; and a change by someone who is
 * neither a handler of the complaint's department (before or after the change) nor a supervisor.
 * org.yaml may only be changed by a supervisor, and permissions are judged by the base's org.yaml, so
 * a pull request cannot make its author a handler and use that in the same breath.
 */

export const CHECK_PROBLEM_KINDS = ['invalid', 'transition', 'deleted', 'renamed', 'immutable', 'permission', 'organisation'] as const;
export type CheckProblemKind = (typeof CHECK_PROBLEM_KINDS)[number];

/** zh-CN headings of the problem kinds, for the summary comment. */
export const CHECK_PROBLEM_LABELS: Record<CheckProblemKind, string> = {
  invalid: '文件校验',
  transition: '处理记录',
  deleted: '删除文件',
  renamed: '移动文件',
  immutable: '不可修改的字段',
  permission: '修改权限',
  organisation: '组织配置',
};

export interface CheckProblem extends Problem {
  kind: CheckProblemKind;
}

/** SPEC §3: what identifies a complaint and its intake never changes after registration. */
export const IMMUTABLE_FIELDS = ['id', 'received_at', 'channel', 'received_by'] as const;

export type ChangeKind = 'added' | 'modified' | 'deleted' | 'renamed';

/** One complaint the pull request touches, as the summary comment lists it. */
export interface ComplaintChange {
  path: string;
  change: ChangeKind;
  id?: string;
  title?: string;
  /** For a rename: the new path. */
  renamedTo?: string;
  stateBefore?: State;
  stateAfter?: State;
  addedEvents: ComplaintEvent[];
  /** The head version's running clocks at `now`. */
  clocks: ClockReading[];
}

export interface ChangedFileVersions {
  path: string;
  base?: Uint8Array;
  head?: Uint8Array;
}

export interface PullRequestCheckInput {
  /** Every changed file under content/complaints, both sides. */
  changes: readonly ChangedFileVersions[];
  /** The head's complaint files the pull request did not change, for the archive-wide checks. */
  unchanged: readonly { path: string; bytes: Uint8Array }[];
  /** content/org.yaml at the base and at the head. */
  org: { base?: Uint8Array; head?: Uint8Array };
  /** The pull request's author (a GitHub login); without one, permissions are not checked. */
  author?: string;
  holidays: HolidaySource;
  now: Date;
}

export interface CheckReport {
  ok: boolean;
  problems: CheckProblem[];
  changes: ComplaintChange[];
  /** Whether org.yaml changed. */
  organisationChanged: boolean;
  /** Whether the author's permissions were checked (an author was given and org.yaml was readable). */
  permissionsChecked: boolean;
  /** The organisation's time zone, for showing times. */
  timezone: string;
}

/** Files that may sit among complaint files without being complaints (as `validate` skips them). */
const IGNORED_FILE_NAMES = new Set(['.gitkeep', 'README.md']);

function fileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

function readOrg(bytes: Uint8Array | undefined): { org?: Org; problems: Problem[] } {
  if (bytes === undefined) return { problems: [{ file: ORG_FILE, message: `${ORG_FILE} is missing: the archive cannot be checked without it（缺少组织配置文件）` }] };
  const decoded = decodeText(ORG_FILE, bytes);
  if (decoded.text === undefined) return { problems: decoded.problems };
  const parsed = parseOrg(decoded.text);
  return { ...(parsed.org ? { org: parsed.org } : {}), problems: [...decoded.problems, ...parsed.problems] };
}

function sameField(field: (typeof IMMUTABLE_FIELDS)[number], a: unknown, b: unknown): boolean {
  if (field === 'received_at' && typeof a === 'string' && typeof b === 'string') return Date.parse(a) === Date.parse(b);
  return a === b;
}

/** Runs the check; see the module comment for what it refuses. */
export function checkPullRequest(input: PullRequestCheckInput): CheckReport {
  const problems: CheckProblem[] = [];
  const add = (kind: CheckProblemKind, problem: Problem) => problems.push({ kind, ...problem });

  const baseOrg = readOrg(input.org.base);
  const headOrg = readOrg(input.org.head);
  const organisationChanged = !sameBytes(input.org.base, input.org.head);
  if (organisationChanged) for (const problem of headOrg.problems) add('organisation', problem);
  // Who may change what is judged by the organisation as it was before the pull request.
  const judgingOrg = baseOrg.org ?? headOrg.org;
  const org = headOrg.org ?? baseOrg.org;
  const calendar = org ? workingCalendar(org, input.holidays) : undefined;
  const author = input.author?.trim() || undefined;
  const permissionsChecked = author !== undefined && judgingOrg !== undefined;

  if (organisationChanged && author && baseOrg.org && baseOrg.org.supervisors.length > 0 && !isSupervisor(baseOrg.org, author))
    add('permission', {
      file: ORG_FILE,
      message: `${ORG_FILE} was changed by "${author}", who is not a supervisor (${baseOrg.org.supervisors.join(', ')}): only supervisors change the organisation（只有主管可以修改组织配置）`,
    });

  const complaintChanges = input.changes.filter((change) => !IGNORED_FILE_NAMES.has(fileName(change.path)));
  const heads = new Map<string, FileVersion>();
  const bases = new Map<string, FileVersion>();
  for (const change of complaintChanges) {
    if (change.head && !change.path.endsWith('.md')) {
      add('invalid', { file: change.path, message: 'not a complaint file: complaint files are content/complaints/YYYY/MM/<id>.md（不是投诉文件）' });
      continue;
    }
    if (change.head) heads.set(change.path, readFileVersion(change.path, change.head, org));
    if (change.base && change.path.endsWith('.md')) bases.set(change.path, readFileVersion(change.path, change.base, baseOrg.org ?? org));
  }

  // A deleted file whose complaint reappears at another path was renamed (moved).
  const added = [...heads.values()].filter((version) => !bases.has(version.path));
  const renamedTo = new Map<string, FileVersion>();
  for (const base of bases.values()) {
    if (heads.has(base.path) || !base.data || isSetAside(base, 'id')) continue;
    const target = added.find((version) => version.data?.id === base.data!.id && !isSetAside(version, 'id'));
    if (target) renamedTo.set(base.path, target);
  }
  const renameTargets = new Set([...renamedTo.values()].map((version) => version.path));

  // Every head file alone, then the head archive as a whole (ids, paths, links), reported for changed files only.
  const entries: ArchiveEntry[] = [];
  for (const file of input.unchanged) {
    if (IGNORED_FILE_NAMES.has(fileName(file.path)) || !file.path.endsWith('.md')) continue;
    const read = readComplaintFile(file.path, file.bytes);
    if (read.complaint) entries.push({ path: file.path, data: read.complaint.data });
    else if (read.salvaged) entries.push({ path: file.path, data: read.salvaged.data, setAside: read.salvaged.setAside });
  }
  for (const head of heads.values()) if (head.data) entries.push({ path: head.path, data: head.data, setAside: head.setAside });

  const changes: ComplaintChange[] = [];
  for (const base of bases.values()) {
    if (heads.has(base.path)) continue;
    const target = renamedTo.get(base.path);
    if (target) {
      add('renamed', {
        file: base.path,
        message: `the complaint file was moved to ${target.path}: complaint files are never renamed or moved; the path follows the id and month of receipt（投诉文件不能改名或移动）`,
      });
    } else {
      add('deleted', {
        file: base.path,
        message: 'the complaint file was deleted: complaint files are never deleted; a complaint that should not count is rejected, withdrawn or marked duplicate_of（投诉文件不能删除）',
      });
    }
    changes.push({
      path: base.path,
      change: target ? 'renamed' : 'deleted',
      ...(base.data && !isSetAside(base, 'id') ? { id: base.data.id, title: base.data.title } : {}),
      ...(target ? { renamedTo: target.path } : {}),
      ...(base.data && base.eventsReadable ? { stateBefore: stateOf(base.data) } : {}),
      addedEvents: [],
      clocks: [],
    });
  }

  for (const head of heads.values()) {
    // A moved file is compared with the file it was moved from.
    const before = bases.get(head.path) ?? [...bases.values()].find((version) => renamedTo.get(version.path) === head);
    // Illegal steps are reported as transitions, not again as validation problems of the file.
    const transitions = new Set<string>();
    let addedEvents: ComplaintEvent[] = head.data && head.eventsReadable ? [...head.data.events] : [];
    if (before?.data && head.data) {
      for (const field of IMMUTABLE_FIELDS) {
        if (isSetAside(before, field) || isSetAside(head, field)) continue;
        const was = before.data[field];
        const is = head.data[field];
        if (!sameField(field, was, is))
          add('immutable', {
            file: head.path,
            ...lineOf(head, [field]),
            message: describe([field], `changed from "${String(was)}" to "${String(is)}": this field is fixed at registration and never changes`, '登记后不可修改'),
          });
      }
      if (before.eventsReadable && head.eventsReadable) {
        const comparison = compareEvents(before.data.events, head.data.events);
        addedEvents = comparison.added;
        for (const problem of comparison.problems) {
          transitions.add(problem.message);
          add('transition', { file: head.path, ...lineOf(head, problem.path), message: problem.message });
        }
      }
    }
    for (const problem of head.problems) if (!transitions.has(problem.message)) add('invalid', problem);

    if (permissionsChecked && (head.data || before?.data)) {
      const authority = changeAuthority(judgingOrg!, author!, [before?.data, head.data]);
      if (!authority.allowed) {
        const names = authority.departments.map((key) => `${judgingOrg!.departments.find((department) => department.key === key)?.name ?? key} (${key})`);
        add('permission', {
          file: head.path,
          message: `changed by "${author}", who is neither a handler of ${names.length > 0 ? names.join(' or ') : 'the responsible department'} nor a supervisor（修改人不是责任部门的处理人，也不是主管）`,
        });
      }
    }
    // A moved file is listed once, as the rename.
    if (renameTargets.has(head.path)) continue;
    changes.push({
      path: head.path,
      change: bases.has(head.path) ? 'modified' : 'added',
      ...(head.data && !isSetAside(head, 'id') ? { id: head.data.id, title: head.data.title } : {}),
      ...(before?.data && before.eventsReadable ? { stateBefore: stateOf(before.data) } : {}),
      ...(head.data && head.eventsReadable ? { stateAfter: stateOf(head.data) } : {}),
      addedEvents,
      clocks: head.complete && head.data && org && calendar ? clocksOf(head.data, org, calendar, input.now).filter((clock) => clock.running) : [],
    });
  }

  for (const problem of checkArchive(entries, org)) {
    const head = heads.get(problem.file);
    if (!head) continue;
    add('invalid', { file: problem.file, ...lineOf(head, problem.path), message: problem.message });
  }

  problems.sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : a.file < b.file ? -1 : 1));
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { ok: problems.length === 0, problems, changes, organisationChanged, permissionsChecked, timezone: org?.timezone ?? 'Asia/Shanghai' };
}

function lineOf(version: FileVersion, path: readonly (string | number)[]): { line?: number } {
  const line = version.lineOf(path);
  return line === undefined ? {} : { line };
}
