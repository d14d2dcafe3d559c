import { DateTime, IANAZone, type DateTimeMaybeValid } from 'luxon';
import type { Org } from './org/schema.ts';
import { zoneOf } from './time-zone.ts';

/**
 * The business calendar of SPEC §5: the organisation's time zone, its working hours, the official
 * mainland China holiday schedule with its adjusted working weekends (调休), and org.yaml's
 * `calendar.overrides` for years the official data does not cover yet.
 *
 * Pure: the holiday schedule comes in as a `HolidaySource` (the chinese-days adapter in production,
 * see src/calendar/chinese-days.ts), times as luxon `DateTime`s, dates as `YYYY-MM-DD` strings in the
 * organisation's time zone. Whenever a computation looks at a date of a year the source does not cover
 * and no override settles that date, it returns a `CalendarWarning` with its answer, so the caller can
 * tell people that a deadline rests on a guess (Monday to Friday).
 */

/** What the official schedule says about one date, when it says anything. */
export type OfficialDayKind = 'work' | 'off';

/** The official holiday schedule (法定节假日及调休安排), as data. */
export interface HolidaySource {
  /** Names the data in warnings, e.g. "chinese-days". */
  readonly name: string;
  /** Whether the year's official schedule is in the data. */
  covers(year: number): boolean;
  /** `off` for an official holiday, `work` for an adjusted working weekend day (调休), undefined otherwise. */
  officialDay(date: string): OfficialDayKind | undefined;
}

/** The parts of org.yaml the calendar reads. */
export type CalendarSettings = Pick<Org, 'timezone' | 'workday' | 'calendar'>;

interface TimeOfDay {
  hour: number;
  minute: number;
}

/** A ready-to-use business calendar: settings parsed once, the holiday source attached. */
export interface WorkingCalendar {
  readonly timezone: string;
  readonly workdayStart: TimeOfDay;
  readonly workdayEnd: TimeOfDay;
  readonly overrides: Readonly<Record<string, OfficialDayKind>>;
  readonly source: HolidaySource;
}

/** A date of a year without official data, settled by assuming Monday to Friday are working days. */
export interface CalendarWarning {
  year: number;
  /** The first such date the computation looked at. */
  firstDate: string;
  /** zh-CN for people, then English for logs. */
  message: string;
}

/** An answer together with the warnings the computation raised. */
export interface CalendarResult<T> {
  value: T;
  warnings: CalendarWarning[];
}

/** Why a date is or is not a working day. */
export type DayBasis = 'override' | 'official' | 'ordinary' | 'assumed';

/** Raised for settings the calendar cannot work with (an unknown time zone) and for unusable times. */
export class CalendarError extends Error {
  override readonly name = 'CalendarError';
}

/**
 * Longest run of consecutive non-working days a search walks before giving up: a whole year of "off"
 * overrides is a configuration mistake, not a reason to loop forever.
 */
const MAX_NON_WORKING_RUN_DAYS = 366;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Monday = 1 … Sunday = 7 (ISO weekday numbering, as luxon uses). */
const SATURDAY = 6;

function parseTimeOfDay(text: string): TimeOfDay {
  const [hour, minute] = text.split(':').map(Number);
  if (hour === undefined || minute === undefined || Number.isNaN(hour) || Number.isNaN(minute))
    throw new CalendarError(`invalid time of day "${text}"（工作时间格式错误）`);
  return { hour, minute };
}

/** Builds the calendar of an organisation from its settings (org.yaml) and the holiday data. */
export function workingCalendar(settings: CalendarSettings, source: HolidaySource): WorkingCalendar {
  if (!IANAZone.isValidZone(settings.timezone))
    throw new CalendarError(`unknown time zone "${settings.timezone}" in org.yaml（时区无效）`);
  return {
    timezone: settings.timezone,
    workdayStart: parseTimeOfDay(settings.workday.start),
    workdayEnd: parseTimeOfDay(settings.workday.end),
    overrides: { ...settings.calendar.overrides },
    source,
  };
}

/** Narrows a luxon result to a valid time or says what went wrong. */
export function validTime(dateTime: DateTimeMaybeValid, what: string): DateTime<true> {
  if (!dateTime.isValid) throw new CalendarError(`invalid time for ${what}: ${dateTime.invalidExplanation ?? dateTime.invalidReason}`);
  return dateTime;
}

/** An ISO 8601 instant (with offset) as a time in the organisation's zone. */
export function instantIn(calendar: WorkingCalendar, iso: string): DateTime<true> {
  return validTime(DateTime.fromISO(iso, { setZone: true }).setZone(zoneOf(calendar.timezone)), `"${iso}"`);
}

/** A JavaScript Date (the CLI's clock) as a time in the organisation's zone. */
export function fromDate(calendar: WorkingCalendar, date: Date): DateTime<true> {
  return validTime(DateTime.fromJSDate(date, { zone: zoneOf(calendar.timezone) }), 'the current time');
}

/** ISO 8601 with the organisation's offset and without milliseconds, e.g. `2026-10-12T17:30:00+08:00`. */
export function formatInstant(calendar: WorkingCalendar, time: DateTime<true>): string {
  return validTime(time.setZone(zoneOf(calendar.timezone)), 'output').toISO({ suppressMilliseconds: true });
}

/** The local date (`YYYY-MM-DD`) of an instant in the organisation's zone. */
export function localDate(calendar: WorkingCalendar, time: DateTime<true>): string {
  return validTime(time.setZone(zoneOf(calendar.timezone)), 'a local date').toISODate();
}

/**
 * Midnights and date steps already worked out, per calendar. A report over thousands of complaints
 * asks for the same few hundred dates again and again; the answers are immutable, so they are kept.
 */
const dateMemos = new WeakMap<WorkingCalendar, { midnights: Map<string, DateTime<true>>; steps: Map<string, string> }>();

function memoOf(calendar: WorkingCalendar) {
  let memo = dateMemos.get(calendar);
  if (!memo) dateMemos.set(calendar, (memo = { midnights: new Map(), steps: new Map() }));
  return memo;
}

function startOfLocalDate(calendar: WorkingCalendar, date: string): DateTime<true> {
  const { midnights } = memoOf(calendar);
  let midnight = midnights.get(date);
  if (!midnight) {
    if (!ISO_DATE.test(date)) throw new CalendarError(`expected a date such as "2026-10-10", found "${date}"`);
    midnight = validTime(DateTime.fromISO(date, { zone: zoneOf(calendar.timezone) }), `the date ${date}`);
    midnights.set(date, midnight);
  }
  return midnight;
}

/** The date `days` calendar days after `date` (negative: before). */
export function addCalendarDays(calendar: WorkingCalendar, date: string, days: number): string {
  const { steps } = memoOf(calendar);
  const key = `${date}|${days}`;
  let result = steps.get(key);
  if (result === undefined) {
    result = startOfLocalDate(calendar, date).plus({ days }).toISODate();
    steps.set(key, result);
  }
  return result;
}

function atTimeOfDay(calendar: WorkingCalendar, date: string, time: TimeOfDay): DateTime<true> {
  return startOfLocalDate(calendar, date).set({ hour: time.hour, minute: time.minute, second: 0, millisecond: 0 });
}

/** When working hours begin on `date` (whether or not it is a working day). */
export function startOfWorkingDay(calendar: WorkingCalendar, date: string): DateTime<true> {
  return atTimeOfDay(calendar, date, calendar.workdayStart);
}

/** When working hours end on `date` (whether or not it is a working day): where same-day and working-day limits fall. */
export function endOfWorkingDay(calendar: WorkingCalendar, date: string): DateTime<true> {
  return atTimeOfDay(calendar, date, calendar.workdayEnd);
}

/** 23:59:59 local time on `date`: where calendar-day limits fall (SPEC §5 "N days"). */
export function endOfCalendarDay(calendar: WorkingCalendar, date: string): DateTime<true> {
  return startOfLocalDate(calendar, date).set({ hour: 23, minute: 59, second: 59, millisecond: 0 });
}

/** Whether an instant lies within working hours of a working day (start inclusive, end exclusive). */
export function isWithinWorkingHours(calendar: WorkingCalendar, time: DateTime<true>): CalendarResult<boolean> {
  const date = localDate(calendar, time);
  const working = isWorkingDay(calendar, date);
  const inside = working.value && time >= startOfWorkingDay(calendar, date) && time < endOfWorkingDay(calendar, date);
  return { value: inside, warnings: working.warnings };
}

/**
 * Collects the dates of uncovered years a computation looked at, one warning per year. Local to each
 * exported function, so the functions stay pure.
 */
function createLookup(calendar: WorkingCalendar) {
  const firstUncovered = new Map<number, string>();
  const describe = (date: string): { working: boolean; basis: DayBasis } => {
    const override = calendar.overrides[date];
    if (override) return { working: override === 'work', basis: 'override' };
    const official = calendar.source.officialDay(date);
    if (official) return { working: official === 'work', basis: 'official' };
    const working = startOfLocalDate(calendar, date).weekday < SATURDAY;
    const year = Number(date.slice(0, 4));
    if (calendar.source.covers(year)) return { working, basis: 'ordinary' };
    const known = firstUncovered.get(year);
    if (known === undefined || date < known) firstUncovered.set(year, date);
    return { working, basis: 'assumed' };
  };
  return {
    describe,
    isWorking: (date: string): boolean => describe(date).working,
    warnings: (): CalendarWarning[] =>
      [...firstUncovered.entries()]
        .sort(([a], [b]) => a - b)
        .map(([year, firstDate]) => uncoveredYearWarning(calendar, year, firstDate)),
  };
}

function uncoveredYearWarning(calendar: WorkingCalendar, year: number, firstDate: string): CalendarWarning {
  return {
    year,
    firstDate,
    message:
      `${year} 年的法定节假日安排尚未收录（${calendar.source.name}），自 ${firstDate} 起按周一至周五为工作日推算，请在 org.yaml 的 calendar.overrides 中补充` +
      ` / the official holiday schedule for ${year} is not in the ${calendar.source.name} data; dates from ${firstDate} were treated as Monday–Friday working days — add calendar.overrides to org.yaml`,
  };
}

/**
 * Whether `date` is a working day and why: an org.yaml override wins, then the official schedule
 * (holidays and adjusted working weekends), then the ordinary week; in a year the data does not
 * cover, Monday to Friday is assumed and a warning returned.
 */
export function describeDay(calendar: WorkingCalendar, date: string): CalendarResult<{ working: boolean; basis: DayBasis }> {
  const lookup = createLookup(calendar);
  const value = lookup.describe(date);
  return { value, warnings: lookup.warnings() };
}

/** Whether `date` (`YYYY-MM-DD`, local) is a working day. */
export function isWorkingDay(calendar: WorkingCalendar, date: string): CalendarResult<boolean> {
  const { value, warnings } = describeDay(calendar, date);
  return { value: value.working, warnings };
}

function noWorkingDayError(date: string): CalendarError {
  return new CalendarError(
    `no working day within ${MAX_NON_WORKING_RUN_DAYS} days after ${date}; check calendar.overrides in org.yaml（一年内没有工作日，请检查日历设置）`,
  );
}

/** The first working day strictly after `date`. */
export function nextWorkingDay(calendar: WorkingCalendar, date: string): CalendarResult<string> {
  return nthWorkingDayAfter(calendar, date, 1);
}

/**
 * The `count`th working day strictly after `date` (SPEC §5 "N working days"): counted from the day
 * after, so receipt on a holiday or a weekend makes the first following working day day 1. A count of
 * 0 means `date` itself when it is a working day, otherwise the next working day.
 */
export function nthWorkingDayAfter(calendar: WorkingCalendar, date: string, count: number): CalendarResult<string> {
  if (!Number.isInteger(count) || count < 0) throw new CalendarError(`a working-day count must be a whole number ≥ 0, found ${count}`);
  const lookup = createLookup(calendar);
  if (count === 0 && lookup.isWorking(date)) return { value: date, warnings: lookup.warnings() };
  let remaining = Math.max(count, 1);
  let cursor = date;
  let nonWorkingRun = 0;
  while (remaining > 0) {
    cursor = addCalendarDays(calendar, cursor, 1);
    if (lookup.isWorking(cursor)) {
      remaining -= 1;
      nonWorkingRun = 0;
    } else if (++nonWorkingRun > MAX_NON_WORKING_RUN_DAYS) {
      throw noWorkingDayError(date);
    }
  }
  return { value: cursor, warnings: lookup.warnings() };
}

/**
 * Working time (milliseconds) between two instants: the parts of [from, to) that fall within working
 * hours of working days. Zero when `to` is not after `from`.
 */
export function workingTimeBetween(calendar: WorkingCalendar, from: DateTime<true>, to: DateTime<true>): CalendarResult<number> {
  const lookup = createLookup(calendar);
  if (to <= from) return { value: 0, warnings: [] };
  const lastDate = localDate(calendar, to);
  let total = 0;
  for (let date = localDate(calendar, from); date <= lastDate; date = addCalendarDays(calendar, date, 1)) {
    if (!lookup.isWorking(date)) continue;
    const start = Math.max(startOfWorkingDay(calendar, date).toMillis(), from.toMillis());
    const end = Math.min(endOfWorkingDay(calendar, date).toMillis(), to.toMillis());
    if (end > start) total += end - start;
  }
  return { value: total, warnings: lookup.warnings() };
}

/**
 * The earliest instant at which `milliseconds` of working time have passed since `from`: time outside
 * working hours and on non-working days is skipped. Used to push a working-day due time back by the
 * working time a clock was paused. `workingTimeBetween(from, result)` gives `milliseconds` back.
 */
export function addWorkingTime(calendar: WorkingCalendar, from: DateTime<true>, milliseconds: number): CalendarResult<DateTime<true>> {
  if (!(milliseconds >= 0)) throw new CalendarError(`working time to add must be ≥ 0, found ${milliseconds}`);
  const lookup = createLookup(calendar);
  if (milliseconds === 0) return { value: from, warnings: [] };
  let remaining = milliseconds;
  let date = localDate(calendar, from);
  let nonWorkingRun = 0;
  for (;;) {
    if (lookup.isWorking(date)) {
      nonWorkingRun = 0;
      const start = Math.max(startOfWorkingDay(calendar, date).toMillis(), from.toMillis());
      const end = endOfWorkingDay(calendar, date).toMillis();
      if (end > start) {
        if (end - start >= remaining) {
          return { value: validTime(DateTime.fromMillis(start + remaining, { zone: zoneOf(calendar.timezone) }), 'added working time'), warnings: lookup.warnings() };
        }
        remaining -= end - start;
      }
    } else if (++nonWorkingRun > MAX_NON_WORKING_RUN_DAYS) {
      throw noWorkingDayError(localDate(calendar, from));
    }
    date = addCalendarDays(calendar, date, 1);
  }
}

/** Merges warnings of several computations: one per year, keeping the earliest date. */
export function mergeWarnings(...lists: readonly (readonly CalendarWarning[])[]): CalendarWarning[] {
  const byYear = new Map<number, CalendarWarning>();
  for (const warning of lists.flat()) {
    const known = byYear.get(warning.year);
    if (!known || warning.firstDate < known.firstDate) byYear.set(warning.year, warning);
  }
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}
