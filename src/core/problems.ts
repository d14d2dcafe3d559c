import type { z } from 'zod';
import { labelOf } from './complaint/labels.ts';

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

/**
 * One message per zod issue: the field path first, then what was expected and what was found, then
 * the field's zh-CN label, so one line serves both the log and the handler who must fix the file.
 */
export function problemsFromZod(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue): FieldProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((unknownKey) => ({
        path: [...(issue.path as (string | number)[]), unknownKey],
        message: describe([...issue.path, unknownKey], `unknown field "${unknownKey}"`),
      }));
    }
    const path = issue.path as (string | number)[];
    return [{ path, message: describe(path, messageOf(issue)) }];
  });
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') {
    return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    return `required field is missing (expected ${issue.expected})`;
  }
  return issue.message;
}

/** Prefix a message with its field path and follow it with the zh-CN label. */
export function describe(path: readonly PropertyKey[], message: string): string {
  const stringPath = path.filter((segment): segment is string | number => typeof segment !== 'symbol');
  const label = labelOf(stringPath);
  const where = stringPath.length > 0 ? `${formatPath(stringPath)}: ` : '';
  return `${where}${message}${label ? `（${label}）` : ''}`;
}
