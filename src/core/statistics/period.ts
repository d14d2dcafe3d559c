import { DateTime } from 'luxon';
import { zoneOf } from '../time-zone.ts';

/** `2026-10-01T00:00:00+08:00`, as every other time the CLI prints. */
const ISO_OPTIONS = { suppressMilliseconds: true } as const;

export type PeriodKind = 'month' | 'quarter' | 'year';

/** A reporting period in the organisation's time zone: [start, end), as instants. */
export interface Period {
  kind: PeriodKind;
  /** `2026-10`, `2026-Q4`, `2026`. */
  label: string;
  /** First instant of the period (ISO with offset). */
  start: string;
  /** First instant after the period (ISO with offset). */
  end: string;
  /** First instant of the statistics year the period belongs to (001 §4.2.3: 累计 counts from here). */
  yearStart: string;
}

/** Raised for a period that is not `YYYY-MM`, `YYYY-Qn` or `YYYY`. */
export class PeriodFormatError extends Error {
  override readonly name = 'PeriodFormatError';
  constructor(text: string) {
    super(`not a period: "${text}" (expected YYYY-MM, YYYY-Qn or YYYY)`);
  }
}

function statisticsYearStart(start: DateTime, yearStart: string): DateTime {
  const [month, day] = yearStart.split('-').map(Number) as [number, number];
  let candidate = start.set({ month, day }).startOf('day');
  if (candidate > start) candidate = candidate.minus({ years: 1 });
  return candidate;
}

/**
 * The period named by `text` in `timezone`. `yearStart` ("MM-DD", org.yaml statistics.yearStart) sets
 * where the statistics year, and so the cumulative figures, begins.
 */
export function parsePeriod(text: string, timezone: string, yearStart = '01-01'): Period {
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  const quarter = /^(\d{4})-Q([1-4])$/.exec(text);
  const year = /^(\d{4})$/.exec(text);
  let start: DateTime;
  let end: DateTime;
  let kind: PeriodKind;
  if (month) {
    kind = 'month';
    start = DateTime.fromObject({ year: Number(month[1]), month: Number(month[2]), day: 1 }, { zone: zoneOf(timezone) });
    end = start.plus({ months: 1 });
  } else if (quarter) {
    kind = 'quarter';
    start = DateTime.fromObject({ year: Number(quarter[1]), month: (Number(quarter[2]) - 1) * 3 + 1, day: 1 }, { zone: zoneOf(timezone) });
    end = start.plus({ months: 3 });
  } else if (year) {
    kind = 'year';
    const [yearMonth, yearDay] = yearStart.split('-').map(Number) as [number, number];
    start = DateTime.fromObject({ year: Number(year[1]), month: yearMonth, day: yearDay }, { zone: zoneOf(timezone) });
    end = start.plus({ years: 1 });
  } else {
    throw new PeriodFormatError(text);
  }
  if (!start.isValid) throw new PeriodFormatError(text);
  return {
    kind,
    label: text,
    start: start.toISO(ISO_OPTIONS)!,
    end: end.toISO(ISO_OPTIONS)!,
    yearStart: statisticsYearStart(start, yearStart).toISO(ISO_OPTIONS)!,
  };
}

/** The months `YYYY-MM` a period covers, for averaging monthly figures. */
export function monthsOf(period: Pick<Period, 'start' | 'end'>, timezone: string): string[] {
  const months: string[] = [];
  let cursor = DateTime.fromISO(period.start, { zone: zoneOf(timezone) }).startOf('month');
  const end = DateTime.fromISO(period.end, { zone: zoneOf(timezone) });
  while (cursor < end) {
    months.push(cursor.toFormat('yyyy-MM'));
    cursor = cursor.plus({ months: 1 });
  }
  return months;
}

/** The period just before, of the same kind: trends compare against these. */
export function previousPeriod(period: Period, timezone: string, yearStart = '01-01'): Period {
  const start = DateTime.fromISO(period.start, { zone: zoneOf(timezone) });
  const previous =
    period.kind === 'month'
      ? start.minus({ months: 1 }).toFormat('yyyy-MM')
      : period.kind === 'quarter'
        ? `${start.minus({ months: 3 }).year}-Q${Math.floor((start.minus({ months: 3 }).month - 1) / 3) + 1}`
        : String(start.minus({ years: 1 }).year);
  return parsePeriod(previous, timezone, yearStart);
}
