import type { PresetName } from './vocabulary.ts';
import type { OrgSettingsInput } from './schema.ts';

/**
 * What every preset shares: the urgency clocks of 003 §(二)2 / §(三)1, the forwarded-deadline clock of
 * 000 §(五)4 and the follow-up visit of 003 (visit within 3 working days of the reply).
 */
const SHARED_CLOCKS: NonNullable<OrgSettingsInput['clocks']> = [
  // 003 §(三)1: urgent faults (fire hazards, facility failures) — on site within 2 hours, around the clock.
  { clock: 'onsite', urgency: ['urgent'], limit: '2 h' },
  // 003 §(三)1: a first solution within 4 hours for urgent matters.
  { clock: 'first_solution', urgency: ['urgent'], limit: '4 h' },
  // 003 §(二)2(2): general complaints (attitude, noise) answered within 24 hours.
  { clock: 'first_response', urgency: ['general'], limit: '24 h' },
  // 003 §(二)2(3): non-urgent suggestions get a first response within 3 working days.
  { clock: 'first_response', urgency: ['non_urgent'], limit: '3 working days' },
  // 000 §(五)4: complaints forwarded by an office are handled before the deadline it set.
  { clock: 'forwarded', forwarded: true, limit: 'deadline' },
  // 003 §(四): the follow-up visit within 3 working days of the reply.
  { clock: 'visit', limit: '3 working days' },
];

/** 001 §4.6.3 (and the same thresholds for the other presets, which have no rule of their own). */
const SEVERITY_RULES: NonNullable<OrgSettingsInput['severity']> = {
  // 重大: ≥ 10-person collective complaint, or unresolved a month later for our reasons.
  major: { complainants: 10, openDays: 30 },
  // 热点: ≥ 3 different complainants of the same complaint in a month, ≥ 3-person collective,
  // or unresolved a week later for our reasons.
  hot: { complainants: 3, sameComplaintComplainants: 3, sameComplaintWithinDays: 30, openDays: 7 },
  // 重要: not properly resolved within 3 working days.
  important: { unresolvedWorkingDays: 3 },
};

const PROPERTY: OrgSettingsInput = {
  // 001 §4.2.1 ①–⑧; `public` follows 001 §4.6.1 (common parts, public interest and neighbour disputes are published).
  categories: [
    { key: 'housing', label: '房屋管理', public: true },
    { key: 'equipment', label: '设备管理', public: true },
    { key: 'security', label: '安全管理', public: true },
    { key: 'environment', label: '环境管理', public: true },
    { key: 'general_service', label: '综合服务', public: false },
    { key: 'neighbour_dispute', label: '业户纠纷', public: true },
    { key: 'developer', label: '地产相关', public: false },
    { key: 'other', label: '其它', public: true },
  ],
  clocks: [
    // 001 §4.5.4: online complaints get a polite acknowledgement within 4 hours.
    { clock: 'ack', channels: ['online'], limit: '4 h' },
    // 001 §4.6.2: visits and calls are answered the same day.
    { clock: 'reply', channels: ['visit', 'phone'], limit: 'same day' },
    // 001 §4.5.4: online complaints get concrete measures the same day.
    { clock: 'reply', channels: ['online'], limit: 'same day' },
    // 001 §4.6.2: written complaints within 2 working days.
    { clock: 'reply', channels: ['letter', 'email', 'suggestion_box', 'principal_mailbox'], limit: '2 working days' },
    ...SHARED_CLOCKS,
  ],
  severity: SEVERITY_RULES,
};

const CAMPUS: OrgSettingsInput = {
  // 001 篇4 五(一)1: complaints are classified by the service centre complained about.
  categories: [
    { key: 'catering', label: '饮食服务', public: true },
    { key: 'dormitory', label: '学生公寓', public: true },
    { key: 'transport', label: '交通服务', public: true },
    { key: 'property', label: '物业管理', public: true },
    { key: 'campus', label: '校园管理', public: true },
    { key: 'classroom', label: '教室管理', public: true },
    { key: 'engineering', label: '工程与节能', public: true },
    { key: 'office', label: '办公室与结算', public: false },
    { key: 'international', label: '国际交流', public: false },
    { key: 'kindergarten', label: '幼儿园', public: false },
    { key: 'other', label: '其它', public: true },
  ],
  clocks: [
    // 001 篇5 三4: every centre answers within 48 hours.
    { clock: 'reply', limit: '48 h' },
    // 001 篇4 五(二)1: within 15 days the office decides how the complaint will be handled.
    { clock: 'decision', limit: '15 days' },
    ...SHARED_CLOCKS,
  ],
  severity: SEVERITY_RULES,
};

const PUBLIC_SERVICE: OrgSettingsInput = {
  // 004: the classes a public service centre sorts complaints into.
  categories: [
    { key: 'attitude', label: '服务态度', public: true },
    { key: 'business', label: '业务办理', public: true },
    { key: 'policy', label: '政策咨询', public: true },
    { key: 'facilities', label: '设施环境', public: true },
    { key: 'other', label: '其它', public: true },
  ],
  clocks: [
    // 002 二3: an acceptance notice within 2 working days.
    { clock: 'acceptance', limit: '2 working days' },
    // 002 二4: the result fed back within 15 working days.
    { clock: 'result', limit: '15 working days' },
    ...SHARED_CLOCKS,
  ],
  severity: SEVERITY_RULES,
};

export const PRESET_SETTINGS: Record<PresetName, OrgSettingsInput> = {
  property: PROPERTY,
  campus: CAMPUS,
  'public-service': PUBLIC_SERVICE,
};

/** Reminder defaults: "due soon" once this share of a clock's window has passed. */
export const DEFAULT_REMINDERS = {
  dueSoonShare: 0.75,
  // Overdue by as long again as the whole window: the matter goes to leadership (篇4 (三)5 督办).
  longOverdueShare: 1,
} as const;
