import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseDocument, LineCounter } from 'yaml';
import type { z } from 'zod';
import { orgFileSchema, orgSchema, type Org } from '../core/org/schema.ts';
import { ORG_FIELD_LABELS } from '../core/complaint/labels.ts';
import { complaintSchema, type Complaint, type ComplaintData } from '../core/complaint/schema.ts';
import { COMPLAINTS_DIR } from '../core/complaint/paths.ts';
import {
  checkArchive,
  checkComplaint,
  checkSalvaged,
  findPersonalDataInFile,
  salvageComplaint,
  type ArchiveEntry,
  type SalvagedComplaint,
} from '../core/complaint/check.ts';
import { problemsFromZod, type FieldProblem, type Problem } from '../core/problems.ts';
import { openParseCache } from '../git/parse-cache.ts';
import {
  describeYamlError,
  errorOffset,
  FrontmatterError,
  parseFrontmatter,
  serializeFrontmatter,
  yamlLineFinder,
  YAML_PARSE_OPTIONS,
  type ParsedFile,
} from './frontmatter.ts';

export const ORG_FILE = 'content/org.yaml';

/** Raised when content/org.yaml is missing or invalid: nothing else can be checked without it. */
export class OrgFileError extends Error {
  override readonly name = 'OrgFileError';
  readonly problems: Problem[];
  constructor(problems: Problem[]) {
    super(`${ORG_FILE} is invalid:\n${problems.map((problem) => `${problem.file}:${problem.line ?? 1}: ${problem.message}`).join('\n')}`);
    this.problems = problems;
  }
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Index of the first byte that is not part of well-formed UTF-8 (RFC 3629), or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    let continuation = 0;
    let low = 0x80;
    let high = 0xbf;
    if (lead < 0x80) {
      index += 1;
      continue;
    } else if (lead >= 0xc2 && lead <= 0xdf) continuation = 1;
    else if (lead === 0xe0) [continuation, low] = [2, 0xa0];
    else if (lead === 0xed) [continuation, high] = [2, 0x9f];
    else if (lead >= 0xe1 && lead <= 0xef) continuation = 2;
    else if (lead === 0xf0) [continuation, low] = [3, 0x90];
    else if (lead === 0xf4) [continuation, high] = [3, 0x8f];
    else if (lead >= 0xf1 && lead <= 0xf3) continuation = 3;
    else return index;
    for (let offset = 1; offset <= continuation; offset += 1) {
      const byte = bytes[index + offset];
      const [min, max] = offset === 1 ? [low, high] : [0x80, 0xbf];
      if (byte === undefined || byte < min || byte > max) return index;
    }
    index += continuation + 1;
  }
  return -1;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index += 1) if (bytes[index] === 0x0a) line += 1;
  return line;
}

/**
 * Turns a file's bytes into text, reporting what would make the text untrustworthy: NUL bytes (a
 * binary file), bytes that are not UTF-8 (a file saved as GBK), and a byte order mark (reported, then
 * stripped so the rest of the file is still checked).
 */
export function decodeText(file: string, bytes: Uint8Array): { text?: string; problems: Problem[] } {
  if (bytes[0] !== UTF8_BOM[0] && bytes.indexOf(0) === -1) {
    // The usual case, decoded by the platform; a failure is explained byte by byte below.
    try {
      return { text: STRICT_UTF8.decode(bytes), problems: [] };
    } catch {
      // not UTF-8: reported below with its line
    }
  }
  const problems: Problem[] = [];
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return {
      problems: [{ file, line: lineOfByte(bytes, nul), message: 'the file is binary (it contains NUL bytes), not UTF-8 Markdown text（不是文本文件）' }],
    };
  }
  const invalid = firstInvalidUtf8(bytes);
  if (invalid !== -1) {
    const byte = bytes[invalid]!.toString(16).toUpperCase().padStart(2, '0');
    return {
      problems: [
        {
          file,
          line: lineOfByte(bytes, invalid),
          message: `the file is not UTF-8 text (byte 0x${byte} cannot start or continue a character; saved as GBK?); save it as UTF-8（文件编码不是 UTF-8）`,
        },
      ],
    };
  }
  let start = 0;
  if (UTF8_BOM.every((byte, index) => bytes[index] === byte)) {
    problems.push({ file, line: 1, message: 'the file starts with a byte order mark (BOM); save it as UTF-8 without BOM（文件带有 BOM 标记）' });
    start = UTF8_BOM.length;
  }
  return { text: new TextDecoder('utf-8').decode(bytes.subarray(start)), problems };
}

/** Parses the text of org.yaml; problems carry lines. */
export function parseOrg(text: string): { org?: Org; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { ...YAML_PARSE_OPTIONS, lineCounter });
  const line = (offset: number) => lineCounter.linePos(offset).line;
  const yamlProblems = [...document.errors, ...document.warnings].map((error) => ({
    file: ORG_FILE,
    line: line(errorOffset(error, text)),
    message: describeYamlError(error, text),
  }));
  if (yamlProblems.length > 0) return { problems: yamlProblems.sort((a, b) => a.line - b.line) };
  if (document.contents === null) return { problems: [{ file: ORG_FILE, line: 1, message: `${ORG_FILE} is empty; run "complaints init" to write one（组织配置文件为空）` }] };
  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: YAML_PARSE_OPTIONS.maxAliasCount });
  } catch (cause) {
    const message = /alias/i.test((cause as Error).message)
      ? 'YAML aliases expand too far (a "billion laughs" file?); org.yaml needs no anchors or aliases（YAML 别名展开过多，已拒绝读取）'
      : `unreadable YAML: ${(cause as Error).message.split('\n')[0]}（YAML 无法读取）`;
    return { problems: [{ file: ORG_FILE, line: 1, message }] };
  }
  const result = orgSchema.safeParse(raw, { reportInput: true });
  if (result.success) return { org: result.data, problems: [] };
  const lineOf = yamlLineFinder(document, line);
  const fieldProblems = problemsFromZod(result.error, orgSchema, ORG_FIELD_LABELS);
  fieldProblems.push(...crossFieldOrgProblems(raw, result.error).filter((extra) => !fieldProblems.some((problem) => problem.message === extra.message)));
  return {
    problems: fieldProblems.map((problem) => ({ file: ORG_FILE, line: lineOf(problem.path), message: problem.message })).sort((a, b) => a.line - b.line),
  };
}

/**
 * The checks across org.yaml's sections (duplicate keys, departments naming unknown categories) run
 * only once every field parses. So that one bad recipient does not hide them, the file is parsed again
 * with unknown fields stripped and broken optional sections left out; when a required section is
 * broken there is nothing sound to check them on.
 */
function crossFieldOrgProblems(raw: unknown, error: z.ZodError): FieldProblem[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [];
  let repaired: unknown = raw;
  const setAside: string[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      repaired = withoutKeys(repaired, path, issue.keys);
      continue;
    }
    const field = path[0];
    const shape = orgFileSchema.shape as Record<string, z.ZodType>;
    if (typeof field !== 'string' || !Object.hasOwn(shape, field) || !shape[field]!.safeParse(undefined).success) return [];
    repaired = withoutKeys(repaired, [], [field]);
    setAside.push(field);
  }
  const second = orgSchema.safeParse(repaired, { reportInput: true });
  if (second.success) return [];
  return problemsFromZod(second.error, orgSchema, ORG_FIELD_LABELS).filter((problem) => !setAside.includes(String(problem.path[0])));
}

/** A copy of `value` with `keys` removed from the object at `path`. */
function withoutKeys(value: unknown, path: readonly (string | number)[], keys: readonly string[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (path.length === 0) {
    if (Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));
  }
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((item, index) => (index === head ? withoutKeys(item, rest, keys) : item));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === head ? withoutKeys(item, rest, keys) : item]));
}

async function readOrgFile(root: string): Promise<{ org?: Org; problems: Problem[] }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(join(root, ORG_FILE));
  } catch {
    return { problems: [{ file: ORG_FILE, message: `cannot read ${ORG_FILE}; run "complaints init" first（找不到组织配置文件）` }] };
  }
  const decoded = decodeText(ORG_FILE, bytes);
  if (decoded.text === undefined) return { problems: decoded.problems };
  const parsed = parseOrg(decoded.text);
  return { org: decoded.problems.length > 0 ? undefined : parsed.org, problems: [...decoded.problems, ...parsed.problems] };
}

/** Reads and validates content/org.yaml under `root`. */
export async function readOrg(root: string): Promise<Org> {
  const { org, problems } = await readOrgFile(root);
  if (!org) throw new OrgFileError(problems);
  return org;
}

/** All complaint files under content/complaints, as paths relative to root with forward slashes. */
export async function listComplaintFiles(root: string): Promise<string[]> {
  return (await listArchiveFiles(root)).files.filter((name) => name.endsWith('.md'));
}

/**
 * Every file under content/complaints (not folders), relative to root with forward slashes, sorted.
 * Symbolic links are listed too (and named in `links`), so that validate can refuse them: they could
 * point outside the archive.
 */
async function listArchiveFiles(root: string, options: { withLinks?: boolean } = {}): Promise<{ files: string[]; links: Set<string> }> {
  const directory = join(root, COMPLAINTS_DIR);
  let entries;
  try {
    entries = await readdir(directory, { recursive: true, withFileTypes: true });
  } catch {
    return { files: [], links: new Set() };
  }
  const links = new Set<string>();
  const files: string[] = [];
  for (const entry of entries) {
    const link = options.withLinks === true && entry.isSymbolicLink();
    if (!entry.isFile() && !link) continue;
    const path = `${COMPLAINTS_DIR}/${relative(directory, join(entry.parentPath, entry.name)).split(sep).join('/')}`;
    files.push(path);
    if (link) links.add(path);
  }
  return { files: files.sort(), links };
}

/** Files that may sit among complaint files without being complaints. */
const IGNORED_FILE_NAMES = new Set(['.gitkeep', 'README.md']);

export interface ReadResult {
  complaint?: Complaint;
  problems: Problem[];
}

function toProblems(file: string, parsed: ParsedFile | undefined | (() => ParsedFile | undefined), problems: readonly FieldProblem[]): Problem[] {
  if (problems.length === 0) return [];
  const lines = typeof parsed === 'function' ? parsed() : parsed;
  return problems.map((problem) => ({
    file,
    line: problem.path[0] === 'body' || !lines ? undefined : lines.lineOf(problem.path),
    message: problem.message,
  }));
}

/** What reading one file gives, as the parse cache keeps it (no path: equal files share it). */
interface CachedFile {
  problems: { line?: number | undefined; message: string }[];
  complaint?: { data: ComplaintData; body: string } | undefined;
  salvaged?: SalvagedComplaint | undefined;
}

/** The front matter of a file served from the cache, parsed again only if a problem needs its lines. */
function lazyParse(root: string, file: string): () => ParsedFile | undefined {
  let parsed: ParsedFile | null | undefined;
  return () => {
    if (parsed === undefined) {
      try {
        parsed = parseFrontmatter(readFileSync(join(root, file), 'utf8'));
      } catch {
        parsed = null;
      }
    }
    return parsed ?? undefined;
  };
}

/**
 * Parses one complaint file's text: every front matter and schema problem and every plaintext
 * personal-data finding, with lines. Returns the complaint only when its front matter matches the
 * schema; otherwise what could be salvaged of it, so the deeper checks still run.
 */
export function parseComplaintFile(path: string, text: string): ReadResult & { parsed?: ParsedFile; salvaged?: SalvagedComplaint } {
  let parsed: ParsedFile;
  try {
    parsed = parseFrontmatter(text);
  } catch (cause) {
    if (!(cause instanceof FrontmatterError)) throw cause;
    const problems: Problem[] = cause.issues.map((issue) => ({ file: path, line: issue.line, message: issue.message }));
    // The file cannot be read as a complaint, but a phone number in it is still a leak.
    for (const finding of findPersonalDataInFile({ text })) problems.push({ file: path, ...finding });
    return { problems };
  }
  const problems: Problem[] = findPersonalDataInFile({
    text,
    bodyOffset: parsed.bodyOffset,
    fieldAt: parsed.fieldAt,
    inComment: parsed.inComment,
    data: parsed.data,
    lineOf: parsed.lineOf,
  }).map((finding) => ({ file: path, ...finding }));
  const result = complaintSchema.safeParse(parsed.data, { reportInput: true });
  if (result.success) return { complaint: { data: result.data, body: parsed.body, path }, problems, parsed };
  return {
    problems: [...toProblems(path, parsed, problemsFromZod(result.error, complaintSchema)), ...problems].sort(compareProblems),
    parsed,
    salvaged: salvageComplaint(parsed.data),
  };
}

/** Every problem of one file's bytes, from its encoding to its schema. */
export function readComplaintFile(path: string, bytes: Uint8Array): ReturnType<typeof parseComplaintFile> {
  const decoded = decodeText(path, bytes);
  if (decoded.text === undefined) return { problems: decoded.problems };
  const result = parseComplaintFile(path, decoded.text);
  return { ...result, problems: [...decoded.problems, ...result.problems] };
}

export interface LoadedArchive {
  org: Org;
  complaints: Complaint[];
  /** Every problem of every file, in file order. */
  problems: Problem[];
}

export interface ValidatedArchive {
  /** The organisation, when org.yaml is valid. */
  org?: Org;
  /** The complaints whose files are fully readable (they may still have record problems). */
  complaints: Complaint[];
  /** Every problem of org.yaml and of every file, by file and line. */
  problems: Problem[];
}

/** org.yaml first (everything else depends on it), then files by path, then by line. */
function compareProblems(a: Problem, b: Problem): number {
  if (a.file !== b.file) {
    if (a.file === ORG_FILE || b.file === ORG_FILE) return a.file === ORG_FILE ? -1 : 1;
    return a.file < b.file ? -1 : 1;
  }
  return (a.line ?? 0) - (b.line ?? 0);
}

/**
 * Checks org.yaml and every file under content/complaints: each file on its own (encoding, front
 * matter, schema, personal data, record), against the organisation (categories, projects,
 * departments) and against the rest of the archive (ids, paths, links). A broken org.yaml is
 * reported and the checks that do not need it still run.
 */
export async function validateArchive(
  root: string,
  options: { onProgress?: (done: number, total: number) => void; cache?: boolean } = {},
): Promise<ValidatedArchive> {
  const { org, problems } = await readOrgFile(root);
  const { files, links } = await listArchiveFiles(root, { withLinks: true });
  const cache = options.cache === false ? undefined : await openParseCache<CachedFile>(root, COMPLAINTS_DIR);
  const complaints: Complaint[] = [];
  const entries: ArchiveEntry[] = [];
  /** How to find lines in each file: kept from the parse, or parsed again for a file served from the cache. */
  const lineFinders = new Map<string, () => ParsedFile | undefined>();
  const handedOut = new Set<string>();
  let done = 0;
  for (const file of files) {
    const name = file.slice(file.lastIndexOf('/') + 1);
    if (IGNORED_FILE_NAMES.has(name)) continue;
    if (!file.endsWith('.md')) {
      problems.push({ file, message: `not a complaint file: complaint files are ${COMPLAINTS_DIR}/YYYY/MM/<id>.md（不是投诉文件）` });
      continue;
    }
    if (links.has(file)) {
      problems.push({ file, message: 'a symbolic link: complaint files must be regular files in the archive（不能是符号链接）' });
      continue;
    }
    let id = cache?.indexedId(file);
    let cached = id === undefined ? undefined : cache!.get(id);
    let parsed: ParsedFile | undefined;
    if (!cached) {
      let bytes: Uint8Array;
      try {
        // Read synchronously on purpose: one awaited read per file spends most of its time waiting for
        // the thread pool (10,000 files: 4.5 s awaited, 0.3 s synchronous).
        bytes = readFileSync(join(root, file));
      } catch (cause) {
        problems.push({ file, message: `cannot read the file (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})（文件无法读取）` });
        continue;
      }
      id = cache?.idOfBytes(bytes);
      cached = id === undefined ? undefined : cache!.get(id);
      if (!cached) {
        const result = readComplaintFile(file, bytes);
        parsed = result.parsed;
        cached = {
          problems: result.problems.map(({ line, message }) => ({ line, message })),
          complaint: result.complaint && { data: result.complaint.data, body: result.complaint.body },
          salvaged: result.salvaged,
        };
        if (id !== undefined) cache!.set(id, cached);
      }
    }
    // Two files with the same bytes share a cache entry: each gets its own copy.
    if (id !== undefined && handedOut.has(id)) cached = structuredClone(cached);
    if (id !== undefined) handedOut.add(id);
    const parsedOf = parsed ? () => parsed : lazyParse(root, file);
    lineFinders.set(file, parsedOf);
    problems.push(...cached.problems.map(({ line, message }) => (line === undefined ? { file, message } : { file, line, message })));
    if (cached.complaint) {
      const complaint: Complaint = { data: cached.complaint.data, body: cached.complaint.body, path: file };
      complaints.push(complaint);
      entries.push({ path: file, data: complaint.data });
      problems.push(...toProblems(file, parsedOf, org ? checkComplaint(complaint.data, org) : checkSalvaged({ data: complaint.data, setAside: [], eventsReadable: true }, undefined)));
    } else if (cached.salvaged) {
      entries.push({ path: file, data: cached.salvaged.data, setAside: cached.salvaged.setAside });
      problems.push(...toProblems(file, parsedOf, checkSalvaged(cached.salvaged, org)));
    }
    done += 1;
    options.onProgress?.(done, files.length);
  }
  await cache?.save();
  for (const problem of checkArchive(entries, org)) {
    problems.push({ file: problem.file, line: lineFinders.get(problem.file)?.()?.lineOf(problem.path), message: problem.message });
  }
  problems.sort(compareProblems);
  return { org, complaints, problems: problems.map(({ file, line, message }) => (line === undefined ? { file, message } : { file, line, message })) };
}

/**
 * Reads org.yaml and every complaint file under `root`, validating each file on its own, against
 * the organisation and against the rest of the archive. Throws `OrgFileError` when org.yaml is
 * missing or invalid; `complaints` holds the files that parse, `problems` everything found.
 */
export async function loadArchive(root: string, options: { onProgress?: (done: number, total: number) => void } = {}): Promise<LoadedArchive> {
  const archive = await validateArchive(root, options);
  if (!archive.org) throw new OrgFileError(archive.problems.filter((problem) => problem.file === ORG_FILE));
  return { org: archive.org, complaints: archive.complaints, problems: archive.problems };
}

/** The text of a complaint file: front matter in schema order, then the body. */
export function serializeComplaint(data: ComplaintData, body: string): string {
  return serializeFrontmatter(data, body, complaintSchema);
}

/**
 * Writes a file so that it is either fully there or not at all: a temporary file in the same folder,
 * then a rename over the target.
 */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, text, { encoding: 'utf8', flag: 'wx' });
    await rename(temporary, path);
  } catch (cause) {
    await rm(temporary, { force: true });
    throw cause;
  }
}

/** Writes one complaint to its path under `root`. */
export async function writeComplaint(root: string, complaint: Complaint): Promise<void> {
  await writeFileAtomically(join(root, complaint.path), serializeComplaint(complaint.data, complaint.body));
}

/** `relative` with forward slashes, for messages. */
export function displayPath(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}
