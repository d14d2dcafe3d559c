import type { ComplaintData } from '../core/complaint/schema.ts';
import { STATE_LABELS, stateOf } from '../core/complaint/states.ts';
import type { Org } from '../core/org/schema.ts';
import { URGENCY_LABELS, type Urgency } from '../core/org/vocabulary.ts';
import type { GitHubLabel } from './github-port.ts';
import { labelName } from './labels.ts';

/**
 * The labels a complaint's tracking issue carries (issue 5 item 2), shared by intake and the
 * workflows that keep issues in step with the files. Names are zh-CN, for the people who filter by
 * them; a family of labels shares a prefix (`分类:设备管理`, `状态:已登记`) and a colour.
 */

/** The label the public complaint form and the staff form put on every complaint issue. */
export const COMPLAINT_LABEL = '投诉';
/** The label of the staff registration form (offline channels). */
export const STAFF_REGISTRATION_LABEL = '线下登记';
/** Intake could not register the issue: the complainant is asked to edit it. */
export const NEEDS_INFORMATION_LABEL = '需补充信息';
/** Personal data was found in the public issue: a supervisor must have the revision deleted. */
export const PERSONAL_DATA_LABEL = '个人信息待处理';
/** The category was guessed from keywords: a handler confirms or corrects it. */
export const CATEGORY_GUESS_LABEL = '分类待确认';
/** Intake found open complaints that may be the same matter. */
export const POSSIBLE_DUPLICATE_LABEL = '可能重复';

export const LABEL_PREFIXES = {
  category: '分类:',
  urgency: '紧急程度:',
  department: '部门:',
  state: '状态:',
} as const;

const COLOURS = {
  complaint: 'b60205',
  staff: '5319e7',
  needsInformation: 'e99695',
  personalData: 'd93f0b',
  guess: 'fef2c0',
  duplicate: 'cfd3d7',
  category: 'c5def5',
  department: 'd4c5f9',
  state: '1d76db',
} as const;

const URGENCY_COLOURS: Record<Urgency, string> = { urgent: 'b60205', general: 'fbca04', non_urgent: '0e8a16' };

/** The labels every complaint repository needs before the first complaint arrives (the forms apply the first two). */
export const BASE_LABELS: readonly GitHubLabel[] = [
  { name: COMPLAINT_LABEL, color: COLOURS.complaint, description: '投诉议题（由投诉表单添加）' },
  { name: STAFF_REGISTRATION_LABEL, color: COLOURS.staff, description: '工作人员登记的线下投诉' },
  { name: NEEDS_INFORMATION_LABEL, color: COLOURS.needsInformation, description: '暂未登记：请按留言修改议题内容' },
  { name: PERSONAL_DATA_LABEL, color: COLOURS.personalData, description: '议题含个人信息：请主管删除编辑历史中的原始版本' },
  { name: CATEGORY_GUESS_LABEL, color: COLOURS.guess, description: '分类由系统推测，请处理人确认' },
  { name: POSSIBLE_DUPLICATE_LABEL, color: COLOURS.duplicate, description: '可能与其他投诉相同，请处理人核实' },
];

/** The label families that describe a complaint's file: set from the file, replaced whenever it changes. */
export const COMPLAINT_FILE_LABEL_PREFIXES: readonly string[] = Object.values(LABEL_PREFIXES);

function categoryName(org: Pick<Org, 'categories'>, key: string): string {
  return org.categories.find((category) => category.key === key)?.label ?? key;
}

/**
 * The labels that say what a complaint's file says: category, urgency, department and state. The
 * same function serves intake and later synchronisation, so an issue's labels always follow its file.
 */
export function complaintLabels(complaint: ComplaintData, org: Pick<Org, 'categories' | 'departments'>): GitHubLabel[] {
  const labels: GitHubLabel[] = [
    { name: labelName(`${LABEL_PREFIXES.category}${categoryName(org, complaint.category)}`), color: COLOURS.category, description: '投诉分类' },
    { name: labelName(`${LABEL_PREFIXES.urgency}${URGENCY_LABELS[complaint.urgency]}`), color: URGENCY_COLOURS[complaint.urgency], description: '紧急程度' },
  ];
  const department = complaint.department ? org.departments.find((item) => item.key === complaint.department) : undefined;
  if (complaint.department)
    labels.push({ name: labelName(`${LABEL_PREFIXES.department}${department?.name ?? complaint.department}`), color: COLOURS.department, description: '责任部门' });
  labels.push({ name: labelName(`${LABEL_PREFIXES.state}${STATE_LABELS[stateOf(complaint)]}`), color: COLOURS.state, description: '处理状态' });
  return labels;
}

/** Whether an issue's labels show that its complaint file was registered and labelled. */
export function hasStateLabel(labels: readonly string[]): boolean {
  return labels.some((label) => label.startsWith(LABEL_PREFIXES.state));
}
