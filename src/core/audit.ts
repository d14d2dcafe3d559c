import { FIELD_LABELS } from './complaint/labels.ts';
import { ERASED_MARKER } from './complaint/erase.ts';
import type { ComplaintData, ComplaintEvent } from './complaint/schema.ts';
import { isOpen, replayEvents, stateOf, STATE_LABELS, type State } from './complaint/states.ts';
import { EVENT_LABELS, type EventType } from './org/vocabulary.ts';
import type { AuditSettings } from './org/schema.ts';

/**
 * The auditor's view of the Git history (SPEC §1 审计, issue 6 §1): from every version of every
 * complaint file, who changed what and when, and what an auditor must be told about — a complaint
 * file deleted or renamed, an illegal transition, an event removed or rewritten, an immutable field
 * changed, an event recorded long after it happened (backdating), a closed complaint reopened without
 * a `reopened` event, and unsigned commits when signatures are required.
 *
 * Pure: the commits and the versions (parsed by the Git adapter, `src/git/history.ts`) come in, the
 * trail and the findings go out. Git says when something was recorded (the committer date); the
 * event says when it happened.
 */

/** `%G?` of git log: G good, B bad, U good but of unknown validity, X expired, Y by an expired key, R by a revoked key, E cannot be checked, N none. */
export const SIGNATURE_STATUSES = ['G', 'B', 'U', 'X', 'Y', 'R', 'E', 'N'] as const;
export type SignatureStatus = (typeof SIGNATURE_STATUSES)[number];

export interface AuditAuthor {
  name: string;
  email: string;
}

export interface AuditCommit {
  hash: string;
  parents: readonly string[];
  author: AuditAuthor;
  /** When the commit was recorded (committer date, ISO 8601 with offset). */
  committedAt: string;
  /** Present when signatures were read. */
  signature?: SignatureStatus;
  /** The commit carries the trailer `Complaints-Import: true`. */
  import: boolean;
}

/** One version of a complaint file as the adapter could read it. */
export interface ComplaintVersion {
  path: string;
  /** False when the file's front matter or schema could not be read (then `data` may be missing). */
  readable: boolean;
  /** The front matter mapping as written, for comparing fields. */
  fields?: Readonly<Record<string, unknown>>;
  /** The complaint, when its events can be replayed (parsed, or salvaged with readable events). */
  data?: ComplaintData;
  body?: string;
}

export type ChangeKind = 'added' | 'modified' | 'deleted' | 'renamed';

/** What one commit did to one complaint file. */
export interface FileChange {
  commit: AuditCommit;
  kind: ChangeKind;
  /** The path after the change (the old path for a deletion). */
  path: string;
  /** A rename's old path. */
  previousPath?: string;
  /** The file in each parent that had it: none for an added file, several for a merge. */
  before: readonly ComplaintVersion[];
  /** The file after the change; absent for a deletion. */
  after?: ComplaintVersion;
}

/** The fields no one may change once a complaint is registered (SPEC §3: identity and intake). */
export const IMMUTABLE_FIELDS = ['id', 'received_at', 'channel', 'received_by'] as const;

export const FINDING_KINDS = [
  'deleted',
  'renamed',
  'illegal_transition',
  'events_rewritten',
  'immutable_field_changed',
  'backdated',
  'reopened_without_event',
  'unsigned_commit',
  'bad_signature',
  'unreadable_version',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const FINDING_LABELS: Record<FindingKind, string> = {
  deleted: '投诉文件被删除',
  renamed: '投诉文件被改名或移动',
  illegal_transition: '不合规的状态变更',
  events_rewritten: '处理记录被删除或改写',
  immutable_field_changed: '不可更改的字段被修改',
  backdated: '补录超过时限',
  reopened_without_event: '已办结投诉未经"重新处理"即重新打开',
  unsigned_commit: '提交未签名',
  bad_signature: '提交签名无效',
  unreadable_version: '投诉文件版本无法读取',
};

export interface TrailEntry {
  commit: string;
  author: AuditAuthor;
  committedAt: string;
  change: ChangeKind;
  path: string;
  previousPath?: string;
  /** Front matter fields whose value changed (all present fields for a new file), and `body`. */
  fields: string[];
  stateBefore: State | null;
  stateAfter: State | null;
  /** Events this commit added, in order. */
  eventsAdded: { type: EventType; at: string; by: string }[];
  import: boolean;
  signature?: SignatureStatus;
}

export interface AuditFinding {
  kind: FindingKind;
  commit: string;
  committedAt: string;
  author: AuditAuthor;
  /** The complaint (its file name), absent for a commit-wide finding such as an unsigned commit. */
  id?: string;
  path?: string;
  /** English for logs, then zh-CN for people. */
  message: string;
  /** `immutable_field_changed`: the field. */
  field?: string;
  /** `backdated`, `illegal_transition`: the event concerned. */
  event?: { index: number; type: EventType; at: string };
  /** `backdated`: how many hours after the event it was recorded. */
  hoursLate?: number;
}

export interface ComplaintTrail {
  id: string;
  /** The latest path of the file. */
  path: string;
  trail: TrailEntry[];
}

/** A commit marked `Complaints-Import: true`: listed apart, its events not judged as backdated. */
export interface ImportRecord {
  commit: string;
  committedAt: string;
  author: AuditAuthor;
  /** Complaints the commit added or changed. */
  complaints: string[];
}

export interface AuditReport {
  /** Commits that touched complaint files. */
  commits: number;
  complaints: ComplaintTrail[];
  findings: AuditFinding[];
  imports: ImportRecord[];
}

const HOUR_MS = 60 * 60 * 1000;

/** The complaint a file is, by its name (`…/2026-0042.md` → `2026-0042`). */
export function complaintIdOfPath(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).replace(/\.md$/, '');
}

/** JSON with keys sorted, so equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `after` is `before` with some parts replaced by the erasure marker. */
function isErasureOf(before: string, after: string): boolean {
  if (!after.includes(ERASED_MARKER)) return false;
  const pattern = after.split(ERASED_MARKER).map(escapeRegExp).join('[\\s\\S]+?');
  return new RegExp(`^${pattern}$`).test(before);
}

/** Whether an event is unchanged, or (during an erasure) changed only by replacing text with the marker. */
function sameEvent(before: ComplaintEvent, after: ComplaintEvent, erasing: boolean): boolean {
  if (canonical(before) === canonical(after)) return true;
  if (!erasing) return false;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const a = (before as Record<string, unknown>)[key];
    const b = (after as Record<string, unknown>)[key];
    if (canonical(a) === canonical(b)) continue;
    if (typeof a !== 'string' || typeof b !== 'string' || !isErasureOf(a, b)) return false;
  }
  return true;
}

/** How many of `before`'s events `after` keeps unchanged, from the start. */
function commonPrefix(before: readonly ComplaintEvent[], after: readonly ComplaintEvent[], erasing: boolean): number {
  let length = 0;
  while (length < before.length && length < after.length && sameEvent(before[length]!, after[length]!, erasing)) length += 1;
  return length;
}

function erasedCount(events: readonly ComplaintEvent[]): number {
  return events.filter((event) => event.type === 'erased').length;
}

/** Front matter fields whose value differs, and `body` when the text changed. */
function changedFields(before: ComplaintVersion | undefined, after: ComplaintVersion | undefined): string[] {
  const a = before?.fields ?? {};
  const b = after?.fields ?? {};
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const fields = keys.filter((key) => canonical(a[key]) !== canonical(b[key]));
  if ((before?.body ?? '') !== (after?.body ?? '')) fields.push('body');
  return fields;
}

/** Whether two values of an immutable field are the same (times compared as instants). */
function sameImmutable(field: (typeof IMMUTABLE_FIELDS)[number], a: unknown, b: unknown): boolean {
  if (field === 'received_at' && typeof a === 'string' && typeof b === 'string') {
    const [timeA, timeB] = [Date.parse(a), Date.parse(b)];
    if (!Number.isNaN(timeA) && !Number.isNaN(timeB)) return timeA === timeB;
  }
  return canonical(a) === canonical(b);
}

function shortHash(hash: string): string {
  return hash.slice(0, 8);
}

/** Reads the commits and the changes of complaint files, in topological order (parents first), and judges them. */
export function auditHistory(
  given: { commits: readonly AuditCommit[]; changes: readonly FileChange[] },
  settings: Omit<AuditSettings, 'importCommits'> & { importCommits?: readonly string[] },
): AuditReport {
  // Commits org.yaml declares as imports count as if they carried the trailer.
  const declared = (commit: AuditCommit) => commit.import || (settings.importCommits ?? []).some((prefix) => commit.hash.startsWith(prefix));
  const input = {
    commits: given.commits.map((commit) => ({ ...commit, import: declared(commit) })),
    changes: given.changes.map((change) => ({ ...change, commit: { ...change.commit, import: declared(change.commit) } })),
  };
  const findings: AuditFinding[] = [];
  const trails = new Map<string, ComplaintTrail>();
  const importedBy = new Map<string, string[]>();
  const marginMs = settings.backdateMarginHours * HOUR_MS;

  for (const change of input.changes) {
    const { commit } = change;
    const id = complaintIdOfPath(change.path);
    const where = { commit: commit.hash, committedAt: commit.committedAt, author: commit.author, id, path: change.path };
    const add = (finding: Omit<AuditFinding, keyof typeof where>) => findings.push({ ...where, ...finding });
    const primary = change.before[0];
    const after = change.after;

    if (change.kind === 'deleted') {
      add({ kind: 'deleted', message: `the complaint file ${change.path} was deleted; complaint files are never deleted（${FINDING_LABELS.deleted}）` });
    }
    if (change.kind === 'renamed') {
      add({
        kind: 'renamed',
        message: `the complaint file ${change.previousPath} was renamed to ${change.path}; complaint files never move（${FINDING_LABELS.renamed}）`,
      });
    }
    if (after && !after.readable) {
      add({
        kind: 'unreadable_version',
        message: `this version of ${change.path} cannot be read as a complaint, so its changes cannot be judged（${FINDING_LABELS.unreadable_version}）`,
      });
    }
    if (commit.import && change.after) importedBy.set(commit.hash, [...(importedBy.get(commit.hash) ?? []), id]);

    // Immutable fields: judged against every parent that had the file; a merge that takes one
    // parent's value was already judged where that value was written.
    const parentsWithFields = change.before.filter((version) => version.fields !== undefined);
    if (after?.fields && parentsWithFields.length > 0) {
      for (const field of IMMUTABLE_FIELDS) {
        if (parentsWithFields.some((version) => sameImmutable(field, version.fields![field], after.fields![field]))) continue;
        const was = parentsWithFields[0]!.fields![field];
        add({
          kind: 'immutable_field_changed',
          field,
          message: `${field} changed from ${JSON.stringify(was) ?? 'nothing'} to ${JSON.stringify(after.fields[field]) ?? 'nothing'}; it may never change（${FINDING_LABELS.immutable_field_changed}：${FIELD_LABELS[field] ?? field}）`,
        });
      }
    }

    let eventsAdded: ComplaintEvent[] = [];
    const stateBefore = primary?.data ? stateOf(primary.data) : null;
    const stateAfter = after?.data ? stateOf(after.data) : null;
    const parentsWithEvents = change.before.filter((version) => version.data !== undefined);
    const judgeable = after?.data !== undefined && (change.before.length === 0 || parentsWithEvents.length > 0);
    if (judgeable) {
      const afterEvents = after!.data!.events;
      // The parent this version continues: the one whose events it keeps longest.
      let base: ComplaintVersion | undefined;
      let prefix = 0;
      for (const version of parentsWithEvents) {
        const events = version.data!.events;
        const erasing = erasedCount(afterEvents) > erasedCount(events);
        const length = commonPrefix(events, afterEvents, erasing);
        if (!base || length > prefix) [base, prefix] = [version, length];
      }
      const baseEvents = base?.data?.events ?? [];
      if (base && prefix < baseEvents.length) {
        add({
          kind: 'events_rewritten',
          message: `events ${prefix + 1}–${baseEvents.length} of the previous version were removed or changed; events are only ever added（${FINDING_LABELS.events_rewritten}：第 ${prefix + 1} 条起）`,
        });
      }
      eventsAdded = afterEvents.slice(prefix);

      for (const problem of replayEvents(afterEvents).problems) {
        const index = problem.path[1];
        if (typeof index !== 'number' || index < prefix) continue;
        const event = afterEvents[index]!;
        add({ kind: 'illegal_transition', event: { index, type: event.type, at: event.at }, message: problem.message });
      }

      // Backdating: an event first recorded here (in no parent) more than the margin after its time.
      // An import commit brings in an existing archive: its events are not judged (SPEC §9), and the
      // report lists the commit and every complaint it touched, so the auditor sees what came in that way.
      const known = new Set(parentsWithEvents.flatMap((version) => version.data!.events.map(canonical)));
      if (!commit.import) {
        const committedAt = Date.parse(commit.committedAt);
        afterEvents.forEach((event, index) => {
          if (index < prefix || known.has(canonical(event))) return;
          const late = committedAt - Date.parse(event.at);
          if (late <= marginMs) return;
          const hoursLate = Math.round((late / HOUR_MS) * 10) / 10;
          add({
            kind: 'backdated',
            event: { index, type: event.type, at: event.at },
            hoursLate,
            message: `event ${index + 1} "${event.type}" at ${event.at} was first recorded ${hoursLate} h later (margin ${settings.backdateMarginHours} h)（${FINDING_LABELS.backdated}：${EVENT_LABELS[event.type]}）`,
          });
        });
      }

      const baseState = base?.data ? stateOf(base.data) : null;
      if (baseState && !isOpen(baseState) && stateAfter && isOpen(stateAfter) && !eventsAdded.some((event) => event.type === 'reopened')) {
        add({
          kind: 'reopened_without_event',
          message: `the complaint went from "${baseState}" back to "${stateAfter}" without a "reopened" event（${FINDING_LABELS.reopened_without_event}：${STATE_LABELS[baseState]} → ${STATE_LABELS[stateAfter]}）`,
        });
      }
    }

    const entry: TrailEntry = {
      commit: commit.hash,
      author: commit.author,
      committedAt: commit.committedAt,
      change: change.kind,
      path: change.path,
      ...(change.previousPath ? { previousPath: change.previousPath } : {}),
      fields: changedFields(primary, after),
      stateBefore,
      stateAfter,
      eventsAdded: eventsAdded.map((event) => ({ type: event.type, at: event.at, by: event.by })),
      import: commit.import,
      ...(commit.signature ? { signature: commit.signature } : {}),
    };
    const trail = trails.get(id) ?? { id, path: change.path, trail: [] };
    trail.path = change.path;
    trail.trail.push(entry);
    trails.set(id, trail);
  }

  if (settings.requireSignedCommits) {
    for (const commit of input.commits) {
      const where = { commit: commit.hash, committedAt: commit.committedAt, author: commit.author };
      if (commit.signature === undefined || commit.signature === 'N') {
        findings.push({ ...where, kind: 'unsigned_commit', message: `commit ${shortHash(commit.hash)} is not signed, and org.yaml requires signed commits（${FINDING_LABELS.unsigned_commit}）` });
      } else if (commit.signature === 'B' || commit.signature === 'R') {
        findings.push({
          ...where,
          kind: 'bad_signature',
          message: `commit ${shortHash(commit.hash)} has a ${commit.signature === 'B' ? 'bad signature' : 'signature by a revoked key'}（${FINDING_LABELS.bad_signature}）`,
        });
      }
    }
  }

  const imports = input.commits
    .filter((commit) => commit.import)
    .map((commit) => ({ commit: commit.hash, committedAt: commit.committedAt, author: commit.author, complaints: importedBy.get(commit.hash) ?? [] }));
  const complaints = [...trails.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { commits: input.commits.length, complaints, findings, imports };
}
