import { IANAZone } from 'luxon';
import { z } from 'zod';
import { CHANNELS, PRESETS, PROJECT_TYPES, URGENCIES } from './vocabulary.ts';
import { DEFAULT_REMINDERS, PRESET_SETTINGS } from './presets.ts';

/** The clocks of SPEC §5, by JSON name. */
export const CLOCK_NAMES = [
  'ack',
  'acceptance',
  'reply',
  'onsite',
  'first_solution',
  'first_response',
  'result',
  'decision',
  'forwarded',
  'visit',
] as const;
export type ClockName = (typeof CLOCK_NAMES)[number];

export const CLOCK_LABELS: Record<ClockName, string> = {
  ack: '网上投诉礼貌回应',
  acceptance: '受理告知',
  reply: '答复投诉人',
  onsite: '到场核查',
  first_solution: '初步解决方案',
  first_response: '首次响应',
  result: '结果反馈',
  decision: '确定处理方式',
  forwarded: '转办期限',
  visit: '回访',
};

const key = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lowercase key such as "engineering"');
const handle = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'expected a GitHub handle');
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time such as "08:30"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as "2027-01-01"');
const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month such as "2026-10"');

/** A time limit as written in org.yaml ("4 h", "same day", "2 working days", "15 days", "deadline"). */
export type Limit =
  | { kind: 'hours'; hours: number }
  | { kind: 'same_day' }
  | { kind: 'working_days'; days: number }
  | { kind: 'days'; days: number }
  | { kind: 'deadline' };

const LIMIT_PATTERN = /^\s*(?:(\d+(?:\.\d+)?)\s*h|same day|(\d+)\s+working days?|(\d+)\s+days?|deadline)\s*$/;

export const limitSchema = z.string().transform((text, context): Limit => {
  const match = LIMIT_PATTERN.exec(text);
  if (!match) {
    context.addIssue({
      code: 'custom',
      message: `expected a limit such as "4 h", "same day", "2 working days", "15 days" or "deadline", found "${text}"`,
    });
    return z.NEVER;
  }
  if (match[1] !== undefined) return { kind: 'hours', hours: Number(match[1]) };
  if (match[2] !== undefined) return { kind: 'working_days', days: Number(match[2]) };
  if (match[3] !== undefined) return { kind: 'days', days: Number(match[3]) };
  return text.trim() === 'deadline' ? { kind: 'deadline' } : { kind: 'same_day' };
});

/** One rule of a clock: which complaints it applies to and its limit. Absent filters match everything. */
export const clockRuleSchema = z.strictObject({
  clock: z.enum(CLOCK_NAMES),
  channels: z.array(z.enum(CHANNELS)).optional(),
  urgency: z.array(z.enum(URGENCIES)).optional(),
  /** Applies only to complaints whose `source.deadline` was set by a forwarding office. */
  forwarded: z.boolean().optional(),
  limit: limitSchema,
});
export type ClockRule = z.output<typeof clockRuleSchema>;

export const categorySchema = z.strictObject({
  key,
  label: z.string().min(1),
  /** 001 §4.6.1: published on the board by default (common parts, public interest, neighbour disputes). */
  public: z.boolean(),
  description: z.string().optional(),
});
export type Category = z.output<typeof categorySchema>;

export const severityRulesSchema = z.strictObject({
  major: z.strictObject({ complainants: z.int().positive(), openDays: z.int().positive() }),
  hot: z.strictObject({
    complainants: z.int().positive(),
    sameComplaintComplainants: z.int().positive(),
    sameComplaintWithinDays: z.int().positive(),
    openDays: z.int().positive(),
  }),
  important: z.strictObject({ unresolvedWorkingDays: z.int().positive() }),
});
export type SeverityRules = z.output<typeof severityRulesSchema>;

const remindersSchema = z.strictObject({
  dueSoonShare: z.number().gt(0).lt(1).default(DEFAULT_REMINDERS.dueSoonShare),
  longOverdueShare: z.number().positive().default(DEFAULT_REMINDERS.longOverdueShare),
});

/** A figure that is constant or given per month ("2026-10": 1210) for averages over a period. */
const monthlyFigure = z.union([z.number().positive(), z.record(yearMonth, z.number().positive())]);

export const projectSchema = z.strictObject({
  key,
  name: z.string().min(1),
  type: z.enum(PROJECT_TYPES),
  /** Occupied households (residential): the denominator of 投诉率. */
  households: monthlyFigure.optional(),
  /** Managed floor area in m² (office and other): the denominator of 投诉率. */
  area: monthlyFigure.optional(),
});
export type Project = z.output<typeof projectSchema>;

export const departmentSchema = z.strictObject({
  key,
  name: z.string().min(1),
  handlers: z.array(handle).default([]),
  /** Categories routed to this department by default. */
  categories: z.array(key).default([]),
});
export type Department = z.output<typeof departmentSchema>;

/** Settings a preset supplies and org.yaml may override, section by section. */
export const orgSettingsSchema = z.strictObject({
  categories: z.array(categorySchema).min(1),
  clocks: z.array(clockRuleSchema),
  severity: severityRulesSchema,
});
export type OrgSettingsInput = z.input<typeof orgSettingsSchema>;

const AGE_RECIPIENT = /^age1[a-z0-9]{20,}$/;
const ageRecipient = z.string().regex(AGE_RECIPIENT, 'expected an age recipient (age1…)');

/**
 * Who contact data is encrypted to: one list for every year, or a list per year of receipt
 * (`{ "2026": [age1…], "2027": [age1…] }`), so that a year's envelopes can be made unreadable by
 * destroying that year's identities (crypto-shredding). Read it with `recipientsFor(org, year)`.
 */
export const recipientsSchema = z.union([
  z.array(ageRecipient),
  z.record(z.string().regex(/^\d{4}$/, 'expected a year such as "2027"'), z.array(ageRecipient)),
]);
export type RecipientsSetting = z.output<typeof recipientsSchema>;

/** 001 §4.4.2.1, §4.4.2.4: complaints are recorded at once (及时记录) and counted in each day's roll-call (日盘点), so an event recorded more than a day after it happened is reported as backdated. */
export const DEFAULT_BACKDATE_MARGIN_HOURS = 24;

/** What `complaints audit` judges: the backdating margin and whether commits must be signed. */
export const auditSettingsSchema = z.strictObject({
  backdateMarginHours: z.number().nonnegative().default(DEFAULT_BACKDATE_MARGIN_HOURS),
  requireSignedCommits: z.boolean().default(false),
  /**
   * Commits (hashes or prefixes of at least 7 characters) that brought in an existing archive before
   * it was marked with the `Complaints-Import: true` trailer: audited as imports. History cannot be
   * rewritten, so this is how such a commit is declared afterwards, in a reviewed change of org.yaml.
   */
  importCommits: z.array(z.string().regex(/^[0-9a-f]{7,40}$/, 'expected a commit hash (at least 7 hex characters)')).default([]),
});
export type AuditSettings = z.output<typeof auditSettingsSchema>;

/** A URL template for a file's history on the hosting service; `{path}` is replaced by the file's path. */
const historyUrlTemplate = z
  .string()
  .regex(/^https?:\/\/\S+$/, 'expected an http(s) URL template')
  .refine((template) => template.includes('{path}'), 'expected a URL template with {path}, such as "https://github.com/ORG/REPO/commits/main/{path}"');

/** The shape of content/org.yaml as a person writes it. */
export const orgFileSchema = z.strictObject({
  name: z.string().min(1),
  demo: z.boolean().optional(),
  preset: z.enum(PRESETS),
  /** An IANA zone: it decides the month folder a complaint lives in, so a typo must not pass. */
  timezone: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'expected an IANA time zone such as "Asia/Shanghai"')
    .default('Asia/Shanghai'),
  workday: z.strictObject({ start: clockTime, end: clockTime }).default({ start: '08:30', end: '17:30' }),
  statistics: z
    .strictObject({ yearStart: z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/) })
    .default({ yearStart: '01-01' }),
  projects: z.array(projectSchema).min(1),
  departments: z.array(departmentSchema).min(1),
  supervisors: z.array(handle).default([]),
  leadership: z.array(handle).default([]),
  recipients: recipientsSchema.default([]),
  calendar: z
    .strictObject({ overrides: z.record(isoDate, z.enum(['off', 'work'])).default({}) })
    .default({ overrides: {} }),
  reminders: remindersSchema.default({
    dueSoonShare: DEFAULT_REMINDERS.dueSoonShare,
    longOverdueShare: DEFAULT_REMINDERS.longOverdueShare,
  }),
  /** 001 篇5 五4: praise a department earned, +10 points each in its yearly assessment. */
  praise: z.array(z.strictObject({ department: key, date: isoDate, note: z.string().min(1) })).default([]),
  board: z
    .strictObject({ title: z.string().optional(), url: z.string().optional(), historyUrl: historyUrlTemplate.optional() })
    .optional(),
  audit: auditSettingsSchema.default({ backdateMarginHours: DEFAULT_BACKDATE_MARGIN_HOURS, requireSignedCommits: false, importCommits: [] }),
  categories: orgSettingsSchema.shape.categories.optional(),
  clocks: orgSettingsSchema.shape.clocks.optional(),
  severity: orgSettingsSchema.shape.severity.partial().optional(),
});
export type OrgFileInput = z.input<typeof orgFileSchema>;

/**
 * The organisation as every part of the system sees it: org.yaml with its preset filled in. A section
 * org.yaml names replaces the preset's section of the same name; for clocks, the org's rules for a
 * clock replace all of the preset's rules for that clock.
 */
export const orgSchema = orgFileSchema
  .transform((file) => {
    const preset = orgSettingsSchema.parse(PRESET_SETTINGS[file.preset]);
    const overridden = new Set((file.clocks ?? []).map((rule) => rule.clock));
    return {
      ...file,
      categories: file.categories ?? preset.categories,
      clocks: [...preset.clocks.filter((rule) => !overridden.has(rule.clock)), ...(file.clocks ?? [])],
      severity: { ...preset.severity, ...file.severity },
    };
  })
  .superRefine((org, context) => {
    const categoryKeys = new Set(org.categories.map((category) => category.key));
    const unique = (items: { key: string }[], path: string) => {
      const seen = new Set<string>();
      items.forEach((item, index) => {
        if (seen.has(item.key)) context.addIssue({ code: 'custom', path: [path, index, 'key'], message: `duplicate key "${item.key}"` });
        seen.add(item.key);
      });
    };
    unique(org.categories, 'categories');
    unique(org.projects, 'projects');
    unique(org.departments, 'departments');
    const departmentKeys = new Set(org.departments.map((department) => department.key));
    org.praise.forEach((praise, index) => {
      if (!departmentKeys.has(praise.department))
        context.addIssue({ code: 'custom', path: ['praise', index, 'department'], message: `unknown department "${praise.department}"` });
    });
    org.departments.forEach((department, index) =>
      department.categories.forEach((category, categoryIndex) => {
        if (!categoryKeys.has(category))
          context.addIssue({
            code: 'custom',
            path: ['departments', index, 'categories', categoryIndex],
            message: `unknown category "${category}"`,
          });
      }),
    );
    if (org.workday.start >= org.workday.end)
      context.addIssue({ code: 'custom', path: ['workday'], message: 'the working day must end after it starts' });
  });
export type Org = z.output<typeof orgSchema>;
