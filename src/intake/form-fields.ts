import type { Org } from '../core/org/schema.ts';
import { CHANNEL_LABELS, CHANNELS, type Channel, type Urgency } from '../core/org/vocabulary.ts';

/**
 * The fields of the two issue forms (issue 5 item 1) as data: the generator writes the form templates
 * from it, and intake reads submitted issues against the same templates, so the headings a form
 * produces and the ones intake looks for can never drift apart. Option lists come from org.yaml.
 */

export const ISSUE_TEMPLATE_DIR = '.github/ISSUE_TEMPLATE';
export const COMPLAINT_FORM_FILE = `${ISSUE_TEMPLATE_DIR}/complaint.yml`;
export const STAFF_FORM_FILE = `${ISSUE_TEMPLATE_DIR}/staff-register.yml`;
export const TEMPLATE_CONFIG_FILE = `${ISSUE_TEMPLATE_DIR}/config.yml`;

/** The two forms: the public complaint form and the staff registration form for offline channels. */
export type FormKind = 'complaint' | 'staff';

/** Field ids (the keys @github/issue-parser returns). */
export const FIELD_IDS = [
  'channel',
  'received_at',
  'received_by',
  'complainants',
  'anonymous',
  'forwarded_by',
  'deadline',
  'project',
  'location',
  'category',
  'urgency',
  'description',
  'request',
  'visit',
] as const;
export type FieldId = (typeof FIELD_IDS)[number];

/** Headings of the public form: what the complainant sees and what the issue body then shows. */
export const COMPLAINT_FORM_LABELS = {
  project: '所在项目',
  location: '具体位置',
  category: '投诉类别',
  urgency: '紧急程度',
  description: '发生了什么',
  request: '希望如何处理',
  visit: '是否需要回访',
} as const satisfies Partial<Record<FieldId, string>>;

/** Headings of the staff form. */
export const STAFF_FORM_LABELS = {
  channel: '投诉渠道',
  received_at: '受理时间',
  received_by: '受理人账号',
  complainants: '投诉人数',
  anonymous: '是否匿名',
  forwarded_by: '转办单位',
  deadline: '转办期限',
  project: '所在项目',
  location: '具体位置',
  category: '投诉类别',
  urgency: '紧急程度',
  description: '投诉内容',
  request: '投诉人诉求',
} as const satisfies Partial<Record<FieldId, string>>;

export function formLabels(kind: FormKind): Partial<Record<FieldId, string>> {
  return kind === 'complaint' ? COMPLAINT_FORM_LABELS : STAFF_FORM_LABELS;
}

/** The dropdown choice for "I do not know": the category is then guessed, the urgency taken as general. */
export const UNSURE_OPTION = '不确定';

/** 003 §(二)2: the urgency classes, with the examples the seed gives, as the complainant picks them. */
export const URGENCY_OPTIONS: readonly { urgency: Urgency; text: string }[] = [
  { urgency: 'urgent', text: '紧急：火灾隐患、燃气泄漏、漏电、电梯困人、设施故障导致无法正常居住或使用' },
  { urgency: 'general', text: '一般：服务态度、噪音、卫生等需要尽快处理的问题' },
  { urgency: 'non_urgent', text: '非紧急：意见建议、轻微不便' },
];

/** Whether the complainant wants a follow-up visit (回访, 001 §4.4.4). */
export const VISIT_OPTIONS: readonly { wanted: boolean; text: string }[] = [
  { wanted: true, text: '需要：处理完成后请回访我' },
  { wanted: false, text: '不需要' },
];

export const ANONYMOUS_OPTIONS: readonly { anonymous: boolean; text: string }[] = [
  { anonymous: false, text: '否' },
  { anonymous: true, text: '是' },
];

/**
 * A dropdown option as the form may hold it: one line, and no ASCII comma, because the issue body
 * lists the chosen options separated by ", " and @github/issue-parser splits them there.
 */
export function dropdownOption(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replaceAll(',', '，').trim();
}

/** An option list with its meaning: the text shown in the form and the key it stands for. */
export interface Choice<T extends string = string> {
  text: string;
  key: T;
}

/** Makes option texts unique by adding the key to any text that occurs twice (two projects of one name). */
function uniqueTexts<T extends string>(choices: Choice<T>[]): Choice<T>[] {
  const counts = new Map<string, number>();
  for (const choice of choices) counts.set(choice.text, (counts.get(choice.text) ?? 0) + 1);
  return choices.map((choice) => (counts.get(choice.text)! > 1 ? { ...choice, text: `${choice.text}（${choice.key}）` } : choice));
}

export function projectChoices(org: Pick<Org, 'projects'>): Choice[] {
  return uniqueTexts(org.projects.map((project) => ({ text: dropdownOption(project.name), key: project.key })));
}

export function categoryChoices(org: Pick<Org, 'categories'>): Choice[] {
  return uniqueTexts(org.categories.map((category) => ({ text: dropdownOption(category.label), key: category.key })));
}

export function channelChoices(): Choice<Channel>[] {
  return CHANNELS.map((channel) => ({ text: CHANNEL_LABELS[channel], key: channel }));
}
