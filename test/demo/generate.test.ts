import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { chineseDaysSource } from '../../src/calendar/chinese-days.ts';
import { workingCalendar } from '../../src/core/calendar.ts';
import { clocksOf } from '../../src/core/clocks.ts';
import { checkArchive, checkComplaint, checkPersonalData } from '../../src/core/complaint/check.ts';
import type { ComplaintData } from '../../src/core/complaint/schema.ts';
import { stateOf, STATES } from '../../src/core/complaint/states.ts';
import { orgSchema, type Org } from '../../src/core/org/schema.ts';
import { CHANNELS, NO_VISIT_REASONS, URGENCIES } from '../../src/core/org/vocabulary.ts';
import { DEFAULT_DEMO_COUNT, DEFAULT_DEMO_SEED, DemoCountError, generateDemoArchive, type DemoArchive } from '../../src/demo/generate.ts';
import { DEMO_RECIPIENT } from '../../src/demo/organisation.ts';
import { isHoliday, isWorkingTime } from '../../src/demo/working-time.ts';

const NOW = new Date('2026-11-23T10:00:00+08:00');
const DAY_MS = 24 * 60 * 60 * 1000;

function minimumCount(): number {
  try {
    generateDemoArchive({ seed: DEFAULT_DEMO_SEED, count: 0, now: NOW });
  } catch (error) {
    if (error instanceof DemoCountError) return error.minimum;
    throw error;
  }
  throw new Error('a count of 0 was accepted');
}

const MINIMUM = minimumCount();
const full = generateDemoArchive({ seed: DEFAULT_DEMO_SEED, count: DEFAULT_DEMO_COUNT, now: NOW });
const small = generateDemoArchive({ seed: 7, count: MINIMUM, now: NOW });

/** Every problem the archive checks of `complaints validate` find, as text. */
function problemsOf(archive: DemoArchive): string[] {
  const org = orgSchema.parse(archive.org);
  return [
    ...archive.complaints.flatMap(({ data, body }) => [...checkComplaint(data, org), ...checkPersonalData(data, body)].map((problem) => `${data.id}: ${problem.message}`)),
    ...checkArchive(archive.complaints, org).map((problem) => `${problem.file}: ${problem.message}`),
  ];
}

const dataOf = (archive: DemoArchive) => archive.complaints.map((complaint) => complaint.data);
const byId = (archive: DemoArchive) => new Map(dataOf(archive).map((data) => [data.id, data]));

describe('the demo organisation', () => {
  const org: Org = orgSchema.parse(full.org);

  it('is marked as demo data on the property preset with the demo recipient', () => {
    expect(org.demo).toBe(true);
    expect(org.name).toContain('演示数据');
    expect(org.preset).toBe('property');
    expect(org.recipients).toEqual([DEMO_RECIPIENT]);
  });

  it('has residential estates with households (one per month) and offices under and over 100,000 m²', () => {
    const residential = org.projects.filter((project) => project.type === 'residential');
    const offices = org.projects.filter((project) => project.type === 'office');
    expect(org.projects.length).toBeGreaterThanOrEqual(3);
    expect(residential.every((project) => project.households !== undefined)).toBe(true);
    expect(residential.some((project) => typeof project.households === 'object')).toBe(true);
    const areas = offices.map((project) => project.area).filter((area): area is number => typeof area === 'number');
    expect(areas.some((area) => area < 100_000)).toBe(true);
    expect(areas.some((area) => area > 100_000)).toBe(true);
  });

  it('gives every month of the archive a household figure for the estate counted per month', () => {
    const monthly = org.projects.find((project) => typeof project.households === 'object')!.households as Record<string, number>;
    for (const { received_at } of dataOf(full)) {
      expect(monthly, received_at).toHaveProperty(DateTime.fromISO(received_at, { setZone: true }).toFormat('yyyy-MM'));
    }
  });

  it('routes every category to a department with handlers, and names supervisors and leadership', () => {
    for (const category of org.categories) {
      const department = org.departments.find((candidate) => candidate.categories.includes(category.key));
      expect(department?.handlers.length, category.key).toBeGreaterThan(0);
    }
    expect(org.supervisors.length).toBeGreaterThan(0);
    expect(org.leadership.length).toBeGreaterThan(0);
  });
});

describe.each([
  ['the default count', full],
  ['the smallest count', small],
])('a demo archive of %s', (_name, archive) => {
  const org = orgSchema.parse(archive.org);
  const complaints = dataOf(archive);

  it('passes every record, reference, personal-data and archive check with zero problems', () => {
    expect(problemsOf(archive)).toEqual([]);
  });

  it('covers every category, channel, urgency and state', () => {
    expect(new Set(complaints.map((data) => data.category))).toEqual(new Set(org.categories.map((category) => category.key)));
    expect(new Set(complaints.map((data) => data.channel))).toEqual(new Set(CHANNELS));
    expect(new Set(complaints.map((data) => data.urgency))).toEqual(new Set(URGENCIES));
    expect(new Set(complaints.map((data) => stateOf(data)))).toEqual(new Set(STATES));
  });

  it('has one matter raised by at least three different complainants within a month, linked as duplicates', () => {
    const hot = complaints.find((original) => {
      const duplicates = complaints.filter(
        (other) => other.duplicate_of === original.id && Date.parse(other.received_at) - Date.parse(original.received_at) <= 30 * DAY_MS,
      );
      const people = new Set([original, ...duplicates].map((data) => archive.complaints.find((complaint) => complaint.data === data)?.contact?.phone));
      return duplicates.length >= 2 && people.size >= 3;
    });
    expect(hot).toBeDefined();
  });

  it('has a repeat of a complaint that was closed before it came back', () => {
    const ids = byId(archive);
    const repeats = complaints.filter((data) => data.repeat_of);
    expect(repeats.length).toBeGreaterThan(0);
    for (const repeat of repeats) {
      const original = ids.get(repeat.repeat_of!)!;
      expect(stateOf(original)).toBe('closed');
      expect(Date.parse(original.closure!.at)).toBeLessThan(Date.parse(repeat.received_at));
    }
  });

  it('writes off a complaint of the previous year on 31 December with a special analysis', () => {
    const writtenOff = complaints.filter((data) => stateOf(data) === 'written_off');
    expect(writtenOff).toHaveLength(1);
    const [complaint] = writtenOff;
    expect(complaint!.received_at.startsWith('2025-')).toBe(true);
    expect(complaint!.closure?.basis).toBe('written_off');
    expect(complaint!.closure?.note).toContain('专题分析');
    expect(complaint!.events.at(-1)).toMatchObject({ type: 'written_off' });
    expect(complaint!.events.at(-1)!.at.startsWith('2025-12-31T')).toBe(true);
  });

  it('has major complaints: media exposure, a lawsuit and a collective complaint of at least ten people', () => {
    expect(complaints.some((data) => data.severity?.flags.includes('media'))).toBe(true);
    expect(complaints.some((data) => data.severity?.flags.includes('lawsuit'))).toBe(true);
    expect(complaints.some((data) => data.complainants >= 10)).toBe(true);
  });

  it('has hot complaints: a threat to go to the media and a collective complaint of three to nine people', () => {
    expect(complaints.some((data) => data.severity?.flags.includes('possible_media'))).toBe(true);
    expect(complaints.some((data) => data.complainants >= 3 && data.complainants < 10)).toBe(true);
  });

  it('rejects out-of-scope complaints saying where the complainant can go instead', () => {
    const rejections = complaints.flatMap((data) => data.events.filter((event) => event.type === 'rejected'));
    expect(rejections.length).toBeGreaterThanOrEqual(2);
    for (const rejection of rejections) expect(rejection.note).toMatch(/告知.*(向|拨打)/);
  });

  it('pauses with a reason, resumes, extends with the complainant told, and escalates', () => {
    const events = complaints.flatMap((data) => data.events);
    expect(events.some((event) => event.type === 'paused' && event.reason === 'outside_party')).toBe(true);
    expect(events.some((event) => event.type === 'paused' && event.reason === 'complainant')).toBe(true);
    expect(events.some((event) => event.type === 'resumed')).toBe(true);
    expect(events.some((event) => event.type === 'extended' && event.told_complainant === true && event.due)).toBe(true);
    expect(events.some((event) => event.type === 'escalated')).toBe(true);
    expect(events.some((event) => event.type === 'transferred')).toBe(true);
  });

  it('reopens after an unsatisfied visit and closes after a satisfied one', () => {
    const reopened = complaints.filter((data) => {
      const unsatisfied = data.events.findIndex((event) => event.type === 'visited' && event.note?.includes('不满意'));
      return unsatisfied >= 0 && data.events[unsatisfied + 1]?.type === 'reopened';
    });
    expect(reopened.length).toBeGreaterThan(0);
    expect(reopened.some((data) => stateOf(data) === 'closed' && data.visit?.satisfied === true)).toBe(true);
  });

  it('closes without a visit for every no-visit reason, and only a week after the reply', () => {
    expect(new Set(complaints.flatMap((data) => (data.no_visit ? [data.no_visit.reason] : [])))).toEqual(new Set(NO_VISIT_REASONS));
    const closedWithoutVisit = complaints.filter((data) => data.closure?.basis === 'no_repeat_7d');
    expect(closedWithoutVisit.length).toBeGreaterThan(0);
    for (const data of closedWithoutVisit) expect(Date.parse(data.closure!.at) - Date.parse(data.reply!.at)).toBeGreaterThanOrEqual(7 * DAY_MS);
  });

  it('keeps notes for the public board on public events', () => {
    expect(complaints.filter((data) => data.events.some((event) => event.public_note)).length).toBeGreaterThan(complaints.length / 2);
  });

  it('dates every event at or before now, and all but the written-off complaint within the six months before', () => {
    const sixMonthsBefore = DateTime.fromJSDate(NOW).minus({ months: 6, days: 2 }).toMillis();
    for (const data of complaints) {
      for (const event of data.events) expect(Date.parse(event.at), `${data.id} ${event.type}`).toBeLessThanOrEqual(NOW.getTime());
      if (stateOf(data) !== 'written_off') expect(Date.parse(data.received_at), data.id).toBeGreaterThanOrEqual(sixMonthsBefore);
    }
  });

  it('writes every time in Shanghai time (+08:00)', () => {
    const times = complaints.flatMap((data) => [data.received_at, ...data.events.map((event) => event.at)]);
    expect(times.every((time) => time.endsWith('+08:00'))).toBe(true);
  });

  it('keeps names and numbers out of the complaint texts', () => {
    for (const complaint of archive.complaints) {
      expect(complaint.body, complaint.data.id).not.toMatch(/女士|先生|1380000/);
      if (complaint.contact?.name) expect(JSON.stringify(complaint.data)).not.toContain(complaint.contact.name);
    }
  });
});

describe('the default demo archive', () => {
  const complaints = dataOf(full);

  it('holds at least 200 complaints', () => {
    expect(complaints.length).toBeGreaterThanOrEqual(200);
  });

  it('receives most complaints in working hours, and some at night, at weekends and on public holidays', () => {
    const hours = { timezone: 'Asia/Shanghai', start: '08:30', end: '17:30' };
    const times = complaints.map((data) => DateTime.fromISO(data.received_at, { setZone: true }));
    const inWorkingHours = times.filter((time) => isWorkingTime(time, hours)).length;
    expect(inWorkingHours / times.length).toBeGreaterThan(0.6);
    expect(times.some((time) => time.hour >= 19 || time.hour < 7)).toBe(true);
    expect(times.some((time) => time.weekday >= 6)).toBe(true);
    expect(times.some((time) => isHoliday(time))).toBe(true);
  });

  it('meets most time limits and misses some, as the clocks of SPEC §5 measure them', () => {
    const org = orgSchema.parse(full.org);
    const calendar = workingCalendar(org, chineseDaysSource);
    const states = complaints.flatMap((data) => clocksOf(data, org, calendar, NOW).map((reading) => reading.state));
    const met = states.filter((state) => state === 'met').length;
    const missed = states.filter((state) => state === 'missed').length;
    expect(met / (met + missed)).toBeGreaterThan(0.8);
    expect(missed).toBeGreaterThan(0);
  });
});

describe('reproducing the demo', () => {
  it('gives the same archive, contacts included, for the same seed and moment', () => {
    expect(generateDemoArchive({ seed: DEFAULT_DEMO_SEED, count: DEFAULT_DEMO_COUNT, now: NOW })).toEqual(full);
  });

  it('gives another archive for another seed', () => {
    const other = generateDemoArchive({ seed: DEFAULT_DEMO_SEED + 1, count: DEFAULT_DEMO_COUNT, now: NOW });
    expect(other.complaints.map((complaint) => complaint.data.title)).not.toEqual(full.complaints.map((complaint) => complaint.data.title));
  });

  it('refuses a count below what the pinned scenarios need, naming the minimum', () => {
    expect(() => generateDemoArchive({ seed: 1, count: MINIMUM - 1, now: NOW })).toThrow(DemoCountError);
    expect(() => generateDemoArchive({ seed: 1, count: MINIMUM - 1, now: NOW })).toThrow(`at least ${MINIMUM} complaints`);
  });

  it('passes every check for any seed and any moment', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2028-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 30 }),
        (seed, now, extra) => {
          const archive = generateDemoArchive({ seed, count: MINIMUM + extra, now });
          expect(archive.complaints).toHaveLength(MINIMUM + extra);
          expect(problemsOf(archive)).toEqual([]);
          expect(new Set(dataOf(archive).map((data) => stateOf(data)))).toEqual(new Set(STATES));
        },
      ),
      { numRuns: 15 },
    );
  });
});
