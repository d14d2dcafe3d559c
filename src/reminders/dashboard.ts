import { z } from 'zod';
import { CLOCK_STATE_LABELS, type ClockReading } from '../core/clocks.ts';
import type { ComplaintData } from '../core/complaint/schema.ts';
import { CLOCK_LABELS } from '../core/org/schema.ts';
import { codeSpan } from '../github/markdown-text.ts';
import { formatDueTime } from '../intake/intake-comments.ts';
import type { Reminder, ReminderRecord } from './due-reminders.ts';

/**
 * The dashboard issue's body (issue 5 items 5 and 12), in zh-CN: when the reminders last ran (and a
 * warning when that was long ago), every open clock with its due time and state, the reporting duties
 * in effect, and how to keep the scheduled workflows running. It ends with the record the next run
 * reads: when this run happened and which reminders were in effect (a hidden HTML comment).
 */

/** GitHub's limit on an issue body is 65,536 characters; the table stops well before it. */
const MAX_BODY_LENGTH = 60_000;

/** 001 §4.4.2.4 asks for daily attention; an hourly job that has not run for this long has stopped or is being delayed. */
const STALE_AFTER_HOURS = 3;

const RECORD_PATTERN = /<!-- reminders-record (\{.*?\}) -->/s;

const recordSchema = z.object({
  lastRun: z.string().refine((text) => !Number.isNaN(Date.parse(text))),
  inEffect: z.array(z.string().regex(/^[0-9a-f]{12}$/)),
});

/** The record a dashboard body holds, or undefined when it has none (or someone broke it). */
export function readReminderRecord(body: string): ReminderRecord | undefined {
  const match = RECORD_PATTERN.exec(body);
  if (!match) return undefined;
  try {
    const parsed = recordSchema.safeParse(JSON.parse(match[1]!));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export interface OpenClock {
  complaint: Pick<ComplaintData, 'id' | 'assignees' | 'source'>;
  clock: ClockReading;
}

export interface DashboardInput {
  timezone: string;
  now: Date;
  /** When the reminders ran before this run, if ever. */
  previousRun?: string;
  clocks: readonly OpenClock[];
  /** The reporting duties in effect. */
  reports: readonly Reminder[];
  /** What this run posted and what failed. */
  posted: number;
  failed: number;
  record: ReminderRecord;
}

const STATE_ORDER = ['overdue', 'due_soon', 'ok'];

function formatGap(milliseconds: number): string {
  const hours = Math.floor(milliseconds / 3_600_000);
  return hours >= 48 ? `${Math.floor(hours / 24)} 天` : `${hours} 小时`;
}

/** The body without its marker line (`standingIssueBody` adds it). */
export function dashboardText(input: DashboardInput): string {
  const zone = input.timezone;
  const nowIso = input.now.toISOString();
  const overdue = input.clocks.filter((item) => item.clock.state === 'overdue').length;
  const dueSoon = input.clocks.filter((item) => item.clock.state === 'due_soon').length;
  const head = ['## 投诉处理时限看板', ''];
  head.push(`- 提醒最近一次运行：**${formatDueTime(nowIso, zone)}**（本次发出提醒 ${input.posted} 条${input.failed > 0 ? `，${input.failed} 条发送失败，下次运行重试` : ''}）`);
  if (input.previousRun) {
    const gap = input.now.getTime() - Date.parse(input.previousRun);
    head.push(`- 上一次运行：${formatDueTime(input.previousRun, zone)}`);
    if (gap > STALE_AFTER_HOURS * 3_600_000)
      head.push(`- ⚠️ 两次运行相隔 ${formatGap(gap)}：GitHub 延迟或跳过了定时运行，本次已补发期间到期的提醒。若经常如此，请查看下方“让定时任务保持运行”。`);
  } else {
    head.push('- 这是提醒的第一次运行（或看板记录丢失）：所有当前有效的提醒都已核对，已发过的不会重发。');
  }
  head.push(`- 未完成的时限：${input.clocks.length} 项（已超时 ${overdue} 项，即将到期 ${dueSoon} 项）`, '');

  const rows = [...input.clocks]
    .sort((a, b) => STATE_ORDER.indexOf(a.clock.state) - STATE_ORDER.indexOf(b.clock.state) || Date.parse(a.clock.due) - Date.parse(b.clock.due))
    .map((item) => {
      const issue = item.complaint.source?.issue;
      const assignees = item.complaint.assignees.map((handle) => codeSpan(handle)).join(' ') || '（未分派）';
      const flag = item.clock.state === 'overdue' ? '🔴 ' : item.clock.state === 'due_soon' ? '⏰ ' : '';
      return `| ${item.complaint.id} | ${issue !== undefined ? `#${issue}` : '—'} | ${CLOCK_LABELS[item.clock.clock]} | ${formatDueTime(item.clock.due, zone)} | ${flag}${CLOCK_STATE_LABELS[item.clock.state]} | ${assignees} |`;
    });

  const reports = input.reports.map((item) => `- ${item.id}${item.issue !== undefined ? `（#${item.issue}）` : ''}：${item.text.split('\n')[2] ?? ''}`);
  const tail = [
    '',
    '### 让定时任务保持运行',
    '',
    '- 定时工作流（提醒、日盘点、网上投诉补登、月度报告）只在默认分支上运行；GitHub 常在整点前后延迟甚至跳过定时运行，提醒每次运行都会补发上次以来到期的提醒，不会重复。',
    '- 公开仓库连续 60 天没有任何活动（提交、议题等）时，GitHub 会自动停用定时工作流。若上面的“最近一次运行”早于两小时以前：在仓库的 Actions 页面选中该工作流，点击“Enable workflow”重新启用，再点击“Run workflow”手动运行一次。',
    '- 本看板由工作流自动更新，请勿编辑或关闭；可以把它置顶（Pin issue）。',
    '',
    `<!-- reminders-record ${JSON.stringify(input.record)} -->`,
  ];

  const table = ['| 投诉 | 议题 | 时限 | 最迟 | 状态 | 处理人 |', '|---|---|---|---|---|---|'];
  const reportSection = reports.length > 0 ? ['', '### 重大、热点投诉的报告义务', '', ...reports] : [];
  const fixed = [...head, ...table, ...reportSection, ...tail].join('\n').length;
  const shown: string[] = [];
  let length = fixed;
  for (const row of rows) {
    if (length + row.length + 1 > MAX_BODY_LENGTH - 200) break;
    shown.push(row);
    length += row.length + 1;
  }
  const more = rows.length - shown.length;
  const clockSection = rows.length === 0 ? ['目前没有未完成的时限。'] : [...table, ...shown, ...(more > 0 ? ['', `另有 ${more} 项未列出（看板篇幅有限），请用 \`complaints sla\` 查看全部。`] : [])];
  return [...head, ...clockSection, ...reportSection, ...tail].join('\n');
}
