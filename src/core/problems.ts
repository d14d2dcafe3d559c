import { z } from 'zod';
import { pathLabel } from './complaint/labels.ts';
import { findPersonalData } from './pii.ts';

/** Something wrong with one field of one record, before it is tied to a file and line. */
export interface FieldProblem {
  path: readonly (string | number)[];
  message: string;
}

/** Something wrong in the archive, as `validate` prints it: `file:line: message`. */
export interface Problem {
  file: string;
  line?: number;
  message: string;
}

/** `events.2.at` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** How long a found value may be in a message before it is cut. */
const MAX_SHOWN_VALUE_LENGTH = 40;

/** The longest name distance at which "did you mean" suggests a known field. */
const MAX_SUGGESTION_DISTANCE = 2;

/**
 * One message per zod issue: the field path first, then what was expected and what was found, then
 * the field's zh-CN label, so one line serves both the log and the handler who must fix the file.
 * Pass the schema to get "did you mean" hints for unknown fields; parse with `{ reportInput: true }`
 * to get the found values (personal data in them is masked). `labels` are the zh-CN field labels
 * (complaint fields by default; `ORG_FIELD_LABELS` for org.yaml).
 */
export function problemsFromZod(error: z.ZodError, schema?: z.ZodType, labels?: Record<string, string>): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const known = schema ? knownKeysAt(schema, path) : [];
      return issue.keys.map((unknownKey) => {
        const suggestion = closest(unknownKey, known);
        const parentLabel = pathLabel(path, labels);
        const shownKey = maskPersonalData(unknownKey);
        return {
          path: [...path, unknownKey],
          message: `${formatPath([...path, shownKey])}: unknown field "${shownKey}"${suggestion ? `; did you mean "${suggestion}"?` : ''}（${parentLabel ? `${parentLabel}：` : ''}未知字段）`,
        };
      });
    }
    // A broken contact may be plaintext personal data: never echo it into a log.
    const shown = path[0] === 'contact' ? { ...issue, input: undefined } : issue;
    const note = path.length === 0 ? '文件头应为字段列表' : isMissing(issue) ? '必填' : undefined;
    return [{ path, message: describe(path, messageOf(shown as z.core.$ZodIssue), note, labels) }];
  });
}

/** Whether an issue is about a required field that is not there at all. */
function isMissing(issue: z.core.$ZodIssue): boolean {
  if (issue.code === 'invalid_type') return issue.input === undefined && issue.message.includes('received undefined');
  return issue.code === 'invalid_value' && 'input' in issue && issue.input === undefined;
}

function messageOf(issue: z.core.$ZodIssue): string {
  const found = 'input' in issue && issue.input !== undefined ? `, found ${showValue(issue.input)}` : '';
  if (isMissing(issue)) return 'required field is missing';
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${EXPECTED_NAMES[issue.expected] ?? issue.expected}${found}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}${found}`;
    case 'invalid_format':
      return `${issue.message.startsWith('Invalid') ? `expected ${issue.format === 'regex' ? 'a different format' : `an ISO ${issue.format}`}` : issue.message}${found}`;
    case 'too_small':
      if (issue.origin === 'string') return 'must not be empty';
      if (issue.origin === 'array' || issue.origin === 'set') return `needs at least ${String(issue.minimum)}${issue.minimum === 1 ? ' item' : ' items'}`;
      return `must be at least ${String(issue.minimum)}${found}`;
    case 'too_big':
      if (issue.origin === 'string') return `must be at most ${String(issue.maximum)} characters long`;
      if (issue.origin === 'array' || issue.origin === 'set') return `must have at most ${String(issue.maximum)} items`;
      return `must be at most ${String(issue.maximum)}${found}`;
    case 'custom':
      return typeof issue.input === 'string' ? `${issue.message}${found}` : issue.message;
    default:
      return issue.message;
  }
}

const EXPECTED_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of fields',
};

/** A value from a file as a message shows it: short, and with any personal data masked. */
function showValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = maskPersonalData(value);
    return JSON.stringify(shown.length > MAX_SHOWN_VALUE_LENGTH ? `${shown.slice(0, MAX_SHOWN_VALUE_LENGTH)}…` : shown);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/** Replaces every mobile or resident ID number in `text` with its masked form, so messages never leak one. */
export function maskPersonalData(text: string): string {
  let result = '';
  let from = 0;
  for (const finding of findPersonalData(text)) {
    if (finding.index < from) continue;
    result += text.slice(from, finding.index) + finding.masked;
    from = finding.index + finding.length;
  }
  return result + text.slice(from);
}

/** The field names an object schema knows at `path` (array indexes and wrappers are looked through). */
function knownKeysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const segment of [...path, undefined]) {
    current = unwrapSchema(current);
    if (segment === undefined) break;
    if (typeof segment === 'number') continue;
    current = current instanceof z.ZodObject ? (current.shape as Record<string, z.ZodType>)[segment] : undefined;
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrapSchema(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
}

/** The known name closest to `name`, if it is close enough to be a likely typo. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = MAX_SUGGESTION_DISTANCE + 1;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * Prefixes a message with its field path and follows it with the field's zh-CN label (and an
 * optional zh-CN note): `events.2.type: … (处理记录第3条·类型)`.
 */
export function describe(path: readonly PropertyKey[], message: string, note?: string, labels?: Record<string, string>): string {
  const stringPath = path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  const label = pathLabel(stringPath, labels);
  const where = stringPath.length > 0 ? `${formatPath(stringPath)}: ` : '';
  const zh = [label, note].filter(Boolean).join('：');
  return `${where}${message}${zh ? `（${zh}）` : ''}`;
}
