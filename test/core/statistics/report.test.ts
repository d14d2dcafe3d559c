import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chineseDaysSource } from '../../../src/calendar/chinese-days.ts';
import { workingCalendar } from '../../../src/core/calendar.ts';
import { complaintSchema, type ComplaintData, type ComplaintInput } from '../../../src/core/complaint/schema.ts';
import type { EventType } from '../../../src/core/org/vocabulary.ts';
import { orgSchema, type Org } from '../../../src/core/org/schema.ts';
import { parsePeriod } from '../../../src/core/statistics/period.ts';
import { MissingProjectFigureError } from '../../../src/core/statistics/rates.ts';
import { assessDepartments, buildReport, compareProjects, trendOf } from '../../../src/core/statistics/report.ts';

const ORG: Org = orgSchema.parse({
  name: '测试物业',
  preset: 'property',
  projects: [
    // October's average is 1,200 occupied households (the September figure applies to September only).
    { key: 'cuiyuan', name: '翠苑小区', type: 'residential', households: { '2026-09': 1000, '2026-10': 1200 } },
    { key: 'guomao', name: '国贸大厦', type: 'office', area: 50000 },
  ],
  departments: [
    { key: 'engineering', name: '工程部', handlers: ['alice'], categories: ['housing', 'equipment'] },
    { key: 'service', name: '客服中心', handlers: ['bob'], categories: ['security', 'environment', 'general_service', 'neighbour_dispute', 'developer', 'other'] },
  ],
});
const CALENDAR = workingCalendar(ORG, chineseDaysSource);
const NOW = new Date('2026-11-23T10:00:00+08:00');

/** Shanghai local time, for readable fixtures. */
const sh = (local: string) => `${local}+08:00`;

interface Step {
  type: EventType;
  at: string;
}

/** A complaint with the given events; records that closing needs are filled in from the events. */
function complaint(id: string, receivedAt: string, steps: Step[], fields: Partial<ComplaintInput> = {}): ComplaintData {
  const replied = steps.find((step) => step.type === 'replied');
  const visited = steps.find((step) => step.type === 'visited');
  const closed = steps.findLast((step) => step.type === 'closed');
  return complaintSchema.parse({
    id,
    title: `投诉 ${id}`,
    channel: 'phone',
    received_at: receivedAt,
    received_by: 'bob',
    project: 'cuiyuan',
    category: 'equipment',
    department: 'engineering',
    events: [{ at: receivedAt, type: 'received', by: 'bob' }, ...steps.map((step) => ({ ...step, by: 'alice' }))],
    ...(replied ? { reply: { at: replied.at, by: 'alice', method: 'phone', summary: '已处理' } } : {}),
    ...(visited ? { visit: { at: visited.at, method: 'phone', satisfied: true } } : {}),
    ...(closed ? { closure: { at: closed.at, basis: 'satisfied' }, corrective_action: '加强巡检', lessons: '及时沟通' } : {}),
    ...fields,
  });
}

/** The handling of a complaint that is closed at `closedAt`, each step a day before the next. */
function handledUntilClosed(receivedAt: string, closedAt: string): Step[] {
  const closed = Date.parse(closedAt);
  const day = 24 * 60 * 60 * 1000;
  const at = (daysBefore: number) => new Date(Math.max(Date.parse(receivedAt) + 60_000, closed - daysBefore * day)).toISOString();
  return [
    { type: 'accepted', at: new Date(Date.parse(receivedAt) + 60_000).toISOString() },
    { type: 'assigned', at: new Date(Date.parse(receivedAt) + 120_000).toISOString() },
    { type: 'investigated', at: at(3) },
    { type: 'replied', at: at(2) },
    { type: 'visited', at: at(1) },
    { type: 'closed', at: closedAt },
  ];
}

const openSteps = (receivedAt: string): Step[] => [
  { type: 'accepted', at: new Date(Date.parse(receivedAt) + 60_000).toISOString() },
  { type: 'assigned', at: new Date(Date.parse(receivedAt) + 120_000).toISOString() },
  { type: 'investigated', at: new Date(Date.parse(receivedAt) + 180_000).toISOString() },
];

/**
 * The archive of the worked example. For October 2026 (statistics year from 2026-01-01):
 * - A 2025-0090 received 2025-12-20, open at the year's start, closed 10-10: carried over.
 * - B 2025-0091 written off 2025-12-31: leaves 2026's statistics.
 * - C 2025-0092 closed 2025-12-15: not in 2026's statistics.
 * - D 2026-0100 received 2026-09-30T16:10Z = 00:10 on 10-01 in Shanghai: October's. Closed 10-20.
 * - E 2026-0050 received in September, closed 10-05: an earlier month's closure.
 * - F 2026-0101 received 10-08 by 3 residents, open (unsatisfied visit); G 2026-0102 (2 more
 *   residents) is its duplicate.
 * - H 2026-0103 rejected; I 2026-0104 withdrawn.
 * - J 2026-0105 at 国贸大厦, reported as equipment, root cause security; closed 10-28 without a visit.
 * - K 2026-0040 at 国贸大厦, received and closed in August.
 * - L 2026-0110 received in November: after the period.
 */
function workedExample(): ComplaintData[] {
  const fReceived = sh('2026-10-08T09:00:00');
  return [
    complaint('2025-0090', sh('2025-12-20T10:00:00'), handledUntilClosed(sh('2025-12-20T10:00:00'), sh('2026-10-10T10:00:00'))),
    complaint('2025-0091', sh('2025-12-05T10:00:00'), [...openSteps(sh('2025-12-05T10:00:00')), { type: 'written_off', at: sh('2025-12-31T17:00:00') }], {
      closure: { at: sh('2025-12-31T17:00:00'), basis: 'written_off', note: '年末无法解决，专题分析' },
    }),
    complaint('2025-0092', sh('2025-11-01T10:00:00'), handledUntilClosed(sh('2025-11-01T10:00:00'), sh('2025-12-15T10:00:00'))),
    complaint('2026-0100', '2026-09-30T16:10:00Z', handledUntilClosed('2026-09-30T16:10:00Z', sh('2026-10-20T10:00:00'))),
    complaint('2026-0050', sh('2026-09-10T10:00:00'), handledUntilClosed(sh('2026-09-10T10:00:00'), sh('2026-10-05T10:00:00'))),
    complaint(
      '2026-0101',
      fReceived,
      [...openSteps(fReceived), { type: 'replied', at: sh('2026-10-10T10:00:00') }, { type: 'visited', at: sh('2026-10-12T10:00:00') }],
      { complainants: 3, category: 'environment', department: 'service', visit: { at: sh('2026-10-12T10:00:00'), method: 'phone', satisfied: false } },
    ),
    complaint('2026-0102', sh('2026-10-09T09:00:00'), [], { complainants: 2, category: 'environment', duplicate_of: '2026-0101' }),
    complaint('2026-0103', sh('2026-10-12T09:00:00'), [{ type: 'rejected', at: sh('2026-10-12T10:00:00') }], { category: 'developer' }),
    complaint('2026-0104', sh('2026-10-15T09:00:00'), [{ type: 'accepted', at: sh('2026-10-15T09:10:00') }, { type: 'withdrawn', at: sh('2026-10-15T11:00:00') }]),
    complaint(
      '2026-0105',
      sh('2026-10-16T09:00:00'),
      [
        ...openSteps(sh('2026-10-16T09:00:00')),
        { type: 'replied', at: sh('2026-10-19T10:00:00') },
        { type: 'closed', at: sh('2026-10-28T10:00:00') },
      ],
      {
        project: 'guomao',
        category: 'security',
        reported_category: 'equipment',
        department: 'service',
        no_visit: { reason: 'on_the_spot' },
        closure: { at: sh('2026-10-28T10:00:00'), basis: 'no_repeat_7d' },
      },
    ),
    complaint('2026-0040', sh('2026-08-01T10:00:00'), handledUntilClosed(sh('2026-08-01T10:00:00'), sh('2026-08-20T10:00:00')), { project: 'guomao' }),
    complaint('2026-0110', sh('2026-11-02T10:00:00'), openSteps(sh('2026-11-02T10:00:00'))),
  ];
}

function reportFor(label: string, complaints = workedExample(), org = ORG) {
  return buildReport({ org, complaints, period: parsePeriod(label, org.timezone, org.statistics.yearStart), calendar: CALENDAR, now: NOW });
}

describe('the counting rules of 001 §4.2.2 on a worked example (October 2026)', () => {
  const report = reportFor('2026-10');

  it('counts the complaints received in the period, a duplicate, a rejection and a withdrawal left out (本期投诉总数)', () => {
    // D, F, J.
    expect(report.total.periodCount).toBe(3);
    expect(report.excluded).toEqual([
      { id: '2026-0102', reason: 'duplicate' },
      { id: '2026-0103', reason: 'rejected' },
      { id: '2026-0104', reason: 'withdrawn' },
    ]);
  });

  it('puts a complaint received at 00:10 on the 1st, Shanghai time, in that month although UTC still says the month before', () => {
    expect(report.classification.find((row) => row.category === 'equipment')!.items.map((item) => item.id)).toEqual(['2026-0100']);
    const september = reportFor('2026-09');
    // Only E was received in September.
    expect(september.total.periodCount).toBe(1);
    expect(september.classification.flatMap((row) => row.items.map((item) => item.id))).toEqual(['2026-0050']);
  });

  it('counts in the cumulative total the year so far plus complaints carried over open from last year, but not written-off ones (累计投诉总数)', () => {
    // A (carried over), K (August), E (September), D, F, J. Not B (written off), not C (closed in 2025).
    expect(report.total.cumulativeCount).toBe(6);
  });

  it('counts closures of earlier months’ and last year’s complaints in the period’s closed count (本期投诉处理率)', () => {
    // Closed in October: A (received 2025), E (received September), D, J.
    expect(report.total.periodClosed).toBe(4);
    expect(report.total.periodHandlingRate).toBeCloseTo(4 / 3, 10);
    // Closed by the end of October among the 6 cumulative ones: A, D, E, J, K.
    expect(report.total.cumulativeClosed).toBe(5);
    expect(report.total.cumulativeHandlingRate).toBeCloseTo(5 / 6, 10);
  });

  it('counts a complaint raised by five residents once, and notes the people and the duplicate', () => {
    const environment = report.classification.find((row) => row.category === 'environment')!;
    expect(environment.count).toBe(1);
    expect(environment.items[0]).toMatchObject({ id: '2026-0101', complainants: 5, duplicates: ['2026-0102'], closed: false });
  });

  it('counts two different complaints of the same person separately', () => {
    const twice = [
      complaint('2026-0200', sh('2026-10-05T09:00:00'), openSteps(sh('2026-10-05T09:00:00')), { category: 'equipment' }),
      complaint('2026-0201', sh('2026-10-05T09:30:00'), openSteps(sh('2026-10-05T09:30:00')), { category: 'environment' }),
    ];
    expect(reportFor('2026-10', twice).total.periodCount).toBe(2);
  });

  it('classifies by root cause, not by what intake reported (001 §4.2.2⑥)', () => {
    expect(report.total.byCategory).toEqual({
      housing: 0,
      equipment: 1,
      security: 1,
      environment: 1,
      general_service: 0,
      neighbour_dispute: 0,
      developer: 0,
      other: 0,
    });
  });

  it('divides by the period’s average households for a residential project and by m² for an office (投诉率)', () => {
    const cuiyuan = report.projects.cuiyuan!;
    // Received in October at 翠苑: D, F; cumulative: A, E, D, F. Average households in October: 1,200.
    expect(cuiyuan.periodCount).toBe(2);
    expect(cuiyuan.periodRate).toBeCloseTo(2 / 1200, 12);
    expect(cuiyuan.cumulativeRate).toBeCloseTo(4 / 1200, 12);
    const guomao = report.projects.guomao!;
    // J in October; J and K this year; 50,000 m².
    expect(guomao.periodRate).toBeCloseTo(1 / 50000, 12);
    expect(guomao.cumulativeRate).toBeCloseTo(2 / 50000, 12);
    expect(guomao.periodClosed).toBe(1);
    expect(guomao.cumulativeClosed).toBe(2);
  });

  it('gives no total rate when households and floor area would have to be added, and says why', () => {
    expect(report.total.periodRate).toBeNull();
    expect(report.total.cumulativeRate).toBeNull();
    expect(report.notes.join('\n')).toMatch(/households and floor area cannot be added/);
  });

  it('averages monthly household figures over a quarter', () => {
    // Q3: July and August have no figure of their own; the earliest known (September's 1,000) stands
    // in before it, so the average is (1000 + 1000 + 1000) / 3; E was received in Q3 at 翠苑.
    const quarter = reportFor('2026-Q3');
    expect(quarter.projects.cuiyuan!.periodCount).toBe(1);
    expect(quarter.projects.cuiyuan!.periodRate).toBeCloseTo(1 / 1000, 12);
    // Q4 so far: October 1,200, November and December carry October's figure on: 1,200.
    const q4 = reportFor('2026-Q4');
    expect(q4.projects.cuiyuan!.periodRate).toBeCloseTo(q4.projects.cuiyuan!.periodCount / 1200, 12);
  });

  it('measures completion over the period’s complaints and satisfaction over the period’s visits', () => {
    // D and J of D, F, J are closed by the end of October.
    expect(report.total.completion).toBeCloseTo(2 / 3, 10);
    // Visits in October: A, D and E satisfied, F not.
    expect(report.total.satisfaction).toBeCloseTo(3 / 4, 10);
  });

  it('lists every open complaint at the period’s end with its progress', () => {
    expect(report.total.open).toEqual(['2026-0101']);
    expect(report.openComplaints).toMatchObject([{ id: '2026-0101', state: 'verified', carriedOver: false }]);
  });

  it('ignores what happened after the period: a November complaint, later events', () => {
    const report = reportFor('2026-10');
    expect(report.classification.flatMap((row) => row.items.map((item) => item.id))).not.toContain('2026-0110');
  });

  it('takes written-off complaints out of the next statistics year only', () => {
    const december = reportFor('2025-12');
    // B and A were received in December 2025; B is open until its write-off on the 31st.
    expect(december.total.periodCount).toBe(2);
    const january = reportFor('2026-01');
    // The year 2026 starts with A only carried over (B written off, C closed).
    expect(january.total.cumulativeCount).toBe(1);
  });
});

describe('a period without complaints', () => {
  it('gives a valid report of zeros with null rates and says so, no division by zero', () => {
    const report = reportFor('2026-07');
    expect(report.total).toMatchObject({
      periodCount: 0,
      periodClosed: 0,
      periodHandlingRate: null,
      periodRate: null,
      completion: null,
      satisfaction: null,
      timeliness: null,
    });
    expect(report.projects.cuiyuan!.periodRate).toBe(0);
    expect(report.notes[0]).toMatch(/no complaints were received in the period/);
  });

  it('names the project and the field when a rate needs a figure org.yaml does not give', () => {
    const org = orgSchema.parse({ ...ORG, categories: undefined, clocks: undefined, severity: undefined, projects: [{ key: 'west', name: '西区', type: 'residential' }] });
    expect(() => reportFor('2026-10', [], org)).toThrowError(MissingProjectFigureError);
    expect(() => reportFor('2026-10', [], org)).toThrowErrorMatchingInlineSnapshot(`[MissingProjectFigureError: project "west" has no households in content/org.yaml, so its complaint rate cannot be computed（项目 west 缺少入住户数）]`);
  });
});

describe('timeliness: the share of clocks decided in the period that were met', () => {
  it('counts met and missed clocks, and a clock overdue at the period’s end as missed', () => {
    // Both are general phone complaints received Monday 2026-10-12 09:00: reply the same day (17:30),
    // first response within 24 h (10-13 09:00), visit within 3 working days of the reply.
    const onTime = complaint('2026-0300', sh('2026-10-12T09:00:00'), [
      { type: 'accepted', at: sh('2026-10-12T09:10:00') },
      { type: 'assigned', at: sh('2026-10-12T09:20:00') },
      { type: 'investigated', at: sh('2026-10-12T10:00:00') }, // first response met
      { type: 'replied', at: sh('2026-10-12T16:00:00') }, // reply met; visit due Thu 10-15 17:30
      { type: 'visited', at: sh('2026-10-14T10:00:00') }, // visit met
    ]);
    const late = complaint('2026-0301', sh('2026-10-12T09:00:00'), [
      { type: 'accepted', at: sh('2026-10-12T09:10:00') },
      { type: 'assigned', at: sh('2026-10-12T09:20:00') },
      { type: 'investigated', at: sh('2026-10-13T10:00:00') }, // first response missed (due 09:00)
      { type: 'replied', at: sh('2026-10-13T11:00:00') }, // reply missed (due 10-12 17:30); visit due Fri 10-16 17:30
    ]); // no visit by 10-31: overdue at the period's end, so missed
    const report = reportFor('2026-10', [onTime, late]);
    expect(report.total.timeliness).toBeCloseTo(3 / 6, 10);
  });
});

describe('trends, comparisons and the departments’ assessment', () => {
  it('counts each of the last months for the trend, oldest first', () => {
    const periods = ['2026-08', '2026-09', '2026-10'].map((label) => parsePeriod(label, ORG.timezone));
    expect(trendOf(workedExample(), periods, NOW)).toEqual([
      { label: '2026-08', periodCount: 1, periodClosed: 1, periodHandlingRate: 1 },
      { label: '2026-09', periodCount: 1, periodClosed: 0, periodHandlingRate: 0 },
      { label: '2026-10', periodCount: 3, periodClosed: 4, periodHandlingRate: 4 / 3 },
    ]);
  });

  it('compares projects of one type and of one size band with each other', () => {
    const report = reportFor('2026-10');
    expect(compareProjects(report, ORG).map((group) => [group.group, group.projects.map((project) => project.key)])).toEqual([
      ['residential', ['cuiyuan']],
      ['office', ['guomao']],
      ['area_under_100000', ['guomao']],
    ]);
  });

  it('scores departments 100, −10 per complaint beyond last year, −10 per repeat, +10 per praise (篇5)', () => {
    const year = parsePeriod('2026', ORG.timezone);
    const lastYear = parsePeriod('2025', ORG.timezone);
    const complaints = [
      // The archive reaches back to January 2025, so 2026 is compared with 2025.
      complaint('2025-0001', sh('2025-01-05T10:00:00'), handledUntilClosed(sh('2025-01-05T10:00:00'), sh('2025-01-20T10:00:00'))),
      ...workedExample(),
      complaint('2026-0400', sh('2026-10-20T09:00:00'), openSteps(sh('2026-10-20T09:00:00')), { repeat_of: '2026-0050' }),
    ];
    // engineering 2025: 2025-0001, A, B, C = 4; 2026: D, E, K, 2026-0110, 2026-0400 = 5 counted
    // (2026-0104 was withdrawn). 5 − 4 = 1 beyond → −10; one repeat → −10; one praise → +10: 90.
    // service 2025: 0; 2026: F, J = 2 → −20: 80.
    expect(assessDepartments(complaints, ORG, year, lastYear, { engineering: 1 })).toEqual([
      { department: 'engineering', total: 5, lastYearTotal: 4, repeats: 1, praise: 1, compared: true, score: 90 },
      { department: 'service', total: 2, lastYearTotal: 0, repeats: 0, praise: 0, compared: true, score: 80 },
    ]);
  });

  it('does not compare with last year in the first year of statistics, and never scores below 0', () => {
    const year = parsePeriod('2026', ORG.timezone);
    const lastYear = parsePeriod('2025', ORG.timezone);
    // The worked example starts in November 2025: 2025 is not covered, so nothing counts as "beyond".
    const repeats = Array.from({ length: 12 }, (_, index) =>
      complaint(`2026-${String(500 + index).padStart(4, '0')}`, sh('2026-10-21T09:00:00'), openSteps(sh('2026-10-21T09:00:00')), { repeat_of: '2026-0050', department: 'service', category: 'security' }),
    );
    expect(assessDepartments([...workedExample(), ...repeats], ORG, year, lastYear)).toEqual([
      { department: 'engineering', total: 4, lastYearTotal: 3, repeats: 0, praise: 0, compared: false, score: 100 },
      // 12 repeats would cost 120 points: the score stops at 0.
      { department: 'service', total: 14, lastYearTotal: 0, repeats: 12, praise: 0, compared: false, score: 0 },
    ]);
  });
});

describe('counting never double-counts a complaint raised again (property)', () => {
  it('leaves every count unchanged when duplicates of existing complaints are added, and counts their people', () => {
    const base = workedExample();
    const originals = base.filter((data) => !data.duplicate_of).map((data) => data.id);
    fc.assert(
      fc.property(
        fc.array(fc.record({ of: fc.constantFrom(...originals), day: fc.integer({ min: 1, max: 31 }), people: fc.integer({ min: 1, max: 20 }) }), { maxLength: 8 }),
        (extra) => {
          const duplicates = extra.map((item, index) =>
            complaint(`2026-${String(900 + index).padStart(4, '0')}`, sh(`2026-10-${String(item.day).padStart(2, '0')}T12:00:00`), [], {
              duplicate_of: item.of,
              complainants: item.people,
            }),
          );
          const before = reportFor('2026-10', base);
          const after = reportFor('2026-10', [...base, ...duplicates]);
          for (const key of ['periodCount', 'cumulativeCount', 'periodClosed', 'cumulativeClosed'] as const) expect(after.total[key]).toBe(before.total[key]);
          expect(after.excluded.filter((item) => item.reason === 'duplicate')).toHaveLength(1 + duplicates.length);
          const people = (report: typeof before) => report.classification.flatMap((row) => row.items).reduce((sum, item) => sum + item.complainants, 0);
          const addedToPeriodItems = extra.filter((item) => before.classification.some((row) => row.items.some((listed) => listed.id === item.of)));
          expect(people(after) - people(before)).toBe(addedToPeriodItems.reduce((sum, item) => sum + item.people, 0));
        },
      ),
      { numRuns: 25 },
    );
  });
});
