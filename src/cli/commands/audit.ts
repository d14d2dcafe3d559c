import { readOrg } from '../../archive/archive.ts';
import { auditHistory, FINDING_LABELS, type FindingKind } from '../../core/audit.ts';
import { InvalidInstantError, resolveInstant } from '../../core/complaint/new-complaint.ts';
import { NotAGitRepositoryError, readComplaintHistory } from '../../git/history.ts';
import { EXIT, printJson, stringOption, UsageError, type Command } from '../command.ts';
import { findingLine, importLine } from '../audit-text.ts';

/**
 * `complaints audit [--since DATE]`: reads the Git history of every complaint file in one pass and
 * reports who changed what and when, and every finding (deleted or renamed files, illegal
 * transitions, rewritten events, changed immutable fields, backdated events, silent reopening,
 * unsigned commits when org.yaml requires signatures). Commits marked `Complaints-Import: true` are
 * listed apart. Exits 1 when there is any finding, so it can gate a workflow.
 *
 * `--json`: `{ ok, since, settings: { backdateMarginHours, requireSignedCommits }, commits,
 * complaints: [{ id, path, trail: [TrailEntry] }], findings: [AuditFinding], imports: [ImportRecord] }`
 * (see src/core/audit.ts and the README).
 */
export const auditCommand: Command = {
  summary: 'audit the Git history of the complaint files（审计处理留痕）',
  usage: 'complaints audit [--since DATE] [--root DIR] [--json]',
  options: { since: { type: 'string' } },
  async run(context, values) {
    const org = await readOrg(context.root);
    const sinceText = stringOption(values, 'since');
    let since: string | undefined;
    try {
      since = sinceText === undefined ? undefined : resolveInstant(sinceText, org.timezone, { field: '--since' });
    } catch (cause) {
      if (cause instanceof InvalidInstantError) throw new UsageError(cause.message);
      throw cause;
    }
    let history;
    try {
      history = await readComplaintHistory(context.root, { ...(since ? { since } : {}), signatures: org.audit.requireSignedCommits, env: context.env });
    } catch (cause) {
      if (!(cause instanceof NotAGitRepositoryError)) throw cause;
      context.stderr(`${cause.message}\n`);
      return EXIT.problems;
    }
    const report = auditHistory(history, org.audit);
    const ok = report.findings.length === 0;
    if (context.json) {
      printJson(context, { ok, since: since ?? null, settings: org.audit, ...report });
      return ok ? EXIT.ok : EXIT.problems;
    }
    const { timezone } = org;
    context.stdout(
      `审计 audit${since ? ` since ${since}` : ''}: ${report.commits} commits, ${report.complaints.length} complaints, ${report.findings.length} findings` +
        `（${report.commits} 次提交，${report.complaints.length} 件投诉，${ok ? '未发现问题' : `发现 ${report.findings.length} 个问题`}）\n`,
    );
    if (report.imports.length > 0) {
      context.stdout('\n导入提交（其新增投诉不判定补录）imports, whose new complaints are not judged as backdated:\n');
      for (const record of report.imports) context.stdout(`  ${importLine(record, timezone)}\n`);
    }
    if (!ok) {
      context.stdout('\n发现的问题 findings:\n');
      for (const finding of report.findings) context.stdout(`  ${findingLine(finding, timezone)}\n`);
      const byKind = new Map<FindingKind, number>();
      for (const finding of report.findings) byKind.set(finding.kind, (byKind.get(finding.kind) ?? 0) + 1);
      context.stdout(`\n按类型 by kind: ${[...byKind].map(([kind, count]) => `${kind} ${FINDING_LABELS[kind]} ${count}`).join('; ')}\n`);
    }
    return ok ? EXIT.ok : EXIT.problems;
  },
};
