import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addWorkingTime,
  describeDay,
  endOfCalendarDay,
  endOfWorkingDay,
  formatInstant,
  instantIn,
  isWithinWorkingHours,
  isWorkingDay,
  localDate,
  mergeWarnings,
  nextWorkingDay,
  nthWorkingDayAfter,
  workingCalendar,
  workingTimeBetween,
  type CalendarSettings,
  type HolidaySource,
} from '../../src/core/calendar.ts';
import { CHINESE_DAYS_COVERED_YEARS, chineseDaysSource } from '../../src/calendar/chinese-days.ts';

// Calendar of the autumn of 2026 (国办发明电〔2025〕7号, as chinese-days carries it):
// Sep 19 Sat off, Sep 20 Sun worked (调休), Sep 25–27 Mid-autumn, Oct 1 (Thu)–7 (Wed) National Day,
// Oct 8 Thu, Oct 9 Fri, Oct 10 Sat worked (调休), Oct 11 Sun off, Oct 12 Mon.
const SHANGHAI: CalendarSettings = {
  timezone: 'Asia/Shanghai',
  workday: { start: '08:30', end: '17:30' },
  calendar: { overrides: {} },
};
const calendar = workingCalendar(SHANGHAI, chineseDaysSource);
const withOverrides = (overrides: Record<string, 'off' | 'work'>) =>
  workingCalendar({ ...SHANGHAI, calendar: { overrides } }, chineseDaysSource);
const at = (iso: string) => instantIn(calendar, iso);
const show = (time: DateTime<true>) => formatInstant(calendar, time);
const HOUR = 60 * 60 * 1000;

describe('the chinese-days holiday source', () => {
  it('knows the years its data covers and nothing beyond them', () => {
    expect(CHINESE_DAYS_COVERED_YEARS[0]).toBe(2004);
    expect(CHINESE_DAYS_COVERED_YEARS).toContain(2026);
    expect(chineseDaysSource.covers(2026)).toBe(true);
    expect(chineseDaysSource.covers(2027)).toBe(false);
    expect(chineseDaysSource.covers(2003)).toBe(false);
  });

  it('reports holidays and adjusted working days by date string, whatever the host time zone', () => {
    expect(chineseDaysSource.officialDay('2026-10-10')).toBe('work');
    expect(chineseDaysSource.officialDay('2026-09-20')).toBe('work');
    expect(chineseDaysSource.officialDay('2026-10-01')).toBe('off');
    expect(chineseDaysSource.officialDay('2026-10-11')).toBeUndefined();
  });
});

describe('working days', () => {
  it.each([
    ['2026-10-10', true, 'official', 'the Saturday worked after National Day'],
    ['2026-09-20', true, 'official', 'the Sunday worked before National Day'],
    ['2026-10-01', false, 'official', 'National Day'],
    ['2026-10-07', false, 'official', 'the last day of the National Day holiday'],
    ['2026-09-25', false, 'official', 'Mid-autumn Festival on a Friday'],
    ['2026-10-11', false, 'ordinary', 'an ordinary Sunday'],
    ['2026-09-19', false, 'ordinary', 'an ordinary Saturday'],
    ['2026-10-12', true, 'ordinary', 'an ordinary Monday'],
  ] as const)('%s is a working day: %s (%s, %s)', (date, working, basis, _why) => {
    const result = describeDay(calendar, date);
    expect(result.value).toEqual({ working, basis });
    expect(result.warnings).toEqual([]);
  });

  it('lets org.yaml overrides win over the official data', () => {
    const overridden = withOverrides({ '2026-10-10': 'off', '2026-10-11': 'work' });
    expect(describeDay(overridden, '2026-10-10').value).toEqual({ working: false, basis: 'override' });
    expect(describeDay(overridden, '2026-10-11').value).toEqual({ working: true, basis: 'override' });
  });

  it('warns when it has to guess a day of a year the data does not cover, unless an override settles it', () => {
    const overridden = withOverrides({ '2027-01-01': 'off' });
    // 2027-01-01 is a Friday; the override makes it a holiday and needs no warning.
    expect(isWorkingDay(overridden, '2027-01-01')).toEqual({ value: false, warnings: [] });
    // 2027-01-04 is a Monday: assumed to be worked, with a warning.
    const guessed = isWorkingDay(overridden, '2027-01-04');
    expect(guessed.value).toBe(true);
    expect(guessed.warnings).toHaveLength(1);
    expect(guessed.warnings[0]?.year).toBe(2027);
    expect(guessed.warnings[0]?.firstDate).toBe('2027-01-04');
    expect(guessed.warnings[0]?.message).toMatchInlineSnapshot(
      `"2027 年的法定节假日安排尚未收录（chinese-days），自 2027-01-04 起按周一至周五为工作日推算，请在 org.yaml 的 calendar.overrides 中补充 / the official holiday schedule for 2027 is not in the chinese-days data; dates from 2027-01-04 were treated as Monday–Friday working days — add calendar.overrides to org.yaml"`,
    );
  });

  it.each([
    ['2026-09-30', '2026-10-08', 'the eve of National Day: the next working day is after the holiday'],
    ['2026-10-09', '2026-10-10', 'a Friday before the worked Saturday'],
    ['2026-10-10', '2026-10-12', 'the worked Saturday: Sunday is off'],
    ['2026-09-18', '2026-09-20', 'a Friday before the worked Sunday'],
    ['2026-10-03', '2026-10-08', 'a day inside the holiday'],
  ])('the next working day after %s is %s (%s)', (date, expected) => {
    expect(nextWorkingDay(calendar, date)).toEqual({ value: expected, warnings: [] });
  });

  it.each([
    // Sep 30 → Oct 8 (1), Oct 9 (2).
    ['2026-09-30', 2, '2026-10-09'],
    // A holiday: the first following working day, Oct 8, is day 1.
    ['2026-10-03', 1, '2026-10-08'],
    // Oct 9 → Oct 10 (1, worked Saturday), Oct 12 (2).
    ['2026-10-09', 2, '2026-10-12'],
    // Sep 17 → Sep 18 (1), Sep 20 (2, worked Sunday), Sep 21 (3).
    ['2026-09-17', 3, '2026-09-21'],
  ])('the working day %i after %s is %s', (date, count, expected) => {
    expect(nthWorkingDayAfter(calendar, date, count).value).toBe(expected);
  });

  it('counts working days into an uncovered year with the override and a warning from the first guessed date', () => {
    const overridden = withOverrides({ '2027-01-01': 'off' });
    // Wed 2026-12-30 → Thu 12-31 (1); Fri 01-01 off by override; Sat 01-02 and Sun 01-03 assumed off; Mon 01-04 (2), Tue 01-05 (3).
    const result = nthWorkingDayAfter(overridden, '2026-12-30', 3);
    expect(result.value).toBe('2027-01-05');
    expect(result.warnings.map((warning) => [warning.year, warning.firstDate])).toEqual([[2027, '2027-01-02']]);
  });
});

describe('times of day and time zones', () => {
  it('puts the end of working hours and of a calendar day in Shanghai time', () => {
    expect(show(endOfWorkingDay(calendar, '2026-10-10'))).toBe('2026-10-10T17:30:00+08:00');
    expect(show(endOfCalendarDay(calendar, '2026-10-16'))).toBe('2026-10-16T23:59:59+08:00');
  });

  it('reads 16:30 UTC on Friday 9 October as 00:30 on Saturday 10 October in Shanghai', () => {
    const time = at('2026-10-09T16:30:00Z');
    expect(localDate(calendar, time)).toBe('2026-10-10');
    expect(show(time)).toBe('2026-10-10T00:30:00+08:00');
    // A working day, but before working hours begin.
    expect(isWithinWorkingHours(calendar, time).value).toBe(false);
  });

  it('treats working hours as starting inclusive and ending exclusive', () => {
    expect(isWithinWorkingHours(calendar, at('2026-10-09T08:30:00+08:00')).value).toBe(true);
    expect(isWithinWorkingHours(calendar, at('2026-10-09T17:29:59+08:00')).value).toBe(true);
    expect(isWithinWorkingHours(calendar, at('2026-10-09T17:30:00+08:00')).value).toBe(false);
    expect(isWithinWorkingHours(calendar, at('2026-10-03T10:00:00+08:00')).value).toBe(false);
  });

  it('follows the organisation time zone and working hours from org.yaml', () => {
    const berlin = workingCalendar({ timezone: 'Europe/Berlin', workday: { start: '09:00', end: '18:00' }, calendar: { overrides: {} } }, chineseDaysSource);
    // 23:30 UTC on 9 October is 01:30 on 10 October in Berlin (CEST, +02:00).
    expect(localDate(berlin, instantIn(berlin, '2026-10-09T23:30:00Z'))).toBe('2026-10-10');
    expect(formatInstant(berlin, endOfWorkingDay(berlin, '2026-10-12'))).toBe('2026-10-12T18:00:00+02:00');
  });

  it('refuses an unknown time zone with a message naming it', () => {
    expect(() => workingCalendar({ ...SHANGHAI, timezone: 'Asia/Peking' }, chineseDaysSource)).toThrowErrorMatchingInlineSnapshot(
      `[CalendarError: unknown time zone "Asia/Peking" in org.yaml（时区无效）]`,
    );
  });
});

describe('working time', () => {
  it('measures only working hours of working days across the National Day holiday', () => {
    // Sep 30 16:30–17:30 (1 h) + Oct 8 08:30–09:30 (1 h) = 2 h.
    expect(workingTimeBetween(calendar, at('2026-09-30T16:30:00+08:00'), at('2026-10-08T09:30:00+08:00'))).toEqual({ value: 2 * HOUR, warnings: [] });
    // Oct 9 17:00–17:30 (0.5 h) + Oct 10, a worked Saturday (9 h) + Oct 12 08:30–10:00 (1.5 h) = 11 h.
    expect(workingTimeBetween(calendar, at('2026-10-09T17:00:00+08:00'), at('2026-10-12T10:00:00+08:00')).value).toBe(11 * HOUR);
    expect(workingTimeBetween(calendar, at('2026-10-12T10:00:00+08:00'), at('2026-10-09T17:00:00+08:00')).value).toBe(0);
  });

  it('adds working time by skipping nights, weekends and holidays', () => {
    // Sep 30 16:30 + 2 h: 1 h on Sep 30, the holiday skipped, 1 h on Oct 8 → 09:30.
    expect(show(addWorkingTime(calendar, at('2026-09-30T16:30:00+08:00'), 2 * HOUR).value)).toBe('2026-10-08T09:30:00+08:00');
    // From the end of Friday Oct 9, 1 h lands on the worked Saturday.
    expect(show(addWorkingTime(calendar, at('2026-10-09T17:30:00+08:00'), HOUR).value)).toBe('2026-10-10T09:30:00+08:00');
    // Exactly a working day's worth from its start ends at its end, not the next morning.
    expect(show(addWorkingTime(calendar, at('2026-10-12T08:30:00+08:00'), 9 * HOUR).value)).toBe('2026-10-12T17:30:00+08:00');
    // From a Sunday night the first working hour is Monday's.
    expect(show(addWorkingTime(calendar, at('2026-10-11T22:00:00+08:00'), 30 * 60 * 1000).value)).toBe('2026-10-12T09:00:00+08:00');
  });

  it('gives back the working time it added, for any start and amount (property)', () => {
    const start = Date.parse('2025-01-01T00:00:00+08:00');
    const end = Date.parse('2026-10-31T00:00:00+08:00');
    fc.assert(
      fc.property(fc.integer({ min: start, max: end }), fc.integer({ min: 0, max: 300 * HOUR }), (from, amount) => {
        const fromTime = instantIn(calendar, new Date(from).toISOString());
        const result = addWorkingTime(calendar, fromTime, amount);
        expect(result.value.toMillis()).toBeGreaterThanOrEqual(from);
        expect(workingTimeBetween(calendar, fromTime, result.value).value).toBe(amount);
      }),
      { numRuns: 300 },
    );
  });

  it('always finds a working day after the given date, strictly later (property)', () => {
    const dates = fc.integer({ min: 0, max: 700 }).map((offset) => DateTime.fromISO('2025-01-01', { zone: 'Asia/Shanghai' }).plus({ days: offset }).toISODate() as string);
    fc.assert(
      fc.property(dates, fc.integer({ min: 1, max: 20 }), (date, count) => {
        const result = nthWorkingDayAfter(calendar, date, count);
        expect(result.value > date).toBe(true);
        expect(isWorkingDay(calendar, result.value).value).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('holiday sources', () => {
  it('takes the schedule from whatever source it is given', () => {
    // A source that knows one year, with a made-up holiday on a Tuesday.
    const source: HolidaySource = {
      name: 'test schedule',
      covers: (year) => year === 2030,
      officialDay: (date) => (date === '2030-06-04' ? 'off' : undefined),
    };
    const custom = workingCalendar(SHANGHAI, source);
    expect(describeDay(custom, '2030-06-04')).toEqual({ value: { working: false, basis: 'official' }, warnings: [] });
    expect(describeDay(custom, '2030-06-05')).toEqual({ value: { working: true, basis: 'ordinary' }, warnings: [] });
    expect(describeDay(custom, '2031-06-04').value).toEqual({ working: true, basis: 'assumed' });
  });

  it('merges warnings to one per year with the earliest date', () => {
    const guess = (date: string) => isWorkingDay(calendar, date).warnings;
    const merged = mergeWarnings(guess('2027-03-02'), guess('2027-01-05'), guess('2028-01-03'));
    expect(merged.map((warning) => [warning.year, warning.firstDate])).toEqual([
      [2027, '2027-01-05'],
      [2028, '2028-01-03'],
    ]);
  });
});
