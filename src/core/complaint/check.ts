import type { Org } from '../org/schema.ts';
import { describe, type FieldProblem } from '../problems.ts';
import { findPersonalData, PERSONAL_DATA_LABELS } from '../pii.ts';
import { complaintPath } from './paths.ts';
import type { ComplaintData } from './schema.ts';
import { checkRecord } from './states.ts';

function problem(path: (string | number)[], message: string): FieldProblem {
  return { path, message: describe(path, message) };
}

/** Every string in a value with its path, for scanning. */
function* strings(value: unknown, path: (string | number)[] = []): Generator<[(string | number)[], string]> {
  if (typeof value === 'string') yield [path, value];
  else if (Array.isArray(value)) for (const [index, item] of value.entries()) yield* strings(item, [...path, index]);
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) yield* strings(item, [...path, key]);
}

/** Plaintext personal data in front matter or body: a leak, whatever field it sits in. */
export function checkPersonalData(data: unknown, body: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const [path, text] of strings(data)) {
    if (path[0] === 'contact') continue; // the age envelope is ciphertext
    for (const finding of findPersonalData(text))
      problems.push(problem(path, `plaintext personal data: a ${finding.kind === 'mobile' ? 'mobile number' : 'resident ID number'} (${finding.masked}) must be removed or encrypted into contact（${PERSONAL_DATA_LABELS[finding.kind]}）`));
  }
  for (const finding of findPersonalData(body))
    problems.push(problem(['body'], `plaintext personal data in the complaint text: a ${finding.kind === 'mobile' ? 'mobile number' : 'resident ID number'} (${finding.masked})（${PERSONAL_DATA_LABELS[finding.kind]}）`));
  return problems;
}

/**
 * Everything that can be checked on one complaint with the organisation at hand: the record for its
 * state, and that its category, project and department exist in org.yaml.
 */
export function checkComplaint(data: ComplaintData, org: Org): FieldProblem[] {
  const problems = checkRecord(data);
  const categories = new Set(org.categories.map((category) => category.key));
  const projects = new Set(org.projects.map((project) => project.key));
  const departments = new Set(org.departments.map((department) => department.key));
  const known = (set: Set<string>) => [...set].map((item) => `"${item}"`).join(', ');
  if (!categories.has(data.category)) problems.push(problem(['category'], `unknown category "${data.category}" (org.yaml has ${known(categories)})`));
  if (data.reported_category && !categories.has(data.reported_category))
    problems.push(problem(['reported_category'], `unknown category "${data.reported_category}" (org.yaml has ${known(categories)})`));
  if (!projects.has(data.project)) problems.push(problem(['project'], `unknown project "${data.project}" (org.yaml has ${known(projects)})`));
  if (data.department && !departments.has(data.department))
    problems.push(problem(['department'], `unknown department "${data.department}" (org.yaml has ${known(departments)})`));
  data.events.forEach((event, index) => {
    if (event.department && !departments.has(event.department))
      problems.push(problem(['events', index, 'department'], `unknown department "${event.department}"`));
  });
  if (data.contact && org.recipients.length === 0)
    problems.push(problem(['contact'], 'contact data is present but org.yaml lists no recipients who could read it'));
  return problems;
}

export interface ArchiveEntry {
  path: string;
  data: ComplaintData;
}

/** A problem that belongs to one file of the archive. */
export interface ArchiveProblem extends FieldProblem {
  file: string;
}

/**
 * What only the whole archive can tell: duplicate IDs, files whose path does not match their id and
 * month of receipt, and links (`duplicate_of`, `repeat_of`, `related`) to complaints that do not exist.
 */
export function checkArchive(entries: readonly ArchiveEntry[], org: Org): ArchiveProblem[] {
  const problems: ArchiveProblem[] = [];
  const byId = new Map<string, ArchiveEntry[]>();
  for (const entry of entries) byId.set(entry.data.id, [...(byId.get(entry.data.id) ?? []), entry]);
  for (const entry of entries) {
    const { data, path } = entry;
    const add = (fieldPath: (string | number)[], message: string) => problems.push({ file: path, ...problem(fieldPath, message) });
    const sameId = byId.get(data.id) ?? [];
    if (sameId.length > 1)
      add(['id'], `duplicate id "${data.id}", also used by ${sameId.filter((other) => other !== entry).map((other) => other.path).join(', ')}`);
    const expected = complaintPath(data.id, data.received_at, org.timezone);
    if (path !== expected) add(['id'], `the file's path does not match its id and month of receipt: expected ${expected}`);
    const idYear = data.id.slice(0, 4);
    if (!expected.includes(`/${idYear}/`)) add(['id'], `the id's year ${idYear} is not the year of receipt (${data.received_at})`);
    for (const field of ['duplicate_of', 'repeat_of'] as const) {
      const target = data[field];
      if (target && !byId.has(target)) add([field], `links to complaint "${target}", which does not exist`);
    }
    data.related.forEach((target, index) => {
      if (!byId.has(target)) add(['related', index], `links to complaint "${target}", which does not exist`);
    });
  }
  return problems;
}
