import { CLOCK_STATE_LABELS } from '../core/clocks.ts';
import { STATE_LABELS } from '../core/complaint/states.ts';
import { CLOCK_LABELS } from '../core/org/schema.ts';
import { EVENT_LABELS } from '../core/org/vocabulary.ts';
import { codeSpan, markdownText } from '../github/markdown-text.ts';
import { describeLimit, formatDueTime } from '../intake/intake-comments.ts';
import { CHECK_PROBLEM_KINDS, CHECK_PROBLEM_LABELS, type CheckReport, type ComplaintChange } from './pull-request-check.ts';

/**
 * The one summary comment of the pull-request check (issue 5 item 3), in zh-CN: whether the change
 * may be merged, what it does to each complaint (state before → after, the events it records) and
 * the clocks that still run, then every problem grouped by kind with its file and line. The same
 * text is printed by `complaints check` without GitHub.
 */

/** Marker kind of the summary comment (src/github/bot-comments.ts): one per pull request, edited on every run. */
export const CHECK_COMMENT_KIND = 'check:summary';

const CHANGE_LABELS: Record<ComplaintChange['change'], string> = {
  added: '新登记',
  modified: '修改',
  deleted: '删除',
  renamed: '移动',
};

function heading(change: ComplaintChange): string {
  const name = change.id ? `${change.id}${change.title ? ` ${markdownText(change.title)}` : ''}` : markdownText(change.path);
  return `#### ${name}（${CHANGE_LABELS[change.change]}）`;
}

function describeChange(change: ComplaintChange, timezone: string): string[] {
  const lines = [heading(change), ''];
  if (change.change === 'renamed' && change.renamedTo) lines.push(`- 文件：${codeSpan(change.path)} → ${codeSpan(change.renamedTo)}`);
  else lines.push(`- 文件：${codeSpan(change.path)}`);
  const before = change.stateBefore ? STATE_LABELS[change.stateBefore] : undefined;
  const after = change.stateAfter ? STATE_LABELS[change.stateAfter] : undefined;
  if (before && after) lines.push(`- 状态：${before === after ? `${after}（未变）` : `${before} → ${after}`}`);
  else if (after) lines.push(`- 状态：${after}`);
  else if (before) lines.push(`- 原状态：${before}`);
  if (change.addedEvents.length > 0) {
    lines.push('- 新增处理记录：');
    for (const event of change.addedEvents) lines.push(`  - ${formatDueTime(event.at, timezone)} ${EVENT_LABELS[event.type]}（${markdownText(event.by)}）`);
  }
  if (change.clocks.length > 0) {
    lines.push('', '| 未完成的时限 | 时限 | 最迟 | 状态 |', '|---|---|---|---|');
    for (const clock of change.clocks)
      lines.push(`| ${CLOCK_LABELS[clock.clock]} | ${describeLimit(clock.limit)} | ${formatDueTime(clock.due, timezone)} | ${CLOCK_STATE_LABELS[clock.state]} |`);
  } else if (change.stateAfter) {
    lines.push('- 没有仍在计时的时限。');
  }
  lines.push('');
  return lines;
}

/** The comment's Markdown (without its marker, which `upsertBotComment` adds). */
export function checkSummaryComment(report: CheckReport): string {
  const lines = ['### 投诉档案检查', ''];
  if (report.ok) lines.push('✅ 检查通过：本次修改未发现问题。');
  else lines.push(`❌ 发现 ${report.problems.length} 个问题，请修改后再合并。`);
  if (!report.permissionsChecked) lines.push('', '⚠️ 未提供修改人（PR 作者）或组织配置无法读取，本次未检查修改权限。');
  if (report.organisationChanged) lines.push('', 'ℹ️ 本次修改了组织配置 `content/org.yaml`：只有主管可以修改，修改权限按修改前的配置判断。');
  lines.push('');
  if (report.changes.length > 0) {
    lines.push(`#### 涉及 ${report.changes.length} 件投诉`, '');
    for (const change of report.changes) lines.push(...describeChange(change, report.timezone));
  } else {
    lines.push('本次修改没有涉及投诉文件。', '');
  }
  if (report.problems.length > 0) {
    lines.push('#### 需要修改的问题', '');
    for (const kind of CHECK_PROBLEM_KINDS) {
      const ofKind = report.problems.filter((problem) => problem.kind === kind);
      if (ofKind.length === 0) continue;
      lines.push(`**${CHECK_PROBLEM_LABELS[kind]}**`, '');
      for (const problem of ofKind) lines.push(`- ${codeSpan(`${problem.file}${problem.line ? `:${problem.line}` : ''}`)}：${markdownText(problem.message)}`);
      lines.push('');
    }
  }
  return lines.join('\n').trimEnd();
}
