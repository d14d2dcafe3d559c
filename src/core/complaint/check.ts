import type { Org } from '../org/schema.ts';
import { describe, type FieldProblem } from '../problems.ts';
import { findPersonalData, PERSONAL_DATA_LABELS, PERSONAL_DATA_NAMES, type PersonalDataFinding } from '../pii.ts';
import { complaintPath, receivedMonth } from './paths.ts';
import { recipientsFor } from '../org/recipients.ts';
import { AGE_ARMOR_FOOTER, AGE_ARMOR_HEADER, complaintSchema, isAgeEnvelope, eventSchema, type ComplaintData } from './schema.ts';
import { checkRecord, NO_REPEAT_DAYS, stateOf } from './states.ts';

type Path = readonly (string | number)[];

function problem(path: (string | number)[], message: string, note?: string): FieldProblem {
  return { path, message: describe(path, message, note) };
}

/** Every string in a value with its path, for scanning. */
function* strings(value: unknown, path: (string | number)[] = []): Generator<[(string | number)[], string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [index, item] of value.entries()) yield* strings(item, [...path, index]);
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) yield* strings(item, [...path, key]);
}

function personalDataMessage(finding: PersonalDataFinding, where: 'field' | 'body' | 'comment' | 'file'): string {
  const what = `plaintext ${PERSONAL_DATA_NAMES[finding.kind]} ${finding.masked}`;
  if (where === 'comment') return `${what} in a YAML comment: remove it（文件头注释：明文${PERSONAL_DATA_LABELS[finding.kind]}）`;
  if (where === 'body') return `complaint text: ${what}: remove it, or move it into the encrypted contact（投诉内容：明文${PERSONAL_DATA_LABELS[finding.kind]}）`;
  if (where === 'file') return `${what} in the front matter: remove it, or move it into the encrypted contact（文件头：明文${PERSONAL_DATA_LABELS[finding.kind]}）`;
  return `${what}: remove it, or move it into the encrypted contact`;
}

/**
 * Plaintext personal data in front matter values or the body: a leak, whatever field it sits in.
 * For text that is not a file (an issue form, a draft); `findPersonalDataInFile` also gives lines.
 */
export function checkPersonalData(data: unknown, body: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [path, text] of strings(data)) {
    if (path[0] === 'contact') continue; // the age envelope is ciphertext
    for (const finding of findPersonalData(text)) problems.push(problem(path, personalDataMessage(finding, 'field'), `明文${PERSONAL_DATA_LABELS[finding.kind]}`));
  }
  for (const finding of findPersonalData(body)) problems.push({ path: ['body'], message: personalDataMessage(finding, 'body') });
  return problems;
}

/** A complaint file as the personal-data scan sees it: its whole text and, when readable, its structure. */
export interface ScannableFile {
  text: string;
  /** Offset at which the body starts; undefined when the front matter could not be read. */
  bodyOffset?: number;
  /** The front matter field whose text covers an offset of `text`. */
  fieldAt?(offset: number): Path | undefined;
  /** Whether an offset of `text` is in a YAML comment. */
  inComment?(offset: number): boolean;
  /** The parsed front matter, to find numbers written with YAML escapes or line folding. */
  data?: unknown;
  lineOf?(path: Path): number;
}

function isRecordValue(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * What identifies a finding across forms, so one value found twice (raw and parsed) is reported once:
 * the digits of a number (a mobile number without its +86), the lowered text of anything else.
 */
function findingKey(kind: string, text: string, finding: PersonalDataFinding): string {
  const value = text.slice(finding.index, finding.index + finding.length).normalize('NFKC');
  if (kind === 'email' || kind === 'name') return `${kind}:${value.toLowerCase().replace(/\s/g, '')}`;
  const digits = value.replace(/[^0-9Xx]/g, '');
  return `${kind}:${kind === 'mobile' ? digits.slice(-11) : digits.toUpperCase()}`;
}

/** A time as the schema writes it; nothing of that shape can be personal data. */
const INSTANT_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Personal data in a file's text, leaving out the lines of the contact's age envelope when the file
 * has exactly one (its base64 is ciphertext, and a quarter of a typical file). With a second armor
 * header anywhere, everything is scanned.
 */
function scanOutsideEnvelope(text: string, contactIsEnvelope: boolean): PersonalDataFinding[] {
  const start = contactIsEnvelope ? text.indexOf(AGE_ARMOR_HEADER) : -1;
  const end = start === -1 ? -1 : text.indexOf(AGE_ARMOR_FOOTER, start);
  if (start === -1 || end === -1 || text.indexOf(AGE_ARMOR_HEADER, start + 1) !== -1) return findPersonalData(text);
  const after = end + AGE_ARMOR_FOOTER.length;
  const tail = findPersonalData(text.slice(after)).map((finding) => ({ ...finding, index: finding.index + after }));
  return [...findPersonalData(text.slice(0, start)), ...tail];
}

/**
 * Plaintext personal data anywhere in a complaint file (SPEC §3: never stored in plaintext): in front
 * matter values and comments, and in the body, each at its real file line. The contact envelope is
 * ciphertext and skipped. Numbers hidden from a line-by-line reading (YAML escapes, folded lines)
 * are found in the parsed values and reported at their field's line.
 */
export function findPersonalDataInFile(file: ScannableFile): { line: number; message: string }[] {
  const lineStarts = [0];
  for (let index = file.text.indexOf('\n'); index !== -1; index = file.text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  const lineAt = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
  const found = new Set<string>();
  const results: { line: number; message: string }[] = [];
  // Only a real age envelope is ciphertext; a contact written in plaintext is a leak like any other.
  const contact = isRecordValue(file.data) ? file.data.contact : undefined;
  const contactIsEnvelope = typeof contact === 'string' && isAgeEnvelope(contact);
  for (const finding of scanOutsideEnvelope(file.text, contactIsEnvelope)) {
    const inBody = file.bodyOffset !== undefined && finding.index >= file.bodyOffset;
    const inComment = !inBody && file.inComment?.(finding.index) === true;
    const path = inBody || inComment ? undefined : file.fieldAt?.(finding.index);
    if (path?.[0] === 'contact' && contactIsEnvelope) continue;
    found.add(findingKey(finding.kind, file.text, finding));
    const message = inBody
      ? personalDataMessage(finding, 'body')
      : inComment
        ? personalDataMessage(finding, 'comment')
        : path
          ? describe(path, personalDataMessage(finding, 'field'), `明文${PERSONAL_DATA_LABELS[finding.kind]}`)
          : personalDataMessage(finding, 'file');
    results.push({ line: lineAt(finding.index), message });
  }
  if (file.data !== undefined && file.lineOf) {
    for (const [path, text] of strings(file.data)) {
      if ((path[0] === 'contact' && contactIsEnvelope) || INSTANT_FORM.test(text)) continue;
      for (const finding of findPersonalData(text)) {
        const key = findingKey(finding.kind, text, finding);
        if (found.has(key)) continue;
        found.add(key);
        results.push({
          line: file.lineOf(path),
          message: describe(path, `${personalDataMessage(finding, 'field')} (written with YAML escapes or folding)`, `明文${PERSONAL_DATA_LABELS[finding.kind]}`),
        });
      }
    }
  }
  return results.sort((a, b) => a.line - b.line);
}

/** The keys org.yaml declares, gathered once per organisation rather than once per complaint. */
const orgKeys = new WeakMap<Org, { categories: Set<string>; projects: Set<string>; departments: Set<string> }>();
function keysOf(org: Org) {
  let keys = orgKeys.get(org);
  if (!keys) {
    keys = {
      categories: new Set(org.categories.map((category) => category.key)),
      projects: new Set(org.projects.map((project) => project.key)),
      departments: new Set(org.departments.map((department) => department.key)),
    };
    orgKeys.set(org, keys);
  }
  return keys;
}

/** That the category, project and departments a complaint names exist in org.yaml. */
export function checkReferences(data: ComplaintData, org: Org): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { categories, projects, departments } = keysOf(org);
  const known = (set: Set<string>) => [...set].map((item) => `"${item}"`).join(', ');
  if (!categories.has(data.category)) problems.push(problem(['category'], `unknown category "${data.category}" (org.yaml has ${known(categories)})`));
  if (data.reported_category && !categories.has(data.reported_category))
    problems.push(problem(['reported_category'], `unknown category "${data.reported_category}" (org.yaml has ${known(categories)})`));
  if (!projects.has(data.project)) problems.push(problem(['project'], `unknown project "${data.project}" (org.yaml has ${known(projects)})`));
  if (data.department && !departments.has(data.department))
    problems.push(problem(['department'], `unknown department "${data.department}" (org.yaml has ${known(departments)})`));
  data.events.forEach((event, index) => {
    if (event.department && !departments.has(event.department))
      problems.push(problem(['events', index, 'department'], `unknown department "${event.department}" (org.yaml has ${known(departments)})`));
  });
  if (data.contact && recipientsFor(org, Number(receivedMonth(data.received_at, org.timezone).year)).length === 0)
    problems.push(problem(['contact'], 'contact data is present but org.yaml lists no recipients for its year of receipt who could read it'));
  return problems;
}

/**
 * Everything that can be checked on one complaint with the organisation at hand: the record for its
 * state, and that its category, project and department exist in org.yaml.
 */
export function checkComplaint(data: ComplaintData, org: Org): FieldProblem[] {
  return [...checkRecord(data), ...checkReferences(data, org)];
}

/** What could be read of a file whose front matter fails the schema. */
export interface SalvagedComplaint {
  /** The front matter with unknown fields stripped and broken fields dropped or replaced by stand-ins. */
  data: ComplaintData;
  /** Paths of the fields that were dropped or replaced: problems about them are the schema's. */
  setAside: Path[];
  /** False when an event itself is unreadable, so the state cannot be replayed. */
  eventsReadable: boolean;
}

/** Stand-ins for required fields that do not parse; every problem about them is set aside. */
const STAND_INS: Record<string, unknown> = {
  id: '0000-0000',
  title: '-',
  channel: 'other',
  received_by: 'unknown',
  project: 'unknown',
  category: 'unknown',
};

/** Takes the place of an unreadable event; the state is not replayed when one is needed. */
const STAND_IN_EVENT = { at: '1970-01-01T00:00:00Z', type: 'escalated', by: 'unknown' } as const;

/** Checks that read a field besides the field itself, and so are set aside with it. */
const ALSO_SET_ASIDE: Record<string, Path[]> = {
  visit: [['closure', 'basis']],
  anonymous: [['no_visit', 'reason']],
  department: [['events', '*', 'department']],
};

/** Rounds of repair before giving up; each round fixes every issue zod reported. */
const MAX_SALVAGE_ROUNDS = 4;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A copy without one key, made with defineProperty semantics so `__proto__` stays an ordinary key. */
function without(value: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([name]) => name !== key));
}

function isOptional(schema: { safeParse(value: unknown): { success: boolean } } | undefined): boolean {
  return schema !== undefined && schema.safeParse(undefined).success;
}

/**
 * Reads as much of a complaint as the schema allows, so that one unknown field or one bad value does
 * not hide the other problems of the file (an illegal transition, a missing reply): unknown fields are
 * stripped, broken optional fields dropped, broken required fields replaced by stand-ins, and events
 * that do not parse dropped (then the state is not replayed). Returns undefined when the front matter
 * is not a mapping at all.
 */
export function salvageComplaint(raw: unknown): SalvagedComplaint | undefined {
  if (!isRecord(raw)) return undefined;
  let candidate: Record<string, unknown> = { ...raw };
  const setAside: Path[] = [];
  let eventsReadable = true;
  const shape = complaintSchema.shape as Record<string, { safeParse(value: unknown): { success: boolean } }>;
  const eventShape = eventSchema.shape as Record<string, { safeParse(value: unknown): { success: boolean } }>;
  for (let round = 0; round < MAX_SALVAGE_ROUNDS; round += 1) {
    const result = complaintSchema.safeParse(candidate);
    if (result.success) return { data: result.data, setAside, eventsReadable };
    for (const issue of result.error.issues) {
      const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
      const [field, index, eventField] = path;
      if (issue.code === 'unrecognized_keys' && path.length === 0) {
        for (const key of issue.keys) candidate = without(candidate, key);
        continue;
      }
      if (typeof field !== 'string') return undefined;
      if (field === 'events') {
        const events = candidate.events;
        if (Array.isArray(events) && typeof index === 'number' && isRecord(events[index])) {
          const event = events[index] as Record<string, unknown>;
          if (issue.code === 'unrecognized_keys' && path.length === 2) {
            let cleaned = event;
            for (const key of issue.keys) cleaned = without(cleaned, key);
            candidate.events = events.map((item, position) => (position === index ? cleaned : item));
            continue;
          }
          if (typeof eventField === 'string' && isOptional(eventShape[eventField])) {
            candidate.events = events.map((item, position) => (position === index ? without(event, eventField) : item));
            setAside.push(['events', index, eventField]);
            continue;
          }
        }
        // An event's at/type/by is unreadable: the state cannot be replayed. The event is replaced by a
        // stand-in in its place, so the other events keep their index for the reference checks.
        eventsReadable = false;
        if (Array.isArray(events) && events.length > 0 && typeof index === 'number') {
          candidate.events = events.map((item, position) => (position === index ? STAND_IN_EVENT : item));
          setAside.push(['events', index]);
        } else {
          candidate.events = [STAND_IN_EVENT];
          setAside.push(['events']);
        }
        continue;
      }
      if (issue.code === 'unrecognized_keys' && isRecord(candidate[field])) {
        // Unknown keys inside a nested record (reply, visit, closure, source, severity, no_visit).
        let cleaned = candidate[field] as Record<string, unknown>;
        for (const key of issue.keys) cleaned = without(cleaned, key);
        candidate[field] = cleaned;
        continue;
      }
      if (isOptional(shape[field])) {
        candidate = without(candidate, field);
      } else if (field === 'received_at') {
        const first = Array.isArray(candidate.events) ? candidate.events[0] : undefined;
        const at = isRecord(first) ? first.at : undefined;
        candidate.received_at = typeof at === 'string' && complaintSchema.shape.received_at.safeParse(at).success ? at : '1970-01-01T00:00:00Z';
      } else if (Object.hasOwn(STAND_INS, field)) {
        candidate[field] = STAND_INS[field];
      } else {
        return undefined;
      }
      setAside.push([field]);
    }
  }
  return undefined;
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => segment === '*' || segment === path[index]);
}

/**
 * The deeper problems of a salvaged complaint that are not consequences of what was set aside: the
 * record checks (when its events are readable) and the references to org.yaml.
 */
export function checkSalvaged(salvaged: SalvagedComplaint, org: Org | undefined): FieldProblem[] {
  const problems = [...(salvaged.eventsReadable ? checkRecord(salvaged.data) : []), ...(org ? checkReferences(salvaged.data, org) : [])];
  const prefixes = salvaged.setAside.flatMap((path) => [path, ...(path.length === 1 ? (ALSO_SET_ASIDE[path[0] as string] ?? []) : [])]);
  return problems.filter((item) => !prefixes.some((prefix) => startsWith(item.path, prefix)));
}

export interface ArchiveEntry {
  path: string;
  data: ComplaintData;
  /** Fields of a salvaged file that were dropped or replaced (see `salvageComplaint`). */
  setAside?: readonly Path[];
}

/** A problem that belongs to one file of the archive. */
export interface ArchiveProblem extends FieldProblem {
  file: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * What only the whole archive can tell: duplicate IDs, files whose path does not match their id and
 * month of receipt (in the organisation's time zone), links (`duplicate_of`, `repeat_of`, `related`)
 * to complaints that do not exist, and a closure "without a repeat for 7 days" that a repeat
 * complaint within those 7 days contradicts (001 §4.2.2⑦).
 */
export function checkArchive(entries: readonly ArchiveEntry[], org: Pick<Org, 'timezone'> | undefined): ArchiveProblem[] {
  const problems: ArchiveProblem[] = [];
  const isSetAside = (entry: ArchiveEntry, field: string) => entry.setAside?.some((path) => path[0] === field) ?? false;
  const usable = entries.filter((entry) => !isSetAside(entry, 'id'));
  const byId = new Map<string, ArchiveEntry[]>();
  for (const entry of usable) byId.set(entry.data.id, [...(byId.get(entry.data.id) ?? []), entry]);
  for (const entry of usable) {
    const { data, path } = entry;
    const add = (fieldPath: (string | number)[], message: string) => problems.push({ file: path, ...problem(fieldPath, message) });
    const sameId = byId.get(data.id) ?? [];
    if (sameId.length > 1)
      add(['id'], `duplicate id "${data.id}", also used by ${sameId.filter((other) => other !== entry).map((other) => other.path).join(', ')}`);
    if (org && !isSetAside(entry, 'received_at')) {
      const expected = complaintPath(data.id, data.received_at, org.timezone);
      if (path !== expected) add(['id'], `the file's path does not match its id and month of receipt (${org.timezone}): expected ${expected}`);
      const idYear = data.id.slice(0, 4);
      if (!expected.includes(`/${idYear}/`)) add(['id'], `the id's year ${idYear} is not the year of receipt (${data.received_at})`);
    }
    for (const field of ['duplicate_of', 'repeat_of'] as const) {
      const target = data[field];
      if (target && !byId.has(target)) add([field], `links to complaint "${target}", which does not exist`);
    }
    data.related.forEach((target, index) => {
      if (!byId.has(target)) add(['related', index], `links to complaint "${target}", which does not exist`);
    });
  }
  for (const repeat of usable) {
    const target = repeat.data.repeat_of ? byId.get(repeat.data.repeat_of) : undefined;
    if (!target || target.length !== 1) continue;
    const original = target[0]!;
    if (original.data.closure?.basis !== 'no_repeat_7d' || stateOf(original.data) !== 'closed') continue;
    const repliedAt = original.data.events.findLast((event) => event.type === 'replied')?.at ?? original.data.reply?.at;
    if (!repliedAt) continue;
    const sinceReply = Date.parse(repeat.data.received_at) - Date.parse(repliedAt);
    if (sinceReply >= 0 && sinceReply < NO_REPEAT_DAYS * DAY_MS)
      problems.push({
        file: original.path,
        ...problem(
          ['closure', 'basis'],
          `closed as "no_repeat_7d" but ${repeat.data.id} repeated it ${Math.floor(sinceReply / DAY_MS)} days after the reply (001 §4.2.2⑦)`,
        ),
      });
  }
  return problems;
}
