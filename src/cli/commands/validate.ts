import { validateArchive } from '../../archive/archive.ts';
import { EXIT, printJson, type Command } from '../command.ts';
import { formatProblem, progressPrinter } from '../output.ts';

/**
 * `complaints validate`: every problem of org.yaml and of every complaint file, one `file:line:
 * message` line each (SPEC §9), or `{ ok, problems: [{ file, line?, message }] }` with --json.
 * Exits 1 when there is any problem, so a pull-request check fails.
 */
export const validateCommand: Command = {
  summary: 'check every complaint file and org.yaml（校验档案）',
  usage: 'complaints validate [--root DIR] [--json]',
  options: {},
  async run(context) {
    const archive = await validateArchive(context.root, { onProgress: context.json ? undefined : progressPrinter(context, '校验 validating') });
    const ok = archive.problems.length === 0;
    if (context.json) {
      printJson(context, { ok, problems: archive.problems.map(({ file, line, message }) => (line === undefined ? { file, message } : { file, line, message })) });
    } else if (ok) {
      context.stdout(`ok: ${archive.complaints.length} complaints, no problems（${archive.complaints.length} 件投诉，校验通过）\n`);
    } else {
      for (const problem of archive.problems) context.stdout(`${formatProblem(problem)}\n`);
      const files = new Set(archive.problems.map((problem) => problem.file)).size;
      context.stdout(`${archive.problems.length} problems in ${files} files（${files} 个文件中发现 ${archive.problems.length} 个问题）\n`);
    }
    return ok ? EXIT.ok : EXIT.problems;
  },
};
