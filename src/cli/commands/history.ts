import { readOrg } from '../../archive/archive.ts';
import { auditHistory } from '../../core/audit.ts';
import { COMPLAINTS_DIR, parseComplaintId } from '../../core/complaint/paths.ts';
import { NotAGitRepositoryError, readComplaintHistory } from '../../git/history.ts';
import { EXIT, printJson, UsageError, type Command } from '../command.ts';
import { findingLine, trailEntryLines } from '../audit-text.ts';

/**
 * `complaints history <id>`: one complaint's audit trail from Git — every commit that touched its
 * file, who made it and when, the fields it changed, the state before and after and the events it
 * added — in zh-CN, or `{ id, path, trail: [TrailEntry], findings: [AuditFinding] }` with --json.
 * Reads only that file's history (two git processes).
 */
export const historyCommand: Command = {
  summary: "a complaint's audit trail from Git history（投诉处理留痕）",
  usage: 'complaints history <id> [--root DIR] [--json]',
  options: {},
  async run(context, _values, positionals) {
    const [id, ...extra] = positionals;
    if (id === undefined || extra.length > 0) throw new UsageError('give exactly one complaint id, e.g. complaints history 2026-0007');
    if (!parseComplaintId(id)) throw new UsageError(`"${id}" is not a complaint id such as 2026-0007（投诉编号格式错误）`);
    const org = await readOrg(context.root);
    let history;
    try {
      history = await readComplaintHistory(context.root, {
        pathspec: `:(glob)${COMPLAINTS_DIR}/**/${id}.md`,
        signatures: org.audit.requireSignedCommits,
        env: context.env,
      });
    } catch (cause) {
      if (!(cause instanceof NotAGitRepositoryError)) throw cause;
      context.stderr(`${cause.message}\n`);
      return EXIT.problems;
    }
    const report = auditHistory(history, org.audit);
    const complaint = report.complaints.find((candidate) => candidate.id === id);
    if (!complaint) {
      context.stderr(`no history for complaint ${id}: no commit in ${context.root} touched its file（找不到投诉 ${id} 的提交记录）\n`);
      return EXIT.problems;
    }
    const findings = report.findings.filter((finding) => finding.id === undefined || finding.id === id);
    if (context.json) {
      printJson(context, { id, path: complaint.path, trail: complaint.trail, findings });
      return EXIT.ok;
    }
    context.stdout(`投诉 ${id} 的处理留痕 audit trail（${complaint.path}）\n\n`);
    for (const entry of complaint.trail) context.stdout(`${trailEntryLines(entry, org.timezone).join('\n')}\n\n`);
    if (findings.length > 0) {
      context.stdout(`发现的问题 findings（${findings.length}）:\n`);
      for (const finding of findings) context.stdout(`  ${findingLine(finding, org.timezone)}\n`);
    } else {
      context.stdout('未发现问题 no findings\n');
    }
    return EXIT.ok;
  },
};
