import { runGit } from './run-git.ts';
import { parseFrontmatter, FrontmatterError } from '../archive/frontmatter.ts';
import { salvageComplaint } from '../core/complaint/check.ts';
import { COMPLAINTS_DIR } from '../core/complaint/paths.ts';
import { complaintSchema } from '../core/complaint/schema.ts';
import { SIGNATURE_STATUSES, type AuditCommit, type ChangeKind, type ComplaintVersion, type FileChange, type SignatureStatus } from '../core/audit.ts';

/**
 * Every version of every complaint file from the Git history, read in one pass (issue 6 §1): one
 * `git log` over the complaints folder lists the commits (author, committer date, signature status,
 * the import trailer) and, for each, the files it changed with the blob ids before and after; one
 * `git cat-file --batch` then reads all those blobs. Two git processes whatever the number of
 * complaints or commits — never one per complaint.
 *
 * Merges are read with `--diff-merges=c`: a merge lists only the files whose merged version differs
 * from every parent (a conflict resolution, or a change made in the merge itself), with each
 * parent's version, so a clean merge adds nothing that its branch commits did not already show.
 */

/** The trailer that marks a commit bringing in an existing archive (`complaints import`). */
export const IMPORT_TRAILER = 'Complaints-Import';

/** Separators in the log format: record, field, end of header. */
const RECORD = '\x1e';
const FIELD = '\x1f';
const HEADER_END = '\x1d';
const NULL_SHA = /^0+$/;

/** Raised when --root is not inside a Git working copy: there is no history to audit. */
export class NotAGitRepositoryError extends Error {
  override readonly name = 'NotAGitRepositoryError';
  constructor(root: string) {
    super(`${root} is not in a Git repository: the audit reads the archive's Git history（档案目录不是 Git 仓库，无法审计历史）`);
  }
}

/** Raised when git itself fails. */
export class GitHistoryError extends Error {
  override readonly name = 'GitHistoryError';
  constructor(command: string, message: string) {
    super(`git ${command} failed: ${message.trim()}（读取 Git 历史失败）`);
  }
}

export interface HistoryOptions {
  /** Only commits recorded on or after this time (git's `--since`). */
  since?: string;
  /** What to read: the complaints folder (default), or a pathspec such as one complaint's file name. */
  pathspec?: string;
  /** Read signature status (`%G?`); git then verifies each signed commit, which takes time. */
  signatures?: boolean;
  /** The environment git runs in (PATH decides which git). */
  env?: NodeJS.ProcessEnv;
}

export interface ComplaintHistory {
  commits: AuditCommit[];
  changes: FileChange[];
}

/** Whether a path is a complaint file (not the folder's README or a placeholder). */
function isComplaintPath(path: string): boolean {
  return path.startsWith(`${COMPLAINTS_DIR}/`) && path.endsWith('.md') && !path.endsWith('/README.md');
}

interface RawChange {
  commit: AuditCommit;
  kind: ChangeKind;
  path: string;
  previousPath?: string;
  /** Blob of each parent that had the file. */
  beforeBlobs: string[];
  afterBlob?: string;
}

function logFormat(signatures: boolean): string {
  const fields = ['%H', '%P', '%an', '%ae', '%cI', signatures ? '%G?' : '', `%(trailers:key=${IMPORT_TRAILER},valueonly,separator=%x2C)`];
  return `${RECORD}${fields.join(FIELD)}${HEADER_END}`;
}

function parseHeader(header: string, signatures: boolean): AuditCommit {
  const [hash = '', parents = '', name = '', email = '', committedAt = '', signature = '', trailer = ''] = header.split(FIELD);
  const status = SIGNATURE_STATUSES.find((candidate) => candidate === signature.trim());
  return {
    hash,
    parents: parents.split(' ').filter(Boolean),
    author: { name, email },
    committedAt,
    ...(signatures ? { signature: status ?? 'N' } : {}),
    import: trailer.split(',').some((value) => value.trim().toLowerCase() === 'true'),
  };
}

/** Parses the `--raw -z` entries of one commit: `:modes shas STATUS\0path\0[path\0]`, `::…` for merges. */
function parseRawEntries(commit: AuditCommit, text: string): RawChange[] {
  const tokens = text.split('\0');
  const changes: RawChange[] = [];
  let index = 0;
  while (index < tokens.length) {
    const meta = tokens[index]!.replace(/^\n+/, '');
    index += 1;
    if (!meta.startsWith(':')) continue;
    const colons = /^:+/.exec(meta)![0].length;
    const parts = meta.slice(colons).split(' ');
    const parentCount = colons;
    const shas = parts.slice(parentCount + 1, parentCount + 1 + parentCount + 1);
    const status = parts[parts.length - 1]!;
    const path = tokens[index++] ?? '';
    const letter = status[0]!;
    let previousPath: string | undefined;
    let newPath = path;
    if (colons === 1 && (letter === 'R' || letter === 'C')) {
      previousPath = path;
      newPath = tokens[index++] ?? '';
    }
    const beforeBlobs = shas.slice(0, parentCount).filter((sha) => !NULL_SHA.test(sha));
    const afterSha = shas[parentCount]!;
    const afterBlob = NULL_SHA.test(afterSha) ? undefined : afterSha;
    if (!isComplaintPath(newPath) && !(previousPath && isComplaintPath(previousPath))) continue;
    // The log is not limited to the archive's folder (a path limit makes git several times slower), so
    // a file renamed into or out of it is read as a path limit would show it: added, or deleted.
    if (previousPath && letter === 'R' && isComplaintPath(previousPath) !== isComplaintPath(newPath)) {
      if (isComplaintPath(newPath)) {
        changes.push({ commit, kind: 'added', path: newPath, beforeBlobs: [], ...(afterBlob ? { afterBlob } : {}) });
      } else {
        changes.push({ commit, kind: 'deleted', path: previousPath, beforeBlobs });
      }
      continue;
    }
    let kind: ChangeKind;
    if (!afterBlob) kind = 'deleted';
    else if (beforeBlobs.length === 0) kind = 'added';
    else if (letter === 'R') kind = 'renamed';
    else kind = 'modified';
    if (letter === 'C') kind = 'added';
    changes.push({ commit, kind, path: newPath, ...(previousPath && letter === 'R' ? { previousPath } : {}), beforeBlobs: letter === 'C' ? [] : beforeBlobs, ...(afterBlob ? { afterBlob } : {}) });
  }
  return changes;
}

/** Splits `git cat-file --batch` output into objects by id. */
function parseBatch(output: Buffer): Map<string, { type: string; content: Buffer }> {
  const objects = new Map<string, { type: string; content: Buffer }>();
  let offset = 0;
  while (offset < output.length) {
    const lineEnd = output.indexOf(0x0a, offset);
    if (lineEnd === -1) break;
    const header = output.subarray(offset, lineEnd).toString('utf8');
    const [sha = '', type = '', size] = header.split(' ');
    offset = lineEnd + 1;
    if (type === 'missing' || size === undefined) continue;
    const length = Number(size);
    objects.set(sha, { type, content: output.subarray(offset, offset + length) });
    offset += length + 1; // the content is followed by a newline
  }
  return objects;
}

/** Reads one blob as a complaint version: its front matter fields, and the complaint when its events can be replayed. */
export function readVersion(path: string, text: string): ComplaintVersion {
  let parsed;
  try {
    parsed = parseFrontmatter(text);
  } catch (cause) {
    if (cause instanceof FrontmatterError) return { path, readable: false };
    throw cause;
  }
  const fields = parsed.data !== null && typeof parsed.data === 'object' && !Array.isArray(parsed.data) ? (parsed.data as Record<string, unknown>) : undefined;
  const result = complaintSchema.safeParse(parsed.data);
  if (result.success) return { path, readable: true, ...(fields ? { fields } : {}), data: result.data, body: parsed.body };
  const salvaged = salvageComplaint(parsed.data);
  return {
    path,
    readable: false,
    ...(fields ? { fields } : {}),
    ...(salvaged?.eventsReadable ? { data: salvaged.data } : {}),
    body: parsed.body,
  };
}

/** Whether a raw commit object carries a signature header (git could not check it here). */
function hasSignatureHeader(commitObject: Buffer): boolean {
  const headerEnd = commitObject.indexOf('\n\n');
  const header = commitObject.subarray(0, headerEnd === -1 ? commitObject.length : headerEnd).toString('utf8');
  return /^gpgsig(?:-sha256)? /m.test(header);
}

/**
 * The history of the complaint files under `root`, oldest first (parents before children): the commits
 * that touched them and every change with the versions before and after. Two git processes in all.
 */
export async function readComplaintHistory(root: string, options: HistoryOptions = {}): Promise<ComplaintHistory> {
  const signatures = options.signatures === true;
  const args = [
    '-c', 'log.showSignature=false',
    '-c', 'core.quotePath=false',
    'log', '--reverse', '--topo-order', '--full-history', '--find-renames', '--raw', '--no-abbrev', '-z', '--diff-merges=c', '--no-color', '--no-ext-diff',
    `--format=${logFormat(signatures)}`,
    ...(options.since ? [`--since=${options.since}`] : []),
    // Every complaint file lies under COMPLAINTS_DIR and the entries are filtered by path below; a
    // pathspec here would make git simplify history per path (10,000 complaints × 5 versions: 12 s
    // instead of 5 s).
    ...(options.pathspec ? ['--', options.pathspec] : []),
  ];
  const log = await runGit(root, args, { env: options.env });
  if (log.code !== 0) {
    if (/not a git repository/i.test(log.stderr)) throw new NotAGitRepositoryError(root);
    if (/does not have any commits yet|unknown revision|bad default revision/i.test(log.stderr)) return { commits: [], changes: [] };
    throw new GitHistoryError('log', log.stderr);
  }

  const commits: AuditCommit[] = [];
  const rawChanges: RawChange[] = [];
  for (const record of log.stdout.toString('utf8').split(RECORD)) {
    const headerEnd = record.indexOf(HEADER_END);
    if (headerEnd === -1) continue;
    const commit = parseHeader(record.slice(0, headerEnd), signatures);
    const changes = parseRawEntries(commit, record.slice(headerEnd + 1));
    if (changes.length === 0) continue;
    commits.push(commit);
    rawChanges.push(...changes);
  }

  // git reports "N" for a signature it cannot check without keys; the commit object tells whether one is there.
  const unverified = signatures ? commits.filter((commit) => commit.signature === 'N').map((commit) => commit.hash) : [];
  const blobs = new Set(rawChanges.flatMap((change) => [...change.beforeBlobs, ...(change.afterBlob ? [change.afterBlob] : [])]));
  const wanted = [...blobs, ...unverified];
  const objects = new Map<string, { type: string; content: Buffer }>();
  if (wanted.length > 0) {
    const batch = await runGit(root, ['cat-file', '--batch'], { env: options.env, input: `${wanted.join('\n')}\n` });
    if (batch.code !== 0) throw new GitHistoryError('cat-file --batch', batch.stderr);
    for (const [sha, object] of parseBatch(batch.stdout)) objects.set(sha, object);
  }
  for (const commit of commits) {
    const object = commit.signature === 'N' ? objects.get(commit.hash) : undefined;
    if (object && hasSignatureHeader(object.content)) commit.signature = 'E' satisfies SignatureStatus;
  }

  const versions = new Map<string, ComplaintVersion>();
  const versionOf = (sha: string, path: string): ComplaintVersion => {
    const key = `${sha}:${path}`;
    let version = versions.get(key);
    if (!version) {
      const object = objects.get(sha);
      version = object ? readVersion(path, object.content.toString('utf8')) : { path, readable: false };
      versions.set(key, version);
    }
    return version;
  };
  const changes = rawChanges.map((change): FileChange => {
    const beforePath = change.previousPath ?? change.path;
    return {
      commit: change.commit,
      kind: change.kind,
      path: change.path,
      ...(change.previousPath ? { previousPath: change.previousPath } : {}),
      before: change.beforeBlobs.map((sha) => versionOf(sha, beforePath)),
      ...(change.afterBlob ? { after: versionOf(change.afterBlob, change.path) } : {}),
    };
  });
  return { commits, changes };
}
