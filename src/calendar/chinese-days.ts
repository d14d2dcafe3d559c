import { z } from 'zod';
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { HolidaySource, OfficialDayKind } from '../core/calendar.ts';

/**
 * The official mainland China holiday schedule (国务院办公厅节假日安排, with 调休) from the maintained
 * `chinese-days` package, as the calendar's `HolidaySource`.
 *
 * Two things in the package's own API make it unfit to use directly, so this adapter reads the data
 * the package publishes (`dist/chinese-days.json`) instead:
 * - `isWorkday` silently falls back to Monday–Friday for a year it has no data for, so a deadline in
 *   an unpublished year would look certain. Coverage is taken from the years the data holds.
 * - its date parser builds the date in UTC and reads it back in the host's local zone, so on a machine
 *   west of Greenwich `getDayDetail("2026-10-10")` answers for 2026-10-09. A lookup by the date string
 *   has no such dependency.
 */

const dayTable = z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.string());
const chineseDaysSchema = z.object({
  /** Official holidays (放假), including weekend days inside a holiday block. */
  holidays: dayTable,
  /** Adjusted working days (调休上班), weekend days that are worked. */
  workdays: dayTable,
});

/** The package's data, checked once so a changed layout fails loudly rather than silently. */
const data = chineseDaysSchema.parse(chineseDaysData);

function yearsOf(...tables: Record<string, string>[]): number[] {
  return [...new Set(tables.flatMap((table) => Object.keys(table).map((date) => Number(date.slice(0, 4)))))].sort((a, b) => a - b);
}

/** The years whose official schedule the installed package holds (2004–2026 in chinese-days 1.5.7). */
export const CHINESE_DAYS_COVERED_YEARS: readonly number[] = yearsOf(data.holidays, data.workdays);

const covered = new Set(CHINESE_DAYS_COVERED_YEARS);

/** The holiday source the CLI, the Actions and the board use. */
export const chineseDaysSource: HolidaySource = {
  name: 'chinese-days',
  covers: (year) => covered.has(year),
  officialDay(date): OfficialDayKind | undefined {
    if (Object.hasOwn(data.workdays, date)) return 'work';
    if (Object.hasOwn(data.holidays, date)) return 'off';
    return undefined;
  },
};
