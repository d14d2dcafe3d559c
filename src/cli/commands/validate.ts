import { loadArchive } from '../../archive/archive.ts';
import { EXIT, printJson, type Command } from '../command.ts';
import { formatProblem, progressPrinter } from '../output.ts';

export const validateCommand: Command = {
  summary: 'check every complaint file and org.yaml（校验档案）',
  usage: 'complaints validate [--root DIR] [--json]',
  options: {},
  async run(context) {
    const archive = await loadArchive(context.root, { onProgress: context.json ? undefined : progressPrinter(context, '校验 validating') });
    const ok = archive.problems.length === 0;
    if (context.json) {
      printJson(context, { ok, problems: archive.problems });
    } else if (ok) {
      context.stdout(`ok: ${archive.complaints.length} complaints, no problems（${archive.complaints.length} 件投诉，校验通过）\n`);
    } else {
      for (const problem of archive.problems) context.stdout(`${formatProblem(problem)}\n`);
      context.stdout(`${archive.problems.length} problems in ${new Set(archive.problems.map((problem) => problem.file)).size} files（发现 ${archive.problems.length} 个问题）\n`);
    }
    return ok ? EXIT.ok : EXIT.problems;
  },
};
