/**
 * The fixed vocabularies of a complaint (SPEC §3) with their zh-CN labels.
 * Categories are not here: they come from the organisation's preset or org.yaml.
 */

export const CHANNELS = [
  'online',
  'phone',
  'visit',
  'letter',
  'email',
  'suggestion_box',
  'principal_mailbox',
  'forwarded',
  'media',
  'other',
] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Record<Channel, string> = {
  online: '网上投诉',
  phone: '来电',
  visit: '来访',
  letter: '来信',
  email: '电子邮件',
  suggestion_box: '意见箱',
  principal_mailbox: '书记校长信箱',
  forwarded: '上级转办',
  media: '媒体曝光',
  other: '其他',
};

/** 5M1E (人机料法环): the nature of a complaint's cause, 001 §4.2.3 性质. */
export const NATURES = ['person', 'machine', 'material', 'method', 'environment'] as const;
export type Nature = (typeof NATURES)[number];

export const NATURE_LABELS: Record<Nature, string> = {
  person: '人（服务态度/服务规范/服务技能）',
  machine: '机（外观完好性/质量合格性/功能适用性）',
  material: '料（耐用性/经济性/准确性）',
  method: '法（制度与流程）',
  environment: '环（环境）',
};

/** 003 §(二)2: urgency classes and their response times. */
export const URGENCIES = ['urgent', 'general', 'non_urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const URGENCY_LABELS: Record<Urgency, string> = {
  urgent: '紧急',
  general: '一般',
  non_urgent: '非紧急',
};

/** 001 §4.6.3: severity levels, lowest first. */
export const SEVERITIES = ['normal', 'important', 'hot', 'major'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_LABELS: Record<Severity, string> = {
  normal: '一般投诉',
  important: '重要投诉',
  hot: '热点投诉',
  major: '重大投诉',
};

/** Facts a handler records that feed the severity rules of 001 §4.6.3. */
export const SEVERITY_FLAGS = [
  'lawsuit',
  'media',
  'possible_lawsuit',
  'possible_media',
  'group_resources',
] as const;
export type SeverityFlag = (typeof SEVERITY_FLAGS)[number];

export const SEVERITY_FLAG_LABELS: Record<SeverityFlag, string> = {
  lawsuit: '已引发法律诉讼',
  media: '已被媒体曝光',
  possible_lawsuit: '可能引发法律诉讼',
  possible_media: '可能被媒体曝光',
  group_resources: '需要利用集团资源解决',
};

export const EVENT_TYPES = [
  'received',
  'accepted',
  'rejected',
  'assigned',
  'transferred',
  'investigated',
  'plan',
  'replied',
  'verified',
  'visited',
  'escalated',
  'reopened',
  'closed',
  'written_off',
  'withdrawn',
  'paused',
  'resumed',
  'extended',
  'erased',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const EVENT_LABELS: Record<EventType, string> = {
  received: '登记',
  accepted: '受理',
  rejected: '不予受理',
  assigned: '分派',
  transferred: '转办',
  investigated: '调查核实',
  plan: '制定处理方案',
  replied: '答复投诉人',
  verified: '验证',
  visited: '回访',
  escalated: '督办/上报',
  reopened: '重新处理',
  closed: '关闭',
  written_off: '核销',
  withdrawn: '撤回',
  paused: '暂停计时',
  resumed: '恢复计时',
  extended: '延期',
  erased: '删除个人信息',
};

/** Why a clock is paused: only waiting on someone else stops the clock (SPEC §5). */
export const PAUSE_REASONS = ['complainant', 'outside_party'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

export const REPLY_METHODS = ['phone', 'onsite', 'letter', 'email', 'online', 'sms', 'other'] as const;
export const VISIT_METHODS = ['phone', 'onsite', 'online', 'survey'] as const;
export const CLOSURE_BASES = ['satisfied', 'no_repeat_7d', 'written_off'] as const;
export type ClosureBasis = (typeof CLOSURE_BASES)[number];

/** 001 §4.4.4.1: complaints that need no follow-up visit. */
export const NO_VISIT_REASONS = ['on_the_spot', 'anonymous', 'no_contact', 'sensitive'] as const;
export type NoVisitReason = (typeof NO_VISIT_REASONS)[number];

export const NO_VISIT_LABELS: Record<NoVisitReason, string> = {
  on_the_spot: '当场解决并经投诉人确认',
  anonymous: '匿名投诉',
  no_contact: '无联系方式',
  sensitive: '敏感投诉',
};

export const PROJECT_TYPES = ['residential', 'office', 'other'] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];

export const PRESETS = ['property', 'campus', 'public-service'] as const;
export type PresetName = (typeof PRESETS)[number];
