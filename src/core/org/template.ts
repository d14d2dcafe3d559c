import { PRESET_SETTINGS } from './presets.ts';
import type { PresetName, ProjectType } from './vocabulary.ts';

/** What a new organisation of each kind starts with: its name, one sample project, two sample departments. */
interface PresetSample {
  organisation: string;
  project: { key: string; name: string; type: ProjectType; figure: 'households' | 'area'; value: number; comment: string };
  /** The first department takes these categories; the second takes every other category of the preset. */
  firstDepartment: { key: string; name: string; categories: readonly string[] };
  secondDepartment: { key: string; name: string };
}

const SAMPLES: Record<PresetName, PresetSample> = {
  property: {
    organisation: '示例物业服务中心',
    project: { key: 'sample_estate', name: '示例小区', type: 'residential', figure: 'households', value: 1000, comment: '入住户数 occupied households: the denominator of 投诉率' },
    // 001 §4.2.1 ①②: housing and equipment go to the engineering department.
    firstDepartment: { key: 'engineering', name: '工程部', categories: ['housing', 'equipment'] },
    secondDepartment: { key: 'customer_service', name: '客户服务中心' },
  },
  campus: {
    organisation: '示例大学后勤服务中心',
    project: { key: 'main_campus', name: '主校区', type: 'other', figure: 'area', value: 500000, comment: '管理面积（平方米）managed floor area in m²: the denominator of 投诉率' },
    // 001 篇4 五(一)1: complaints are classified by the service centre complained about.
    firstDepartment: { key: 'catering_centre', name: '饮食服务中心', categories: ['catering'] },
    secondDepartment: { key: 'logistics_office', name: '后勤管理处办公室' },
  },
  'public-service': {
    organisation: '示例政务服务中心',
    project: { key: 'service_hall', name: '政务服务大厅', type: 'other', figure: 'area', value: 6000, comment: '管理面积（平方米）managed floor area in m²: the denominator of 投诉率' },
    // 004: window staff answer for attitude and business handling.
    firstDepartment: { key: 'service_windows', name: '综合受理窗口', categories: ['attitude', 'business'] },
    secondDepartment: { key: 'general_office', name: '办公室' },
  },
};

/** A YAML scalar for any text: JSON strings are valid YAML, so names with ":" or "#" stay intact. */
function scalar(text: string): string {
  return JSON.stringify(text);
}

function list(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

/** The organisation name `init` writes when none is given. */
export function defaultOrganisationName(preset: PresetName): string {
  return SAMPLES[preset].organisation;
}

/**
 * The text of content/org.yaml for a new organisation of the given kind: every section commented in
 * zh-CN and English, one sample project, two sample departments that between them take every category
 * of the preset, and no recipients yet (made with `complaints keygen`). It parses with `parseOrg`.
 */
export function orgTemplate(preset: PresetName, options: { name?: string } = {}): string {
  const sample = SAMPLES[preset];
  const settings = PRESET_SETTINGS[preset];
  const categories = settings.categories.map((category) => category.key);
  const first = sample.firstDepartment.categories.filter((key) => categories.includes(key));
  const second = categories.filter((key) => !first.includes(key));
  const name = options.name ?? sample.organisation;
  const project = sample.project;
  const categoryLines = settings.categories.map(
    (category) => `#   ${category.key.padEnd(18)} ${category.label}${category.public ? '' : '（默认不公示 not published by default）'}`,
  );
  const clockLines = settings.clocks.map((rule) => {
    const filters = [
      rule.channels ? `channels: ${list(rule.channels)}` : undefined,
      rule.urgency ? `urgency: ${list(rule.urgency)}` : undefined,
      rule.forwarded ? 'forwarded: true' : undefined,
    ].filter((filter): filter is string => filter !== undefined);
    return `#   - { clock: ${rule.clock}, ${[...filters, `limit: "${rule.limit}"`].join(', ')} }`;
  });
  return [
    '# 投诉档案 组织配置 — organisation settings of the complaint archive.',
    '# 每个投诉文件、提醒、统计报表和公示栏都读取本文件。修改后请运行 `complaints validate`。',
    '# Every complaint file, reminder, report and the notice board read this file; run',
    '# `complaints validate` after editing it.',
    '',
    '# 组织名称，显示在公示栏和报表上。The name shown on the board and in reports.',
    `name: ${scalar(name)}`,
    '',
    '# 预设：决定投诉分类、处理时限和投诉级别规则（property 物业 | campus 高校后勤 | public-service 政务服务）。',
    '# The preset supplies categories, time limits (clocks) and severity rules.',
    `preset: ${preset}`,
    '',
    '# 时区与工作时间：时限按工作日历计算（法定节假日及调休）。Time zone and working hours for the clocks.',
    'timezone: Asia/Shanghai',
    'workday: { start: "08:30", end: "17:30" }',
    '',
    '# 统计年度起始日（月-日）。The first day of the statistics year (month-day).',
    'statistics: { yearStart: "01-01" }',
    '',
    '# 管理项目：投诉按项目统计。住宅填入住户数 households，写字楼及其他填管理面积 area（平方米）；',
    '# 也可按月填写，如 households: { "2026-10": 1210 }。',
    '# Managed properties or sites. Residential: occupied households; office and other: floor area in m².',
    '# Either may be a map from month to figure for averages over a period.',
    'projects:',
    `  - key: ${project.key}`,
    `    name: ${scalar(project.name)}`,
    `    type: ${project.type}            # residential | office | other`,
    `    ${project.figure}: ${project.value}  # ${project.comment}`,
    '',
    '# 部门：每类投诉默认分派给 categories 中列出该类的部门；handlers 填写处理人的 GitHub 账号。',
    '# Departments. A complaint goes to the department whose categories include its category;',
    '# handlers are the GitHub handles of the people who handle it.',
    'departments:',
    `  - key: ${sample.firstDepartment.key}`,
    `    name: ${scalar(sample.firstDepartment.name)}`,
    '    handlers: []',
    `    categories: ${list(first)}`,
    `  - key: ${sample.secondDepartment.key}`,
    `    name: ${scalar(sample.secondDepartment.name)}`,
    '    handlers: []',
    `    categories: ${list(second)}`,
    '',
    '# 主管（监控部）与领导：接收督办和超时提醒的 GitHub 账号。',
    '# Supervisors get escalations and the daily roll-call; leadership gets long-overdue reminders.',
    'supervisors: []',
    'leadership: []',
    '',
    '# 加密接收人：投诉人的姓名、电话、地址只以加密形式保存，只有持有对应私钥的人能解密。',
    '# 运行 `complaints keygen --out 私钥文件` 生成密钥，把输出的 age1… 公钥加到这里；私钥妥善保管，切勿提交。',
    '# Age recipients that contact data is encrypted to. Run `complaints keygen --out FILE`, add the',
    '# age1… recipient it prints here, and keep the identity file secret (never commit it).',
    'recipients: []',
    '',
    '# 日历调整：官方节假日数据尚未发布的年份，可在此指定休息日（off）或调休上班日（work）。',
    '# Calendar overrides for years the official holiday data does not cover yet.',
    'calendar:',
    '  overrides: {}',
    '  # overrides: { "2027-01-01": off, "2027-02-07": work }',
    '',
    '# 以下各节默认取自预设，写出同名一节即可整体替换。Sections below come from the preset; writing a',
    '# section of the same name replaces the preset\'s.',
    '#',
    '# 本预设的投诉分类 categories of this preset (key, label):',
    ...categoryLines,
    '# 写出 categories 一节即替换以上全部分类 a categories section replaces all of them:',
    '# categories:',
    ...settings.categories.slice(0, 1).map((category) => `#   - { key: ${category.key}, label: ${category.label}, public: ${category.public} }`),
    '#',
    '# 本预设的处理时限 clocks of this preset; an org rule for a clock replaces all preset rules for it:',
    ...clockLines,
    '#',
    '# 提醒：时限过去该比例时提示"即将到期"。Reminders: "due soon" once this share of a window has passed.',
    '# reminders: { dueSoonShare: 0.75, longOverdueShare: 1 }',
    '#',
    '# 公示栏 notice board:',
    '# board: { title: 投诉处理公示, url: https://example.org/complaints/ }',
    '',
  ].join('\n');
}
