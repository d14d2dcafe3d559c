import { DateTime } from 'luxon';
import type { Limit, Project } from '../core/org/schema.ts';
import { denominatorField } from '../core/statistics/rates.ts';
import { zoneOf } from '../core/time-zone.ts';

/**
 * How the board writes numbers, rates, dates and time limits for residents (zh-CN). Pure.
 */

/** Shown where a figure does not exist (no complaints, so no rate; mixed project types, so no total rate). */
export const NOT_APPLICABLE = '—';

/** 0.9362 → "93.6%"; null → "—". Rates above 100% stay as they are (closures of earlier complaints count). */
export function percent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return NOT_APPLICABLE;
  return `${(ratio * 100).toFixed(1)}%`;
}

// 001 §4.2.3 备注1: residential rates are per occupied household, shown as a percentage of households;
// office and other rates are per m² of managed floor area, shown per 10,000 m² so the figure is readable.
const AREA_RATE_UNIT_M2 = 10_000;

/** The unit a complaint rate is shown in, by what it divides by. */
export type RateBasis = 'households' | 'area';

/** The basis of a group of projects' rate, or null when households and floor area are mixed. */
export function rateBasisOf(projects: readonly Pick<Project, 'type'>[]): RateBasis | null {
  const bases = new Set(projects.map(denominatorField));
  return bases.size === 1 ? [...bases][0]! : null;
}

/** A complaint rate (complaints per household or per m²) in the unit residents read. */
export function complaintRate(rate: number | null | undefined, basis: RateBasis | null): string {
  if (rate === null || rate === undefined || basis === null || !Number.isFinite(rate)) return NOT_APPLICABLE;
  return basis === 'households' ? `${(rate * 100).toFixed(2)}%` : `${(rate * AREA_RATE_UNIT_M2).toFixed(2)} 件/万㎡`;
}

/** What a complaint rate's unit means, for table notes. */
export const RATE_BASIS_NOTES: Record<RateBasis, string> = {
  households: '住宅项目投诉率 = 投诉数 ÷ 平均入住户数',
  area: '写字楼及其他项目投诉率 = 投诉数 ÷ 平均在管建筑面积，以每万平方米计',
};

function local(iso: string, timezone: string): DateTime {
  return DateTime.fromISO(iso, { setZone: true }).setZone(zoneOf(timezone));
}

/** `2026-10-12` in the organisation's zone. */
export function localDay(iso: string, timezone: string): string {
  return local(iso, timezone).toFormat('yyyy-MM-dd');
}

/** `2026-10-12 09:30` in the organisation's zone. */
export function localDateTime(iso: string, timezone: string): string {
  return local(iso, timezone).toFormat('yyyy-MM-dd HH:mm');
}

/** `2026-10` → `2026年10月`; quarters and years likewise. */
export function periodName(label: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(label);
  if (month) return `${month[1]}年${Number(month[2])}月`;
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  if (quarter) return `${quarter[1]}年第${'一二三四'[Number(quarter[2]) - 1]}季度`;
  return `${label}年`;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole calendar days from one instant to another (never negative). */
export function daysBetween(fromIso: string, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - Date.parse(fromIso)) / DAY_MS));
}

/** A time limit as residents read it: "2 小时", "当日", "2 个工作日", "15 天", "转办单位规定的期限". */
export function limitText(limit: Limit): string {
  switch (limit.kind) {
    case 'hours':
      return `${limit.hours} 小时（全天候计时）`;
    case 'same_day':
      return '当日（非工作时间受理的，次一工作日）';
    case 'working_days':
      return `${limit.days} 个工作日`;
    case 'days':
      return `${limit.days} 天`;
    case 'deadline':
      return '转办单位规定的期限';
    default: {
      const unknown: never = limit;
      throw new Error(`unknown limit ${JSON.stringify(unknown)}`);
    }
  }
}
