import { DateTime } from 'luxon';
import type { ClockReading } from '../core/clocks.ts';
import type { ComplaintData } from '../core/complaint/schema.ts';
import type { PersonalDataKind } from '../core/pii.ts';
import { CLOCK_LABELS, type Limit, type Org } from '../core/org/schema.ts';
import { URGENCY_LABELS } from '../core/org/vocabulary.ts';
import type { CategoryReading } from './read-complaint-issue.ts';
import type { DuplicateCandidate } from './possible-duplicates.ts';
import { boardLinks } from './issue-forms.ts';
import { describeKinds } from './redaction.ts';
import { zoneOf } from '../core/time-zone.ts';

/**
 * What intake says on a complaint issue, in zh-CN (issue 5 items 2 and 11). Every text is public:
 * it never repeats what the complainant typed beyond the tracking number's facts, and never a piece
 * of personal data. The markers that make the comments idempotent are added by `upsertBotComment`.
 */

/** Marker kinds of intake's comments (see src/github/bot-comments.ts). */
export const INTAKE_COMMENT_KINDS = {
  registered: 'intake:registered',
  needsInformation: 'intake:needs-information',
  personalData: 'intake:personal-data',
} as const;

/** A limit as people say it: `4 小时`, `当日`, `2 个工作日`, `15 天`, `转办期限`. */
export function describeLimit(limit: Limit): string {
  switch (limit.kind) {
    case 'hours':
      return `${limit.hours} 小时`;
    case 'same_day':
      return '当日';
    case 'working_days':
      return `${limit.days} 个工作日`;
    case 'days':
      return `${limit.days} 天`;
    case 'deadline':
      return '转办单位规定的期限';
  }
}

/** `2026年10月5日 17:30` in the organisation's time zone. */
export function formatDueTime(iso: string, timezone: string): string {
  return DateTime.fromISO(iso, { setZone: true }).setZone(zoneOf(timezone)).toFormat('yyyy年M月d日 HH:mm');
}

export interface RegisteredCommentInput {
  complaint: ComplaintData;
  org: Org;
  /** The complaint's running clocks (`clocksOf`, filtered to running). */
  clocks: readonly ClockReading[];
  /** How the category was decided, when the issue could be read again. */
  category?: CategoryReading;
  /** The urgent keywords that made an unsure complaint urgent. */
  urgencyKeywords?: readonly string[];
  duplicates: readonly DuplicateCandidate[];
  /** Whether the issue came through the staff form. */
  staff: boolean;
}

/** The tracking-number comment: the id, the time limits that now apply, category, urgency, department. */
export function registeredComment(input: RegisteredCommentInput): string {
  const { complaint, org } = input;
  const zone = org.timezone;
  const lines: string[] = [];
  lines.push(
    input.staff
      ? `已登记为投诉，**投诉编号：${complaint.id}**。`
      : `您好，您的投诉已登记，**投诉编号：${complaint.id}**。请保存此编号，查询处理进度时使用。`,
  );
  lines.push('');
  if (input.clocks.length > 0) {
    lines.push('按照服务承诺，接下来的处理时限如下：', '', '| 事项 | 时限 | 最迟 |', '|---|---|---|');
    for (const clock of input.clocks) {
      const overdue = clock.state === 'overdue' ? '（已超时）' : '';
      lines.push(`| ${CLOCK_LABELS[clock.clock]} | ${describeLimit(clock.limit)} | ${formatDueTime(clock.due, zone)}${overdue} |`);
    }
    lines.push('');
  }
  const categoryLabel = org.categories.find((category) => category.key === complaint.category)?.label ?? complaint.category;
  const guessed =
    input.category?.basis === 'keywords'
      ? `（系统根据“${input.category.keywords.slice(0, 3).join('”“')}”等词推测，工作人员会核实）`
      : input.category?.basis === 'fallback'
        ? '（未能根据内容判断分类，工作人员会核实）'
        : '';
  lines.push(`- 分类：${categoryLabel}${guessed}`);
  const urgencyNote = input.urgencyKeywords && input.urgencyKeywords.length > 0 ? '（内容涉及安全，系统按紧急处理，工作人员会核实）' : '';
  lines.push(`- 紧急程度：${URGENCY_LABELS[complaint.urgency]}${urgencyNote}`);
  const department = org.departments.find((item) => item.key === complaint.department);
  if (department) lines.push(`- 责任部门：${department.name}`);
  lines.push('');
  if (!input.staff) {
    lines.push('处理进展会在本页更新。请不要在本页留下电话号码、身份证号等个人信息。');
    const links = boardLinks(org);
    if (links) lines.push(`投诉渠道和处理时限见[如何投诉](${links.howToComplain})。`);
  }
  if (input.duplicates.length > 0) {
    lines.push(
      '',
      '---',
      '供处理人参考：以下未结投诉与本投诉的项目、分类相同，30 天内收到，内容相似，可能是同一事项（同一事项三人以上投诉即为热点投诉）。如确认，请在本投诉文件中填写 `duplicate_of`：',
      '',
    );
    for (const candidate of input.duplicates)
      lines.push(`- ${candidate.id}${candidate.issue !== undefined ? `（#${candidate.issue}）` : ''}，相似度 ${candidate.similarity.toFixed(2)}`);
  }
  return lines.join('\n');
}

/** The one comment listing everything to fix before the issue can be registered. */
export function needsInformationComment(problems: readonly string[]): string {
  return [
    '您好，您的投诉暂时无法登记。请修改本页正文后保存（点击正文右上角的“…”，选择“编辑”），系统会自动重新登记。需要修改的地方：',
    '',
    ...problems.map((problem, index) => `${index + 1}. ${problem}`),
    '',
    '请不要填写电话号码、身份证号等个人信息：本页面公开可见。',
  ].join('\n');
}

/** What the needs-information comment becomes once the issue was registered. */
export function resolvedNeedsInformationComment(id: string): string {
  return `以上问题已解决，投诉已登记，编号 ${id}。`;
}

/**
 * Tells the complainant that personal data was found — which kinds, never the values — that the
 * archive holds it only encrypted, that the page text was redacted, and that the earlier revision in
 * the edit history must be deleted; asks the supervisors to see to it (issue 5 item 11, the branch
 * without an App token allowed to delete issues).
 */
export function personalDataComment(kinds: readonly PersonalDataKind[], supervisors: readonly string[]): string {
  const lines = [
    `为保护您的隐私：您填写的内容中有${describeKinds(kinds)}。投诉档案中已隐去这些信息，原文已加密保存，只有经授权的工作人员可以查看；本页正文中的这些信息也已隐去。`,
    '',
    'GitHub 会在“编辑历史”中保留修改前的版本，任何人都能查看。请点击正文上方的“已编辑”（edited），选择修改前的版本，再选择“从历史记录中删除此修订”（Delete revision from history）。',
  ];
  if (supervisors.length > 0) lines.push('', `${supervisors.map((handle) => `@${handle}`).join(' ')} 请主管核实，确保原始版本已从编辑历史中删除。`);
  return lines.join('\n');
}
