import type { DateTime } from 'luxon';
import type { OrgFileInput } from '../core/org/schema.ts';

/**
 * The demo organisation (SPEC §5a): a property-management service centre on the `property` preset with
 * two residential estates (one whose occupied households grow month by month) and two office buildings,
 * one under and one over 100,000 m² so the report can compare similar projects (SPEC §6).
 */

export const DEMO_ORGANISATION_NAME = '示例物业服务中心（演示数据）';

/**
 * The public half of the committed demo identity (demo/DEMO-ONLY-age-identity.txt). Contacts in the
 * demo archive are encrypted to it; it protects nothing real.
 */
export const DEMO_RECIPIENT = 'age1akw0hckutl7gk7wmump34hms7gu3fs68hxxmmh4n5veww97ncsqqcs7r85';

export const DEMO_TIMEZONE = 'Asia/Shanghai';
export const DEMO_WORKDAY = { start: '08:30', end: '17:30' } as const;

/** Who does what in the demo; invented handles. */
export const DEMO_STAFF = {
  /** Front desk and the 24-hour duty line (客户服务中心). */
  reception: ['cs-zheng', 'cs-wang'],
  duty: 'cs-feng',
  /** Registers complaints that arrive through the online issue form. */
  intake: 'intake-bot',
  /** 监控部 / 品质部: verification, escalation. */
  supervisor: 'qa-jiang',
  /** 总经理: approves write-offs, receives major complaints. */
  leadership: 'gm-shen',
} as const;

/** Occupied households of 兰亭花园 in its first demo month, and how many move in each month. */
const LANTING_FIRST_MONTH_HOUSEHOLDS = 860;
const LANTING_MONTHLY_MOVE_INS = 7;

/** `households` per month ("2026-10": 902) for every month from `first` to `last`. */
function monthlyHouseholds(first: DateTime, last: DateTime): Record<string, number> {
  const figures: Record<string, number> = {};
  let month = first.startOf('month');
  let households = LANTING_FIRST_MONTH_HOUSEHOLDS;
  while (month <= last) {
    figures[month.toFormat('yyyy-MM')] = households;
    households += LANTING_MONTHLY_MOVE_INS;
    month = month.plus({ months: 1 });
  }
  return figures;
}

/** content/org.yaml of the demo, with the per-month figures covering `first` to `last`. */
export function demoOrganisation(first: DateTime, last: DateTime): OrgFileInput {
  return {
    name: DEMO_ORGANISATION_NAME,
    demo: true,
    preset: 'property',
    timezone: DEMO_TIMEZONE,
    workday: { ...DEMO_WORKDAY },
    statistics: { yearStart: '01-01' },
    projects: [
      { key: 'cuiyuan', name: '翠苑小区', type: 'residential', households: 1200 },
      { key: 'lanting', name: '兰亭花园', type: 'residential', households: monthlyHouseholds(first, last) },
      { key: 'guomao', name: '国贸大厦', type: 'office', area: 85000 },
      { key: 'kechuang', name: '科创中心', type: 'office', area: 126000 },
    ],
    departments: [
      { key: 'engineering', name: '工程部', handlers: ['eng-zhao', 'eng-qian'], categories: ['housing', 'equipment'] },
      { key: 'security', name: '秩序维护部', handlers: ['sec-sun', 'sec-li'], categories: ['security'] },
      { key: 'environment', name: '环境管理部', handlers: ['env-zhou', 'env-wu'], categories: ['environment'] },
      {
        key: 'customer_service',
        name: '客户服务中心',
        handlers: ['cs-zheng', 'cs-wang', 'cs-feng'],
        categories: ['general_service', 'neighbour_dispute', 'other'],
      },
      { key: 'developer_liaison', name: '地产联络组', handlers: ['dev-chen'], categories: ['developer'] },
    ],
    supervisors: [DEMO_STAFF.supervisor],
    leadership: [DEMO_STAFF.leadership],
    recipients: [DEMO_RECIPIENT],
    board: { title: '示例物业服务中心投诉处理公示栏（演示数据）' },
  };
}
