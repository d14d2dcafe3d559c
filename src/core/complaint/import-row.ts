import type { Org } from '../org/schema.ts';
import {
  CHANNEL_LABELS,
  CHANNELS,
  NATURE_LABELS,
  NATURES,
  NO_VISIT_LABELS,
  NO_VISIT_REASONS,
  REPLY_METHODS,
  URGENCIES,
  URGENCY_LABELS,
  VISIT_METHODS,
  type Channel,
} from '../org/vocabulary.ts';
import { findPersonalData, namesInContact, PERSONAL_DATA_LABELS, PERSONAL_DATA_NAMES } from '../pii.ts';
import type { CsvRecord } from '../csv-records.ts';
import { InvalidInstantError, resolveInstant, routeDepartment, yearOfReceipt } from './new-complaint.ts';
import type { ComplaintEvent, ComplaintInput } from './schema.ts';

/**
 * One row of a paper or spreadsheet archive (`complaints import --csv FILE`, issue 6 §1) as a
 * complaint: the columns, how each is read, and the events its dates stand for. Pure: the
 * organisation comes in, a draft and the row's problems go out; contact data stays plaintext here and
 * is encrypted by the command before anything is written.
 *
 * Headers are the English keys below or their zh-CN names (登记时间, 渠道 …), in any order; unknown
 * headers are refused so a misspelt column is not silently dropped. Values that name a vocabulary
 * item (channel, category, project, department, urgency, nature, reply and visit methods, no-visit
 * reason) may be the key or the zh-CN label.
 */

export interface ImportColumn {
  key: string;
  label: string;
  required?: boolean;
  description: string;
}

export const IMPORT_COLUMNS = [
  { key: 'received_at', label: '登记时间', required: true, description: 'when the complaint was received: ISO 8601, or "2025-03-05 09:30" / "2025-03-05" in the org time zone' },
  { key: 'channel', label: '渠道', required: true, description: 'channel key or label (phone / 来电, visit / 来访, letter / 来信 …)' },
  { key: 'received_by', label: '登记人', required: true, description: 'staff handle of who took it' },
  { key: 'project', label: '项目', description: 'project key or name; may be left out when org.yaml has one project' },
  { key: 'category', label: '分类', required: true, description: 'category key or label (root cause)' },
  { key: 'title', label: '标题', required: true, description: 'short title, no personal data' },
  { key: 'body', label: '内容', required: true, description: 'the complaint text, no personal data' },
  { key: 'location', label: '位置', description: 'building, room' },
  { key: 'reference', label: '原编号', description: 'the number in the old archive (kept as source.reference)' },
  { key: 'urgency', label: '紧急程度', description: 'urgent / general / non_urgent or 紧急 / 一般 / 非紧急' },
  { key: 'complainants', label: '投诉人数', description: 'how many people raised it (default 1)' },
  { key: 'anonymous', label: '匿名', description: '是/否' },
  { key: 'nature', label: '性质', description: 'person / machine / material / method / environment or 人 / 机 / 料 / 法 / 环' },
  { key: 'department', label: '责任部门', description: 'department key or name (default: routed by category)' },
  { key: 'handled_by', label: '经办人', description: 'staff handle recorded on the handling events (default: received_by)' },
  { key: 'assignees', label: '处理人', description: 'staff handles separated by spaces, commas or 、' },
  { key: 'name', label: '姓名', description: 'complainant name (encrypted)' },
  { key: 'phone', label: '电话', description: 'complainant phone (encrypted)' },
  { key: 'email', label: '邮箱', description: 'complainant e-mail (encrypted)' },
  { key: 'address', label: '地址', description: 'complainant address (encrypted)' },
  { key: 'accepted_at', label: '受理时间', description: 'when it was accepted' },
  { key: 'rejected_at', label: '不予受理时间', description: 'when it was rejected (instead of being handled)' },
  { key: 'rejected_reason', label: '不予受理原因', description: 'why, and where the complainant was sent' },
  { key: 'assigned_at', label: '分派时间', description: 'when it was assigned to the department' },
  { key: 'investigated_at', label: '调查时间', description: 'when it was investigated (default: the reply time)' },
  { key: 'replied_at', label: '答复时间', description: 'when the complainant was answered' },
  { key: 'reply_method', label: '答复方式', description: 'phone / onsite / letter / email / online / sms / other or 电话 / 现场 / 书面 / 邮件 / 网上 / 短信 / 其他' },
  { key: 'reply_summary', label: '答复内容', description: 'what the answer said' },
  { key: 'visited_at', label: '回访时间', description: 'when the follow-up visit took place' },
  { key: 'visit_method', label: '回访方式', description: 'phone / onsite / online / survey or 电话 / 现场 / 网上 / 问卷' },
  { key: 'satisfied', label: '是否满意', description: '是/否' },
  { key: 'score', label: '评分', description: '1–5' },
  { key: 'no_visit', label: '免回访原因', description: 'on_the_spot / anonymous / no_contact / sensitive or their labels' },
  { key: 'closed_at', label: '关闭时间', description: 'when it was closed' },
  { key: 'corrective_action', label: '纠正措施', description: 'needed to close' },
  { key: 'lessons', label: '经验教训', description: 'needed to close' },
] as const satisfies readonly ImportColumn[];

export type ImportColumnKey = (typeof IMPORT_COLUMNS)[number]['key'];
export type ImportRow = Partial<Record<ImportColumnKey, string>>;

/** A problem of the CSV file, on a line (1-based; the header is the first record). */
export interface ImportProblem {
  line: number;
  message: string;
}

const COLUMN_BY_NAME = new Map<string, ImportColumnKey>(IMPORT_COLUMNS.flatMap((column) => [[column.key, column.key] as const, [column.label, column.key] as const]));

/** Reads the header record into column keys; unknown and repeated headers are problems. */
export function readHeader(record: CsvRecord): { columns: (ImportColumnKey | undefined)[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const seen = new Set<ImportColumnKey>();
  const columns = record.fields.map((field) => {
    const name = field.trim();
    const key = COLUMN_BY_NAME.get(name) ?? COLUMN_BY_NAME.get(name.toLowerCase());
    if (!key) {
      problems.push({ line: record.line, message: `unknown column "${name}"; the columns are ${IMPORT_COLUMNS.map((column) => `${column.key} (${column.label})`).join(', ')}（未知列）` });
      return undefined;
    }
    if (seen.has(key)) problems.push({ line: record.line, message: `column "${name}" appears twice（列重复）` });
    seen.add(key);
    return key;
  });
  for (const column of IMPORT_COLUMNS) {
    if ('required' in column && column.required && !seen.has(column.key))
      problems.push({ line: record.line, message: `missing required column ${column.key} (${column.label})（缺少必填列）` });
  }
  return { columns, problems };
}

/** One record as a row by column key, trimmed, empty cells left out. */
export function rowOf(record: CsvRecord, columns: readonly (ImportColumnKey | undefined)[]): ImportRow {
  const row: ImportRow = {};
  record.fields.forEach((field, index) => {
    const key = columns[index];
    const value = field.trim();
    if (key && value !== '') row[key] = value;
  });
  return row;
}

const REPLY_METHOD_LABELS: Record<(typeof REPLY_METHODS)[number], readonly string[]> = {
  phone: ['电话'],
  onsite: ['现场', '当面'],
  letter: ['书面', '信函'],
  email: ['邮件', '电子邮件'],
  online: ['网上', '网络'],
  sms: ['短信'],
  other: ['其他', '其它'],
};
const VISIT_METHOD_LABELS: Record<(typeof VISIT_METHODS)[number], readonly string[]> = {
  phone: ['电话'],
  onsite: ['现场', '上门'],
  online: ['网上', '网络'],
  survey: ['问卷'],
};
const YES = new Set(['是', '满意', 'y', 'yes', 'true', '1']);
const NO = new Set(['否', '不满意', 'n', 'no', 'false', '0']);

/** Splits a list of handles as people type them. */
function handles(text: string): string[] {
  return text.split(/[\s,，、;；]+/).filter(Boolean);
}

export interface ImportedContact {
  name?: string;
  phone?: string;
  email?: string;
  address?: string;
}

/** A row read into a complaint, before its id is allocated and its contact encrypted. */
export interface ImportDraft {
  line: number;
  year: number;
  receivedAt: string;
  data: ComplaintInput;
  body: string;
  contact?: ImportedContact;
}

/**
 * Reads one row into a complaint draft (id `YYYY-0000` until allocation) and every problem of the row
 * that can be told without the archive: missing or unreadable values, unknown vocabulary, milestones
 * out of order, and personal data in the title, location or text (including the row's own name).
 * The record checks of the state machine run on the draft afterwards (`checkDraft`).
 */
export function importDraft(row: ImportRow, line: number, org: Org): { draft?: ImportDraft; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const fail = (column: ImportColumnKey, message: string) => {
    const label = IMPORT_COLUMNS.find((item) => item.key === column)!.label;
    problems.push({ line, message: `${column}: ${message}（${label}）` });
  };
  const pick = <T extends string>(column: ImportColumnKey, keys: readonly T[], labels: (key: T) => readonly string[]): T | undefined => {
    const value = row[column];
    if (value === undefined) return undefined;
    const found = keys.find((key) => key === value || labels(key).includes(value));
    if (!found) fail(column, `"${value}" is not one of ${keys.map((key) => `${key} (${labels(key)[0] ?? key})`).join(', ')}`);
    return found;
  };
  const time = (column: ImportColumnKey): string | undefined => {
    const value = row[column];
    if (value === undefined) return undefined;
    try {
      return resolveInstant(value, org.timezone, { field: column });
    } catch (cause) {
      if (!(cause instanceof InvalidInstantError)) throw cause;
      fail(column, `cannot read the time "${value}"; expected ISO 8601 or "2025-03-05 09:30"`);
      return undefined;
    }
  };
  const yesNo = (column: ImportColumnKey): boolean | undefined => {
    const value = row[column]?.toLowerCase();
    if (value === undefined) return undefined;
    if (YES.has(value)) return true;
    if (NO.has(value)) return false;
    fail(column, `expected 是 or 否 (yes or no), found "${row[column]}"`);
    return undefined;
  };

  for (const column of IMPORT_COLUMNS) if ('required' in column && column.required && row[column.key] === undefined) fail(column.key, 'required value is missing');

  const receivedAt = time('received_at');
  const channel = pick<Channel>('channel', CHANNELS, (key) => [CHANNEL_LABELS[key]]);
  const category = pick('category', org.categories.map((item) => item.key), (key) => [org.categories.find((item) => item.key === key)!.label]);
  const onlyProject = org.projects.length === 1 ? org.projects[0]!.key : undefined;
  const project = row.project === undefined ? onlyProject : pick('project', org.projects.map((item) => item.key), (key) => [org.projects.find((item) => item.key === key)!.name]);
  if (row.project === undefined && !onlyProject) fail('project', 'required value is missing (org.yaml has several projects)');
  const department =
    row.department === undefined
      ? category && routeDepartment(org, category)
      : pick('department', org.departments.map((item) => item.key), (key) => [org.departments.find((item) => item.key === key)!.name]);
  const urgency = pick('urgency', URGENCIES, (key) => [URGENCY_LABELS[key]]);
  const nature = pick('nature', NATURES, (key) => [NATURE_LABELS[key].slice(0, 1), NATURE_LABELS[key]]);
  const replyMethod = pick('reply_method', REPLY_METHODS, (key) => REPLY_METHOD_LABELS[key]);
  const visitMethod = pick('visit_method', VISIT_METHODS, (key) => VISIT_METHOD_LABELS[key]);
  const noVisit = pick('no_visit', NO_VISIT_REASONS, (key) => [NO_VISIT_LABELS[key]]);
  const anonymous = yesNo('anonymous');
  const satisfied = yesNo('satisfied');
  let complainants: number | undefined;
  if (row.complainants !== undefined) {
    if (/^\d+$/.test(row.complainants) && Number(row.complainants) >= 1) complainants = Number(row.complainants);
    else fail('complainants', `expected a whole number of people, at least 1, found "${row.complainants}"`);
  }
  let score: number | undefined;
  if (row.score !== undefined) {
    if (/^[1-5]$/.test(row.score)) score = Number(row.score);
    else fail('score', `expected a score from 1 to 5, found "${row.score}"`);
  }

  const acceptedAt = time('accepted_at');
  const rejectedAt = time('rejected_at');
  const assignedAt = time('assigned_at');
  const repliedAt = time('replied_at');
  const investigatedAt = time('investigated_at') ?? repliedAt;
  const visitedAt = time('visited_at');
  const closedAt = time('closed_at');

  // Each milestone needs the ones before it, so the events replay legally (SPEC §4).
  const needs: [ImportColumnKey, string | undefined, ImportColumnKey, string | undefined][] = [
    ['assigned_at', assignedAt, 'accepted_at', acceptedAt],
    ['replied_at', repliedAt, 'assigned_at', assignedAt],
    ['visited_at', visitedAt, 'replied_at', repliedAt],
    ['closed_at', closedAt, 'replied_at', repliedAt],
  ];
  for (const [column, value, needed, neededValue] of needs) if (value && !neededValue && row[needed] === undefined) fail(column, `needs ${needed} too`);
  if (rejectedAt && (assignedAt || repliedAt || closedAt)) fail('rejected_at', 'a rejected complaint is not assigned, replied to or closed');
  if (rejectedAt && !row.rejected_reason) fail('rejected_reason', 'a rejection must say why and where the complainant can go instead');
  if (repliedAt && !row.reply_summary) fail('reply_summary', 'a reply needs its summary');
  if (visitedAt && satisfied === undefined && row.satisfied === undefined) fail('satisfied', 'a visit needs whether the complainant was satisfied');
  if (closedAt && satisfied !== true && !noVisit && row.no_visit === undefined) fail('closed_at', 'closing needs a satisfied visit or a no-visit reason (no_visit)');

  const contact: ImportedContact = {};
  for (const field of ['name', 'phone', 'email', 'address'] as const) if (row[field]) contact[field] = row[field];
  const hasContact = Object.keys(contact).length > 0;

  // Personal data belongs in the contact columns, which are encrypted; never in the text.
  const names = namesInContact(contact);
  for (const column of ['title', 'body', 'location', 'reply_summary', 'rejected_reason', 'corrective_action', 'lessons'] as const) {
    const text = row[column];
    if (!text) continue;
    for (const finding of findPersonalData(text, { names })) {
      fail(column, `plaintext ${PERSONAL_DATA_NAMES[finding.kind]} ${finding.masked}: remove it, or move it into the contact columns (name, phone, email, address), which are encrypted（明文${PERSONAL_DATA_LABELS[finding.kind]}）`);
    }
  }

  if (problems.length > 0 || !receivedAt || !channel || !category || !project || !row.received_by || !row.title || !row.body) return { problems };

  const receivedBy = row.received_by;
  const handledBy = row.handled_by ?? receivedBy;
  const events: ComplaintEvent[] = [{ at: receivedAt, type: 'received', by: receivedBy }];
  if (acceptedAt) events.push({ at: acceptedAt, type: 'accepted', by: receivedBy });
  if (rejectedAt) events.push({ at: rejectedAt, type: 'rejected', by: handledBy, note: row.rejected_reason! });
  if (assignedAt) events.push({ at: assignedAt, type: 'assigned', by: handledBy, ...(department ? { department } : {}) });
  if (repliedAt && investigatedAt) events.push({ at: investigatedAt, type: 'investigated', by: handledBy });
  if (repliedAt) events.push({ at: repliedAt, type: 'replied', by: handledBy });
  if (visitedAt) events.push({ at: visitedAt, type: 'visited', by: handledBy });
  if (closedAt) events.push({ at: closedAt, type: 'closed', by: handledBy });

  const data: ComplaintInput = {
    id: `${yearOfReceipt(receivedAt, org.timezone)}-0000`,
    title: row.title,
    channel,
    received_at: receivedAt,
    received_by: receivedBy,
    ...(row.reference ? { source: { reference: row.reference } } : {}),
    project,
    ...(row.location ? { location: row.location } : {}),
    complainants: complainants ?? 1,
    anonymous: anonymous ?? false,
    category,
    ...(nature ? { nature } : {}),
    urgency: urgency ?? 'general',
    ...(department ? { department } : {}),
    assignees: row.assignees ? handles(row.assignees) : [],
    events,
    ...(repliedAt ? { reply: { at: repliedAt, by: handledBy, method: replyMethod ?? 'other', summary: row.reply_summary! } } : {}),
    ...(visitedAt ? { visit: { at: visitedAt, method: visitMethod ?? 'phone', satisfied: satisfied ?? false, ...(score ? { score } : {}) } } : {}),
    ...(noVisit ? { no_visit: { reason: noVisit } } : {}),
    ...(closedAt ? { closure: { at: closedAt, basis: satisfied === true && visitedAt ? 'satisfied' : 'no_repeat_7d' } } : {}),
    ...(row.corrective_action ? { corrective_action: row.corrective_action } : {}),
    ...(row.lessons ? { lessons: row.lessons } : {}),
  } satisfies ComplaintInput;
  return {
    draft: { line, year: yearOfReceipt(receivedAt, org.timezone), receivedAt, data, body: `${row.body}\n`, ...(hasContact ? { contact } : {}) },
    problems,
  };
}
