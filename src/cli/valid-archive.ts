import { loadArchive, type LoadedArchive } from '../archive/archive.ts';
import { chineseDaysSource } from '../calendar/chinese-days.ts';
import { workingCalendar, type WorkingCalendar } from '../core/calendar.ts';
import type { Problem } from '../core/problems.ts';
import { EXIT, printJson, type CommandContext } from './command.ts';
import { formatProblem } from './output.ts';

/** Prints problems as `validate` does (or `{ ok: false, problems }` with --json) and gives exit code 1. */
export function printProblems(context: CommandContext, problems: readonly Problem[]): number {
  if (context.json) printJson(context, { ok: false, problems });
  else for (const problem of problems) context.stderr(`${formatProblem(problem)}\n`);
  return EXIT.problems;
}

/**
 * The archive under --root with the organisation's working calendar, for commands that compute on
 * it (sla, report, export): an archive with problems is printed and refused (exit 1). org.yaml's time
 * zone is validated with the archive, so the calendar can always be built from a valid one.
 */
export async function openValidArchive(
  context: CommandContext,
): Promise<{ ok: true; archive: LoadedArchive; calendar: WorkingCalendar } | { ok: false; code: number }> {
  const archive = await loadArchive(context.root);
  if (archive.problems.length > 0) return { ok: false, code: printProblems(context, archive.problems) };
  return { ok: true, archive, calendar: workingCalendar(archive.org, chineseDaysSource) };
}
