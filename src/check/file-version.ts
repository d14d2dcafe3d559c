import { readComplaintFile } from '../archive/archive.ts';
import type { ParsedFile } from '../archive/frontmatter.ts';
import { checkComplaint, checkSalvaged } from '../core/complaint/check.ts';
import type { ComplaintData } from '../core/complaint/schema.ts';
import type { Org } from '../core/org/schema.ts';
import type { FieldProblem, Problem } from '../core/problems.ts';

/**
 * One version of a complaint file (the base or the head side of a change), read as `complaints
 * validate` reads a file: encoding, front matter, schema, plaintext personal data, the record for its
 * state and the references to org.yaml, every problem with its line. A file that fails the schema is
 * salvaged, so the comparisons of the check still have its id, events and department.
 */
export interface FileVersion {
  path: string;
  /** The front matter when it matches the schema, else what could be salvaged of it. */
  data?: ComplaintData;
  /** Whether `data` is the whole, valid front matter (not salvaged). */
  complete: boolean;
  /** Fields of a salvaged version that were dropped or replaced by stand-ins: not to be compared. */
  setAside: readonly (readonly (string | number)[])[];
  /** False when an event could not be read, so the events cannot be compared or replayed. */
  eventsReadable: boolean;
  /** Problems of this version on its own and against the organisation. */
  problems: Problem[];
  /** Finds the line of a field, when the front matter could be read. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

function withLines(file: string, parsed: ParsedFile | undefined, problems: readonly FieldProblem[]): Problem[] {
  return problems.map((problem) => {
    const line = problem.path[0] === 'body' || !parsed ? undefined : parsed.lineOf(problem.path);
    return line === undefined ? { file, message: problem.message } : { file, line, message: problem.message };
  });
}

/** Whether a top-level field of a version was set aside (a stand-in), so it cannot be compared. */
export function isSetAside(version: FileVersion, field: string): boolean {
  return version.setAside.some((path) => path[0] === field);
}

/** Reads one version of a complaint file; `org` (when readable) adds the record and reference checks. */
export function readFileVersion(path: string, bytes: Uint8Array, org: Org | undefined): FileVersion {
  const result = readComplaintFile(path, bytes);
  const lineOf = (fieldPath: readonly (string | number)[]) => result.parsed?.lineOf(fieldPath);
  if (result.complaint) {
    const deeper = org ? checkComplaint(result.complaint.data, org) : checkSalvaged({ data: result.complaint.data, setAside: [], eventsReadable: true }, undefined);
    return { path, data: result.complaint.data, complete: true, setAside: [], eventsReadable: true, problems: [...result.problems, ...withLines(path, result.parsed, deeper)], lineOf };
  }
  if (result.salvaged) {
    return {
      path,
      data: result.salvaged.data,
      complete: false,
      setAside: result.salvaged.setAside,
      eventsReadable: result.salvaged.eventsReadable,
      problems: [...result.problems, ...withLines(path, result.parsed, checkSalvaged(result.salvaged, org))],
      lineOf,
    };
  }
  return { path, complete: false, setAside: [], eventsReadable: false, problems: result.problems, lineOf };
}
