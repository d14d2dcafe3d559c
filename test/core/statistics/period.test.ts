import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthsOf, parsePeriod, PeriodFormatError, previousPeriod } from '../../../src/core/statistics/period.ts';

const TIMEZONE = 'Asia/Shanghai';

describe('reporting periods in the organisation’s time zone', () => {
  it.each([
    ['2026-10', 'month', '2026-10-01T00:00:00+08:00', '2026-11-01T00:00:00+08:00', '2026-01-01T00:00:00+08:00'],
    ['2026-Q4', 'quarter', '2026-10-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00', '2026-01-01T00:00:00+08:00'],
    ['2026', 'year', '2026-01-01T00:00:00+08:00', '2027-01-01T00:00:00+08:00', '2026-01-01T00:00:00+08:00'],
  ])('reads %s as a %s from %s to %s', (label, kind, start, end, yearStart) => {
    expect(parsePeriod(label, TIMEZONE)).toEqual({ kind, label, start, end, yearStart });
  });

  it('starts the statistics year where org.yaml says (a year from April)', () => {
    // A March report belongs to the statistics year that began the April before.
    expect(parsePeriod('2026-03', TIMEZONE, '04-01').yearStart).toBe('2025-04-01T00:00:00+08:00');
    expect(parsePeriod('2026-04', TIMEZONE, '04-01').yearStart).toBe('2026-04-01T00:00:00+08:00');
    expect(parsePeriod('2026', TIMEZONE, '04-01')).toMatchObject({ start: '2026-04-01T00:00:00+08:00', end: '2027-04-01T00:00:00+08:00' });
  });

  it('refuses what is not a period', () => {
    for (const text of ['2026-13', '2026-Q5', '26-10', '2026/10', '']) expect(() => parsePeriod(text, TIMEZONE)).toThrowError(PeriodFormatError);
    expect(() => parsePeriod('2026-13', TIMEZONE)).toThrowErrorMatchingInlineSnapshot(`[PeriodFormatError: not a period: "2026-13" (expected YYYY-MM, YYYY-Qn or YYYY)]`);
  });

  it('steps back to the previous month, quarter and year across year ends', () => {
    expect(previousPeriod(parsePeriod('2026-01', TIMEZONE), TIMEZONE).label).toBe('2025-12');
    expect(previousPeriod(parsePeriod('2026-Q1', TIMEZONE), TIMEZONE).label).toBe('2025-Q4');
    expect(previousPeriod(parsePeriod('2026', TIMEZONE), TIMEZONE).label).toBe('2025');
  });

  it('lists the months a quarter covers', () => {
    expect(monthsOf(parsePeriod('2026-Q4', TIMEZONE), TIMEZONE)).toEqual(['2026-10', '2026-11', '2026-12']);
  });

  it('makes consecutive months meet without gap or overlap (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), (year, month) => {
        const period = parsePeriod(`${year}-${String(month).padStart(2, '0')}`, TIMEZONE);
        const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
        expect(Date.parse(parsePeriod(next, TIMEZONE).start)).toBe(Date.parse(period.end));
        expect(previousPeriod(parsePeriod(next, TIMEZONE), TIMEZONE).label).toBe(period.label);
      }),
    );
  });
});
