import { mkdir, readdir, readFile, rename, writeFile, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseDocument, LineCounter } from 'yaml';
import { orgSchema, type Org } from '../core/org/schema.ts';
import { complaintSchema, type Complaint, type ComplaintData } from '../core/complaint/schema.ts';
import { COMPLAINTS_DIR } from '../core/complaint/paths.ts';
import { checkArchive, checkComplaint, checkPersonalData } from '../core/complaint/check.ts';
import { problemsFromZod, type FieldProblem, type Problem } from '../core/problems.ts';
import { FrontmatterError, parseFrontmatter, serializeFrontmatter, YAML_PARSE_OPTIONS, type ParsedFile } from './frontmatter.ts';

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

/** Parses the text of org.yaml; problems carry lines. */
export function parseOrg(text: string): { org?: Org; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { ...YAML_PARSE_OPTIONS, lineCounter });
  if (document.errors.length > 0) {
    return {
      problems: document.errors.map((error) => ({
        file: ORG_FILE,
        line: lineCounter.linePos(error.pos[0]).line,
        message: `malformed YAML: ${error.message.split('\n')[0]}`,
      })),
    };
  }
  let raw: unknown;
  try {
    raw = document.toJS({ maxAliasCount: YAML_PARSE_OPTIONS.maxAliasCount });
  } catch (cause) {
    return { problems: [{ file: ORG_FILE, line: 1, message: `unreadable YAML: ${(cause as Error).message}` }] };
  }
  const result = orgSchema.safeParse(raw);
  if (result.success) return { org: result.data, problems: [] };
  return {
    problems: problemsFromZod(result.error).map((problem) => {
      let line = 1;
      for (let length = problem.path.length; length > 0; length -= 1) {
        const node = document.getIn(problem.path.slice(0, length), true) as { range?: [number, number, number] } | undefined;
        if (node?.range) {
          line = lineCounter.linePos(node.range[0]).line;
          break;
        }
      }
      return { file: ORG_FILE, line, message: problem.message };
    }),
  };
}

/** Reads and validates content/org.yaml under `root`. */
export async function readOrg(root: string): Promise<Org> {
  let text: string;
  try {
    text = await readFile(join(root, ORG_FILE), 'utf8');
  } catch {
    throw new OrgFileError([{ file: ORG_FILE, message: `cannot read ${ORG_FILE}; run "complaints init" first（找不到组织配置文件）` }]);
  }
  const { org, problems } = parseOrg(text);
  if (!org) throw new OrgFileError(problems);
  return org;
}

/** All complaint files under content/complaints, as paths relative to root with forward slashes. */
export async function listComplaintFiles(root: string): Promise<string[]> {
  const directory = join(root, COMPLAINTS_DIR);
  let names: string[];
  try {
    names = (await readdir(directory, { recursive: true })) as string[];
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.md'))
    .map((name) => `${COMPLAINTS_DIR}/${name.split(sep).join('/')}`)
    .sort();
}

export interface ReadResult {
  complaint?: Complaint;
  problems: Problem[];
}

function toProblems(file: string, parsed: ParsedFile | undefined, problems: readonly FieldProblem[]): Problem[] {
  return problems.map((problem) => ({
    file,
    line: problem.path[0] === 'body' || !parsed ? undefined : parsed.lineOf(problem.path),
    message: problem.message,
  }));
}

/**
 * Parses one complaint file's text: every schema problem and every plaintext personal-data finding,
 * with lines. Returns the complaint only when its front matter matches the schema.
 */
export function parseComplaintFile(path: string, text: string): ReadResult & { parsed?: ParsedFile } {
  let parsed: ParsedFile;
  try {
    parsed = parseFrontmatter(text);
  } catch (cause) {
    if (cause instanceof FrontmatterError) return { problems: [{ file: path, line: cause.line, message: cause.message }] };
    throw cause;
  }
  const problems = toProblems(path, parsed, checkPersonalData(parsed.data, parsed.body));
  const result = complaintSchema.safeParse(parsed.data);
  if (!result.success) return { problems: [...toProblems(path, parsed, problemsFromZod(result.error)), ...problems], parsed };
  return { complaint: { data: result.data, body: parsed.body, path }, problems, parsed };
}

export interface LoadedArchive {
  org: Org;
  complaints: Complaint[];
  /** Every problem of every file, in file order. */
  problems: Problem[];
}

/**
 * Reads org.yaml and every complaint file under `root`, validating each file on its own, against
 * the organisation and against the rest of the archive.
 */
export async function loadArchive(root: string, options: { onProgress?: (done: number, total: number) => void } = {}): Promise<LoadedArchive> {
  const org = await readOrg(root);
  const files = await listComplaintFiles(root);
  const complaints: Complaint[] = [];
  const problems: Problem[] = [];
  const lineFinders = new Map<string, ParsedFile>();
  let done = 0;
  for (const file of files) {
    const text = await readFile(join(root, file), 'utf8');
    const result = parseComplaintFile(file, text);
    problems.push(...result.problems);
    if (result.complaint) {
      complaints.push(result.complaint);
      if (result.parsed) lineFinders.set(file, result.parsed);
      problems.push(...toProblems(file, result.parsed, checkComplaint(result.complaint.data, org)));
    }
    done += 1;
    options.onProgress?.(done, files.length);
  }
  for (const problem of checkArchive(complaints, org)) {
    problems.push({ file: problem.file, line: lineFinders.get(problem.file)?.lineOf(problem.path), message: problem.message });
  }
  problems.sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : a.file < b.file ? -1 : 1));
  return { org, complaints, problems };
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
