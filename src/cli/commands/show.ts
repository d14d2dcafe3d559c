import { loadArchive } from '../../archive/archive.ts';
import type { Complaint, ComplaintData, ComplaintEvent } from '../../core/complaint/schema.ts';
import { COMPLAINT_FIELD_ORDER } from '../../core/complaint/schema.ts';
import { FIELD_LABELS } from '../../core/complaint/labels.ts';
import { STATE_LABELS, stateOf } from '../../core/complaint/states.ts';
import type { Org } from '../../core/org/schema.ts';
import { CLOCK_LABELS } from '../../core/org/schema.ts';
import {
  CHANNEL_LABELS,
  EVENT_LABELS,
  NATURE_LABELS,
  NO_VISIT_LABELS,
  SEVERITY_FLAG_LABELS,
  SEVERITY_LABELS,
  URGENCY_LABELS,
} from '../../core/org/vocabulary.ts';
import { EXIT, printJson, UsageError, type Command, type CommandContext } from '../command.ts';
import { formatProblem } from '../output.ts';

/** What `show` prints instead of the contact envelope: it is never decrypted or echoed here. */
export const ENCRYPTED_MARK = '（已加密）';

/**
 * Text from a complaint file made safe for a terminal: control characters (an ANSI escape could
 * rewrite the screen) and bidirectional overrides (which can disguise text) are shown as `\uXXXX`.
 * Newlines and tabs are kept only when `multiline`.
 */
export function terminalSafe(text: string, options: { multiline?: boolean } = {}): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (character) => {
    if (options.multiline && (character === '\n' || character === '\t')) return character;
    if (!options.multiline && character === '\n') return ' ';
    return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

function snakeToCamel(name: string): string {
  return name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** JSON key names are camelCase (SPEC §9): `received_at` → `receivedAt`, all the way down. */
export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [snakeToCamel(key), camelCaseKeys(item)]));
}

/** The label of a category, project or department key from org.yaml, with the key. */
function orgLabel(items: readonly { key: string; label?: string; name?: string }[], key: string): string {
  const item = items.find((candidate) => candidate.key === key);
  const label = item?.label ?? item?.name;
  return label ? `${label} (${key})` : key;
}

function fieldValue(field: keyof ComplaintData, data: ComplaintData, org: Org): string | undefined {
  const value = data[field];
  if (value === undefined) return undefined;
  switch (field) {
    case 'channel':
      return `${CHANNEL_LABELS[data.channel]} (${data.channel})`;
    case 'nature':
      return data.nature ? `${NATURE_LABELS[data.nature]} (${data.nature})` : undefined;
    case 'urgency':
      return `${URGENCY_LABELS[data.urgency]} (${data.urgency})`;
    case 'category':
    case 'reported_category':
      return orgLabel(org.categories, value as string);
    case 'project':
      return orgLabel(org.projects, data.project);
    case 'department':
      return data.department ? orgLabel(org.departments, data.department) : undefined;
    case 'severity': {
      const severity = data.severity;
      if (!severity) return undefined;
      const flags = severity.flags.map((flag) => SEVERITY_FLAG_LABELS[flag]).join('、');
      const override = severity.override ? `主管调整为${SEVERITY_LABELS[severity.override]}（${severity.by ?? ''}：${severity.reason ?? ''}）` : '';
      return [flags, override].filter(Boolean).join('；') || undefined;
    }
    case 'contact':
      return ENCRYPTED_MARK;
    case 'source':
      return Object.entries(data.source ?? {})
        .map(([key, item]) => `${FIELD_LABELS[key] ?? key} ${String(item)}`)
        .join('；');
    default:
      if (typeof value === 'boolean') return value ? '是 yes' : '否 no';
      if (Array.isArray(value)) return value.length > 0 ? value.join(', ') : undefined;
      return String(value);
  }
}

/** zh-CN names of reply methods and closure bases, for people reading `show`. */
const REPLY_METHOD_LABELS: Record<string, string> = {
  phone: '电话',
  onsite: '上门',
  letter: '书面',
  email: '电子邮件',
  online: '网上',
  sms: '短信',
  other: '其他',
};
const VISIT_METHOD_LABELS: Record<string, string> = { phone: '电话', onsite: '上门', online: '网上', survey: '问卷' };
const CLOSURE_BASIS_LABELS: Record<string, string> = {
  satisfied: '回访满意',
  no_repeat_7d: '免回访且一周内无再次投诉',
  written_off: '核销',
};

/** Fields printed in their own sections rather than in the list of fields. */
const SECTION_FIELDS = new Set<keyof ComplaintData>(['id', 'title', 'events', 'reply', 'visit', 'no_visit', 'closure', 'corrective_action', 'lessons']);

function eventLine(event: ComplaintEvent, org: Org): string {
  const details = [
    event.department ? `部门 ${orgLabel(org.departments, event.department)}` : undefined,
    event.reason ? `原因 ${event.reason}` : undefined,
    event.clock ? `时限 ${CLOCK_LABELS[event.clock]} (${event.clock})` : undefined,
    event.due ? `新期限 ${event.due}` : undefined,
    event.told_complainant !== undefined ? `已告知投诉人 ${event.told_complainant ? '是' : '否'}` : undefined,
    event.note ? `内部备注：${event.note}` : undefined,
    event.public_note ? `公开说明：${event.public_note}` : undefined,
  ].filter(Boolean);
  return `  ${event.at}  ${EVENT_LABELS[event.type]} ${event.type}  ${event.by}${details.length > 0 ? `  ${details.join('；')}` : ''}`;
}

/** The human form of one complaint: fields with zh-CN labels, state, timeline, records and text. */
export function formatComplaint(complaint: Complaint, org: Org): string {
  const { data } = complaint;
  const state = stateOf(data);
  const line = (label: string, value: string) => `${label}: ${value}`;
  const lines = [
    `${data.id}  ${data.title}`,
    line('状态 state', `${STATE_LABELS[state]} (${state})`),
    line('文件 file', complaint.path),
  ];
  for (const field of COMPLAINT_FIELD_ORDER) {
    if (SECTION_FIELDS.has(field)) continue;
    const value = fieldValue(field, data, org);
    if (value !== undefined) lines.push(line(`${FIELD_LABELS[field] ?? field} ${field}`, value));
  }
  lines.push('', `${FIELD_LABELS.events} events:`, ...data.events.map((event) => eventLine(event, org)));
  if (data.reply)
    lines.push('', line('答复 reply', `${data.reply.at}  ${data.reply.by}  ${REPLY_METHOD_LABELS[data.reply.method]} ${data.reply.method}：${data.reply.summary}`));
  if (data.visit) {
    const { visit } = data;
    const parts = [
      visit.at,
      `${VISIT_METHOD_LABELS[visit.method]} ${visit.method}`,
      visit.satisfied ? '满意 satisfied' : '不满意 not satisfied',
      visit.score ? `评分 ${visit.score}` : '',
      visit.comment ?? '',
    ];
    lines.push(line('回访 visit', parts.filter(Boolean).join('  ')));
  }
  if (data.no_visit) lines.push(line('免回访 no_visit', `${NO_VISIT_LABELS[data.no_visit.reason]} (${data.no_visit.reason})${data.no_visit.note ? `：${data.no_visit.note}` : ''}`));
  if (data.closure)
    lines.push(line('关闭 closure', `${data.closure.at}  ${CLOSURE_BASIS_LABELS[data.closure.basis]} ${data.closure.basis}${data.closure.note ? `：${data.closure.note}` : ''}`));
  if (data.corrective_action) lines.push(line('纠正措施 corrective_action', data.corrective_action));
  if (data.lessons) lines.push(line('经验教训 lessons', data.lessons));
  const header = lines.map((text) => terminalSafe(text)).join('\n');
  return `${header}\n\n投诉内容 text:\n${terminalSafe(complaint.body.replace(/\s+$/, ''), { multiline: true })}\n`;
}

/** The JSON form of one complaint: its fields in camelCase, its derived state, and never the contact. */
export function complaintJson(complaint: Complaint): Record<string, unknown> {
  const { contact, ...rest } = complaint.data;
  return {
    ...(camelCaseKeys(rest) as Record<string, unknown>),
    ...(contact ? { contact: { encrypted: true } } : {}),
    state: stateOf(complaint.data),
    path: complaint.path,
    body: complaint.body,
  };
}

function notFound(context: CommandContext, id: string, message: string): number {
  context.stderr(`${message.replaceAll('%s', id)}\n`);
  return EXIT.problems;
}

/**
 * `complaints show <id>`: one complaint with zh-CN labels, its derived state, the timeline, reply,
 * visit, closure and text. The contact envelope is never shown, only that there is one. With --json:
 * `{ complaint: { …fields in camelCase, state, path, body } }`. An unknown id exits 1; a complaint
 * whose file has problems is still shown, its problems go to stderr and it exits 1.
 */
export const showCommand: Command = {
  summary: 'one complaint with its state, timeline and records（查看投诉）',
  usage: 'complaints show <id> [--root DIR] [--json]',
  options: {},
  async run(context, _values, positionals) {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'show needs the id of a complaint, e.g. 2026-0001' : 'show takes exactly one id');
    const id = positionals[0]!;
    const archive = await loadArchive(context.root);
    const matches = archive.complaints.filter((complaint) => complaint.data.id === id);
    const complaint = matches.find((candidate) => candidate.path.endsWith(`/${id}.md`)) ?? matches[0];
    if (!complaint) {
      const broken = archive.problems.filter((problem) => problem.file.endsWith(`/${id}.md`));
      if (broken.length === 0) return notFound(context, terminalSafe(id), 'no complaint with id "%s"（找不到编号为 %s 的投诉）');
      for (const problem of broken) context.stderr(`${formatProblem(problem)}\n`);
      return notFound(context, id, 'complaint %s cannot be read until the problems above are fixed（投诉 %s 的文件有问题，无法显示）');
    }
    if (context.json) printJson(context, { complaint: complaintJson(complaint) });
    else context.stdout(formatComplaint(complaint, archive.org));
    const problems = archive.problems.filter((problem) => problem.file === complaint.path);
    for (const problem of problems) context.stderr(`${formatProblem(problem)}\n`);
    return problems.length > 0 ? EXIT.problems : EXIT.ok;
  },
};
