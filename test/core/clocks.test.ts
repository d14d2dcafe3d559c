import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chineseDaysSource } from '../../src/calendar/chinese-days.ts';
import { formatInstant, instantIn, isWorkingDay, localDate, workingCalendar } from '../../src/core/calendar.ts';
import { baseDueTime, clocksOf, dueTimeOf, readingsDependOnNow, type ClockReading } from '../../src/core/clocks.ts';
import { generateDemoArchive } from '../../src/demo/generate.ts';
import { complaintSchema, type ComplaintData, type ComplaintInput } from '../../src/core/complaint/schema.ts';
import { orgSchema, type Limit, type Org, type OrgFileInput } from '../../src/core/org/schema.ts';
import type { PresetName } from '../../src/core/org/vocabulary.ts';

// Calendar used below (Asia/Shanghai, working hours 08:30–17:30, chinese-days data for 2026):
// Mon 2026-09-14 … Fri 09-18 ordinary; Sat 09-19 off; Sun 09-20 worked (调休); Mon 09-21 … Thu 09-24;
// Fri 09-25 – Sun 09-27 Mid-autumn; Mon 09-28 – Wed 09-30; Thu 10-01 – Wed 10-07 National Day;
// Thu 10-08, Fri 10-09, Sat 10-10 worked (调休); Sun 10-11 off; Mon 10-12 onwards ordinary.

type EventInput = ComplaintInput['events'][number];

function orgOf(preset: PresetName, extra: Partial<OrgFileInput> = {}): Org {
  return orgSchema.parse({
    name: '测试物业服务中心',
    preset,
    projects: [{ key: 'cuiyuan', name: '翠苑小区', type: 'residential', households: 1200 }],
    departments: [{ key: 'engineering', name: '工程部', handlers: ['alice'] }],
    ...extra,
  });
}

const property = orgOf('property');
const calendarOf = (org: Org) => workingCalendar(org, chineseDaysSource);
const calendar = calendarOf(property);

function event(type: EventInput['type'], at: string, extra: Partial<EventInput> = {}): EventInput {
  return { type, at, by: 'alice', ...extra };
}

function complaint(fields: Partial<ComplaintInput> & Pick<ComplaintInput, 'received_at' | 'channel'>, events: EventInput[] = []): ComplaintData {
  return complaintSchema.parse({
    id: '2026-0001',
    title: '电梯故障',
    received_by: 'alice',
    project: 'cuiyuan',
    category: 'other',
    department: 'engineering',
    ...fields,
    events: [event('received', fields.received_at), ...events],
  });
}

/** The due time of each clock, by clock name. */
function dues(data: ComplaintData, org: Org = property, now = '2026-09-01T00:00:00+08:00'): Record<string, string> {
  return Object.fromEntries(clocksOf(data, org, calendarOf(org), new Date(now)).map((reading) => [reading.clock, reading.due]));
}

function reading(data: ComplaintData, clock: string, now: string, org: Org = property): ClockReading {
  const found = clocksOf(data, org, calendarOf(org), new Date(now)).find((candidate) => candidate.clock === clock);
  if (!found) throw new Error(`no ${clock} clock`);
  return found;
}

/** Events that take a complaint to "replied" on Friday 2026-10-09. */
const REPLIED_ON_FRIDAY: EventInput[] = [
  event('accepted', '2026-10-09T09:30:00+08:00'),
  event('assigned', '2026-10-09T10:00:00+08:00'),
  event('investigated', '2026-10-09T11:00:00+08:00'),
  event('replied', '2026-10-09T15:00:00+08:00'),
];

describe('the property preset', () => {
  it('gives an online complaint a 4 h acknowledgement, a same-day reply and, when general, a 24 h first response', () => {
    // Received Monday 10:00: ack 10:00 + 4 h; reply at the end of that working day; first response 10:00 + 24 h.
    expect(dues(complaint({ channel: 'online', urgency: 'general', received_at: '2026-09-14T10:00:00+08:00' }))).toEqual({
      ack: '2026-09-14T14:00:00+08:00',
      reply: '2026-09-14T17:30:00+08:00',
      first_response: '2026-09-15T10:00:00+08:00',
    });
  });

  it.each(['visit', 'phone'] as const)('answers a %s complaint the same day', (channel) => {
    // Wednesday 15:00, within working hours: the end of that working day.
    expect(dues(complaint({ channel, urgency: 'general', received_at: '2026-09-16T15:00:00+08:00' }))).toEqual({
      reply: '2026-09-16T17:30:00+08:00',
      first_response: '2026-09-17T15:00:00+08:00',
    });
  });

  it.each(['letter', 'email', 'suggestion_box', 'principal_mailbox'] as const)(
    'answers a %s complaint within 2 working days, counting the worked Sunday 20 September',
    (channel) => {
      // Thursday 09-17: Fri 09-18 (1), Sat off, Sun 09-20 worked (2) → reply 09-20 17:30.
      // Non-urgent first response, 3 working days: 09-18 (1), 09-20 (2), Mon 09-21 (3).
      expect(dues(complaint({ channel, urgency: 'non_urgent', received_at: '2026-09-17T11:00:00+08:00' }))).toEqual({
        reply: '2026-09-20T17:30:00+08:00',
        first_response: '2026-09-21T17:30:00+08:00',
      });
    },
  );

  it('gives an urgent phone complaint 2 h to be on site and 4 h to a first solution, around the clock', () => {
    expect(dues(complaint({ channel: 'phone', urgency: 'urgent', received_at: '2026-09-16T15:00:00+08:00' }))).toEqual({
      reply: '2026-09-16T17:30:00+08:00',
      onsite: '2026-09-16T17:00:00+08:00',
      first_solution: '2026-09-16T19:00:00+08:00',
    });
  });
});

describe('the campus preset', () => {
  it('answers within 48 h and decides how to handle the complaint within 15 calendar days', () => {
    // Friday 09-18 16:00: reply + 48 h = Sun 09-20 16:00; first response + 24 h; decision at the end of 09-18 + 15 days = 10-03.
    expect(dues(complaint({ channel: 'online', urgency: 'general', received_at: '2026-09-18T16:00:00+08:00' }), orgOf('campus'))).toEqual({
      reply: '2026-09-20T16:00:00+08:00',
      first_response: '2026-09-19T16:00:00+08:00',
      decision: '2026-10-03T23:59:59+08:00',
    });
  });
});

describe('the public-service preset', () => {
  it('sends the acceptance notice within 2 and the result within 15 working days, skipping National Day', () => {
    // Wed 09-30: acceptance Oct 8 (1), Oct 9 (2). Result: Oct 8, 9, 10 (worked Saturday), 12, 13, 14, 15, 16,
    // 19, 20, 21, 22, 23, 26, 27 (15). First response: + 24 h, holidays do not matter.
    expect(dues(complaint({ channel: 'visit', urgency: 'general', received_at: '2026-09-30T10:00:00+08:00' }), orgOf('public-service'))).toEqual({
      acceptance: '2026-10-09T17:30:00+08:00',
      first_response: '2026-10-01T10:00:00+08:00',
      result: '2026-10-27T17:30:00+08:00',
    });
  });
});

describe.each(['property', 'campus', 'public-service'] as const)('clocks every %s organisation shares', (preset) => {
  const org = orgOf(preset);

  it('gives urgent complaints 2 h on site and 4 h to a first solution', () => {
    // Saturday night: urgent clocks ignore working hours.
    const due = dues(complaint({ channel: 'other', urgency: 'urgent', received_at: '2026-09-19T22:00:00+08:00' }), org);
    expect([due.onsite, due.first_solution, due.first_response]).toEqual(['2026-09-20T00:00:00+08:00', '2026-09-20T02:00:00+08:00', undefined]);
  });

  it('gives general complaints a first response in 24 h and non-urgent ones in 3 working days', () => {
    expect(dues(complaint({ channel: 'other', urgency: 'general', received_at: '2026-09-30T10:00:00+08:00' }), org).first_response).toBe(
      '2026-10-01T10:00:00+08:00',
    );
    // Wed 09-30: Oct 8 (1), Oct 9 (2), Oct 10, the worked Saturday (3).
    expect(dues(complaint({ channel: 'other', urgency: 'non_urgent', received_at: '2026-09-30T10:00:00+08:00' }), org).first_response).toBe(
      '2026-10-10T17:30:00+08:00',
    );
  });

  it('holds a forwarded complaint to the deadline the forwarding office set, shown in Shanghai time', () => {
    const forwarded = complaint({
      channel: 'forwarded',
      urgency: 'general',
      received_at: '2026-10-12T10:00:00+08:00',
      source: { office: '12345 市民热线', deadline: '2026-10-20T09:00:00Z' },
    });
    expect(dues(forwarded, org).forwarded).toBe('2026-10-20T17:00:00+08:00');
    // Without a deadline there is nothing to hold it to.
    expect(dues(complaint({ channel: 'forwarded', urgency: 'general', received_at: '2026-10-12T10:00:00+08:00' }), org).forwarded).toBeUndefined();
  });

  it('starts the visit clock at the reply: 3 working days, the worked Saturday 10 October counting', () => {
    // Replied Fri 10-09 15:00: Sat 10-10 (1), Mon 10-12 (2), Tue 10-13 (3).
    const replied = complaint({ channel: 'phone', urgency: 'general', received_at: '2026-10-09T09:00:00+08:00' }, REPLIED_ON_FRIDAY);
    const visit = reading(replied, 'visit', '2026-10-09T16:00:00+08:00', org);
    expect([visit.startedAt, visit.due, visit.state]).toEqual(['2026-10-09T15:00:00+08:00', '2026-10-13T17:30:00+08:00', 'ok']);
    // Not before the reply, and not when no visit is needed (001 §4.4.4.1).
    expect(dues(complaint({ channel: 'phone', urgency: 'general', received_at: '2026-10-09T09:00:00+08:00' }), org).visit).toBeUndefined();
    const noVisit = complaint({ channel: 'phone', urgency: 'general', received_at: '2026-10-09T09:00:00+08:00', no_visit: { reason: 'anonymous' } }, REPLIED_ON_FRIDAY);
    expect(dues(noVisit, org).visit).toBeUndefined();
  });
});

describe('same-day limits', () => {
  it.each([
    ['2026-10-09T16:00:00+08:00', '2026-10-09T17:30:00+08:00', 'within working hours on a Friday: that day'],
    ['2026-10-09T09:00:00Z', '2026-10-09T17:30:00+08:00', '09:00 UTC is 17:00 in Shanghai, still within working hours'],
    ['2026-10-09T17:30:00+08:00', '2026-10-10T17:30:00+08:00', 'at the end of working hours: the next working day, the worked Saturday'],
    ['2026-10-09T08:00:00+08:00', '2026-10-10T17:30:00+08:00', 'before working hours: the next working day'],
    ['2026-10-09T16:30:00Z', '2026-10-12T17:30:00+08:00', '16:30 UTC Friday is 00:30 Saturday in Shanghai: before hours, so Monday'],
    ['2026-10-03T10:00:00+08:00', '2026-10-08T17:30:00+08:00', 'on National Day: the first working day after the holiday'],
    ['2026-09-30T20:00:00+08:00', '2026-10-08T17:30:00+08:00', 'on the evening before National Day'],
    ['2026-09-19T10:00:00+08:00', '2026-09-20T17:30:00+08:00', 'on a Saturday before a worked Sunday'],
    ['2026-10-11T09:00:00+08:00', '2026-10-12T17:30:00+08:00', 'on an ordinary Sunday'],
  ])('a phone complaint received %s is due %s (%s)', (receivedAt, due) => {
    expect(dues(complaint({ channel: 'phone', urgency: 'general', received_at: receivedAt })).reply).toBe(due);
  });
});

describe('working-day and calendar-day limits', () => {
  it.each([
    ['2026-10-09T16:30:00Z', '2026-10-13T17:30:00+08:00', 'Sat 10-10 00:30 in Shanghai: Mon 10-12 (1), Tue 10-13 (2)'],
    ['2026-10-09T15:59:59Z', '2026-10-12T17:30:00+08:00', 'Fri 10-09 23:59:59 in Shanghai: Sat 10-10 (1), Mon 10-12 (2)'],
    ['2026-10-03T10:00:00+08:00', '2026-10-09T17:30:00+08:00', 'on a holiday: Oct 8 is day 1, Oct 9 day 2'],
    ['2026-09-30T20:00:00+08:00', '2026-10-09T17:30:00+08:00', 'after hours on 09-30: Oct 8 (1), Oct 9 (2)'],
  ])('a letter received %s is due %s (%s)', (receivedAt, due) => {
    expect(dues(complaint({ channel: 'letter', urgency: 'general', received_at: receivedAt })).reply).toBe(due);
  });

  it.each([
    ['2026-09-30T16:30:00Z', '2026-10-16T23:59:59+08:00', '00:30 on Oct 1 in Shanghai: the end of Oct 1 + 15 days'],
    ['2026-09-30T15:59:00Z', '2026-10-15T23:59:59+08:00', '23:59 on Sep 30 in Shanghai: the end of Sep 30 + 15 days'],
  ])('a campus complaint received %s must be decided by %s (%s)', (receivedAt, due) => {
    expect(dues(complaint({ channel: 'online', urgency: 'general', received_at: receivedAt }), orgOf('campus')).decision).toBe(due);
  });
});

describe('org.yaml overrides', () => {
  it('replaces all of the preset rules of a clock with the organisation rules', () => {
    const org = orgOf('property', { clocks: [{ clock: 'reply', channels: ['phone'], limit: '1 working day' }] });
    // Phone on Fri 10-09: 1 working day → the worked Saturday 10-10.
    expect(dues(complaint({ channel: 'phone', urgency: 'general', received_at: '2026-10-09T10:00:00+08:00' }), org).reply).toBe('2026-10-10T17:30:00+08:00');
    // The preset's same-day rule for visits is gone with it.
    expect(dues(complaint({ channel: 'visit', urgency: 'general', received_at: '2026-10-09T10:00:00+08:00' }), org).reply).toBeUndefined();
  });

  it('takes the first matching rule when several rules of one clock match', () => {
    const org = orgOf('property', {
      clocks: [
        { clock: 'reply', limit: '4 h' },
        { clock: 'reply', channels: ['phone'], limit: 'same day' },
      ],
    });
    expect(dues(complaint({ channel: 'phone', urgency: 'general', received_at: '2026-10-09T10:00:00+08:00' }), org).reply).toBe('2026-10-09T14:00:00+08:00');
  });

  it('uses the calendar overrides and working hours of org.yaml', () => {
    const received = complaint({ channel: 'phone', urgency: 'general', received_at: '2026-10-09T17:45:00+08:00' });
    // After hours on Friday; the company does not work the adjusted Saturday → Monday.
    expect(dues(received, orgOf('property', { calendar: { overrides: { '2026-10-10': 'off' } } })).reply).toBe('2026-10-12T17:30:00+08:00');
    // With working hours to 18:00, 17:45 is still within them.
    expect(dues(received, orgOf('property', { workday: { start: '09:00', end: '18:00' } })).reply).toBe('2026-10-09T18:00:00+08:00');
  });

  it('warns when a deadline falls in a year without official data, and settles the days an override names', () => {
    const letter = complaint({ channel: 'letter', urgency: 'general', received_at: '2026-12-30T10:00:00+08:00' });
    // No override: Thu 12-31 (1), Fri 2027-01-01 assumed to be worked (2).
    const guessed = reading(letter, 'reply', '2026-12-30T11:00:00+08:00');
    expect(guessed.due).toBe('2027-01-01T17:30:00+08:00');
    expect(guessed.warnings.map((warning) => [warning.year, warning.firstDate])).toEqual([[2027, '2027-01-01']]);
    // With "2027-01-01": off → Sat 01-02 and Sun 01-03 assumed off, Mon 01-04 (2).
    const org = orgOf('property', { calendar: { overrides: { '2027-01-01': 'off' } } });
    const overridden = reading(letter, 'reply', '2026-12-30T11:00:00+08:00', org);
    expect(overridden.due).toBe('2027-01-04T17:30:00+08:00');
    expect(overridden.warnings.map((warning) => [warning.year, warning.firstDate])).toEqual([[2027, '2027-01-02']]);
    // A 24 h clock into 2027 does not consult the calendar, so it has nothing to warn about.
    const firstResponse = reading(complaint({ channel: 'phone', urgency: 'general', received_at: '2026-12-31T20:00:00+08:00' }), 'first_response', '2026-12-31T21:00:00+08:00');
    expect([firstResponse.due, firstResponse.warnings]).toEqual(['2027-01-01T20:00:00+08:00', []]);
  });
});

describe('pauses', () => {
  const received_at = '2026-09-14T10:00:00+08:00';

  it('adds the paused wall-clock time to a 24 h clock', () => {
    const paused = complaint({ channel: 'visit', urgency: 'general', received_at }, [
      event('paused', '2026-09-14T12:00:00+08:00', { reason: 'complainant', note: '等待业主提供照片' }),
      event('resumed', '2026-09-14T15:00:00+08:00'),
    ]);
    // Tue 10:00 + 3 h paused.
    expect(reading(paused, 'first_response', '2026-09-14T16:00:00+08:00').due).toBe('2026-09-15T13:00:00+08:00');
  });

  it('counts a pause that is still open up to now', () => {
    const paused = complaint({ channel: 'visit', urgency: 'general', received_at }, [
      event('paused', '2026-09-14T12:00:00+08:00', { reason: 'outside_party', note: '等待供水公司' }),
    ]);
    // Paused 12:00 to now (18:00) = 6 h → Tue 10:00 + 6 h.
    expect(reading(paused, 'first_response', '2026-09-14T18:00:00+08:00').due).toBe('2026-09-15T16:00:00+08:00');
  });

  it('adds only the paused working time to a working-day clock', () => {
    const letter = complaint({ channel: 'letter', urgency: 'general', received_at: '2026-09-17T11:00:00+08:00' }, [
      event('paused', '2026-09-18T16:00:00+08:00', { reason: 'complainant', note: '等待业主补充材料' }),
      event('resumed', '2026-09-21T10:00:00+08:00'),
    ]);
    // Base due Sun 09-20 17:30. Paused working time: Fri 16:00–17:30 (1.5 h) + Sun 09-20 worked (9 h) + Mon 08:30–10:00 (1.5 h) = 12 h.
    // From Sun 17:30: Mon 09-21 gives 9 h, Tue 09-22 08:30 + 3 h = 11:30.
    expect(reading(letter, 'reply', '2026-09-21T11:00:00+08:00').due).toBe('2026-09-22T11:30:00+08:00');
  });

  it('pushes a same-day reply into the next working day by the paused working time', () => {
    const phone = complaint({ channel: 'phone', urgency: 'general', received_at: '2026-09-16T15:00:00+08:00' }, [
      event('paused', '2026-09-16T16:00:00+08:00', { reason: 'complainant', note: '等待回电' }),
      event('resumed', '2026-09-16T16:30:00+08:00'),
    ]);
    // Wed 17:30 + 30 min of working time → Thu 08:30 + 30 min.
    expect(reading(phone, 'reply', '2026-09-16T17:00:00+08:00').due).toBe('2026-09-17T09:00:00+08:00');
  });

  it('ignores a pause that begins after the due time', () => {
    const phone = complaint({ channel: 'phone', urgency: 'general', received_at: '2026-09-16T15:00:00+08:00' }, [
      event('paused', '2026-09-16T18:00:00+08:00', { reason: 'complainant', note: '等待回电' }),
      event('resumed', '2026-09-17T09:00:00+08:00'),
    ]);
    const reply = reading(phone, 'reply', '2026-09-17T10:00:00+08:00');
    expect([reply.due, reply.state]).toEqual(['2026-09-16T17:30:00+08:00', 'overdue']);
  });

  it('ignores a pause after the clock stopped and cuts one the clock stopped in', () => {
    const online = complaint({ channel: 'online', urgency: 'general', received_at }, [
      event('accepted', '2026-09-14T11:00:00+08:00'),
      event('assigned', '2026-09-14T11:30:00+08:00'),
      event('paused', '2026-09-14T12:00:00+08:00', { reason: 'complainant', note: '等待业主' }),
      event('investigated', '2026-09-14T14:00:00+08:00'),
      event('resumed', '2026-09-14T16:00:00+08:00'),
    ]);
    // ack stopped at 11:00, before the pause: due stays 14:00.
    const ack = reading(online, 'ack', '2026-09-14T17:00:00+08:00');
    expect([ack.due, ack.state, ack.stoppedAt]).toEqual(['2026-09-14T14:00:00+08:00', 'met', '2026-09-14T11:00:00+08:00']);
    // first_response stopped at 14:00, inside the pause: only 12:00–14:00 counts → Tue 10:00 + 2 h.
    const firstResponse = reading(online, 'first_response', '2026-09-14T17:00:00+08:00');
    expect([firstResponse.due, firstResponse.state]).toEqual(['2026-09-15T12:00:00+08:00', 'met']);
  });
});

describe('extensions', () => {
  it('replaces the due time with the latest extension, and adds pauses after it but not before it', () => {
    const letter = complaint({ channel: 'letter', urgency: 'general', received_at: '2026-09-17T11:00:00+08:00' }, [
      event('paused', '2026-09-17T14:00:00+08:00', { reason: 'complainant', note: '等待材料' }),
      event('resumed', '2026-09-17T15:00:00+08:00'),
      event('extended', '2026-09-18T09:00:00+08:00', { clock: 'reply', due: '2026-09-25T17:00:00+08:00', note: '需外单位检测', told_complainant: true }),
      event('extended', '2026-09-22T09:00:00+08:00', { clock: 'reply', due: '2026-09-24T12:00:00+08:00', note: '检测提前完成', told_complainant: true }),
      event('paused', '2026-09-23T10:00:00+08:00', { reason: 'outside_party', note: '等待检测报告' }),
      event('resumed', '2026-09-23T12:00:00+08:00'),
    ]);
    // The latest extension: Thu 09-24 12:00; the 2 working hours paused on Wed 09-23 after it → 14:00.
    const reply = reading(letter, 'reply', '2026-09-23T13:00:00+08:00');
    expect([reply.due, reply.extended]).toEqual(['2026-09-24T14:00:00+08:00', true]);
    // Another clock keeps its own due time: Fri 11:00 (24 h) + the 1 h paused on Thursday; the later pause began after it.
    expect(reading(letter, 'first_response', '2026-09-23T13:00:00+08:00').due).toBe('2026-09-18T12:00:00+08:00');
  });

  it('ignores an extension recorded after the clock stopped, so a miss stays a miss', () => {
    const online = complaint({ channel: 'online', urgency: 'general', received_at: '2026-09-14T10:00:00+08:00' }, [
      event('accepted', '2026-09-14T15:00:00+08:00'),
      event('extended', '2026-09-14T16:00:00+08:00', { clock: 'ack', due: '2026-09-14T18:00:00+08:00', note: '补记', told_complainant: true }),
    ]);
    const ack = reading(online, 'ack', '2026-09-14T17:00:00+08:00');
    expect([ack.due, ack.state, ack.extended]).toEqual(['2026-09-14T14:00:00+08:00', 'missed', false]);
  });
});

describe('clock states', () => {
  // A general visit complaint received Mon 09-14 10:00: first response due Tue 10:00, a 24 h window;
  // due soon from 75 % of it (18 h, Tue 04:00); long overdue after another whole window (Wed 10:00).
  const received_at = '2026-09-14T10:00:00+08:00';
  const open = complaint({ channel: 'visit', urgency: 'general', received_at });
  const stoppedAt = (at: string) =>
    complaint({ channel: 'visit', urgency: 'general', received_at }, [
      event('accepted', '2026-09-14T10:30:00+08:00'),
      event('assigned', '2026-09-14T11:00:00+08:00'),
      event('investigated', at),
    ]);

  it.each([
    ['2026-09-14T12:00:00+08:00', 'ok', false],
    ['2026-09-15T03:59:59+08:00', 'ok', false],
    ['2026-09-15T04:00:00+08:00', 'due_soon', false],
    ['2026-09-15T10:00:00+08:00', 'due_soon', false],
    ['2026-09-15T10:00:01+08:00', 'overdue', false],
    ['2026-09-16T10:00:00+08:00', 'overdue', false],
    ['2026-09-16T10:00:01+08:00', 'overdue', true],
  ] as const)('a running clock at %s is %s (long overdue: %s)', (now, state, longOverdue) => {
    const clock = reading(open, 'first_response', now);
    expect([clock.state, clock.longOverdue, clock.running]).toEqual([state, longOverdue, true]);
  });

  it('is met when stopped at the due time and missed one second later', () => {
    const met = reading(stoppedAt('2026-09-15T10:00:00+08:00'), 'first_response', '2026-09-20T00:00:00+08:00');
    expect([met.state, met.stoppedAt, met.running]).toEqual(['met', '2026-09-15T10:00:00+08:00', false]);
    expect(reading(stoppedAt('2026-09-15T10:00:01+08:00'), 'first_response', '2026-09-20T00:00:00+08:00').state).toBe('missed');
  });

  it('reads due soon from the share org.yaml sets', () => {
    const org = orgOf('property', { reminders: { dueSoonShare: 0.5, longOverdueShare: 1 } });
    // Half of the 24 h window: Mon 22:00.
    expect(reading(open, 'first_response', '2026-09-14T21:59:59+08:00', org).state).toBe('ok');
    expect(reading(open, 'first_response', '2026-09-14T22:00:00+08:00', org).state).toBe('due_soon');
  });
});

describe('which complaints have running clocks', () => {
  const received_at = '2026-09-14T10:00:00+08:00';
  const now = '2026-09-20T10:00:00+08:00';
  const clocks = (data: ComplaintData) => clocksOf(data, property, calendar, new Date(now)).map((clock) => [clock.clock, clock.state]);

  it('lists none for a complaint rejected before anything stopped, and the stopped ones if it was accepted first', () => {
    expect(clocks(complaint({ channel: 'online', received_at }, [event('rejected', '2026-09-14T11:00:00+08:00', { note: '不属于物业服务范围，请向街道反映' })]))).toEqual([]);
    const acceptedThenRejected = complaint({ channel: 'online', received_at }, [
      event('accepted', '2026-09-14T11:00:00+08:00'),
      event('rejected', '2026-09-14T12:00:00+08:00', { note: '属于法律途径，请向法院起诉' }),
    ]);
    expect(clocks(acceptedThenRejected)).toEqual([['ack', 'met']]);
  });

  it('lists none for a withdrawn complaint or a duplicate', () => {
    expect(clocks(complaint({ channel: 'online', received_at }, [event('withdrawn', '2026-09-14T11:00:00+08:00')]))).toEqual([]);
    expect(clocks(complaint({ channel: 'phone', received_at, duplicate_of: '2026-0002' }))).toEqual([]);
    // An open complaint with the same record has running clocks.
    expect(clocks(complaint({ channel: 'phone', received_at }))).toEqual([
      ['reply', 'overdue'],
      ['first_response', 'overdue'],
    ]);
  });

  it('drops the clocks of a closed complaint that never stopped and keeps those that did', () => {
    const closed = complaint({ channel: 'phone', urgency: 'urgent', received_at }, [
      event('accepted', '2026-09-14T10:10:00+08:00'),
      event('assigned', '2026-09-14T10:20:00+08:00'),
      event('investigated', '2026-09-14T11:00:00+08:00'),
      event('replied', '2026-09-14T16:00:00+08:00'),
      event('closed', '2026-09-19T10:00:00+08:00'),
    ]);
    // first_solution (no "plan" event) and visit (no "visited" event) never stopped.
    expect(clocks(closed)).toEqual([
      ['reply', 'met'],
      ['onsite', 'met'],
    ]);
  });
});

describe('due-time rules for all inputs (properties)', () => {
  const from = Date.parse('2025-01-01T00:00:00+08:00');
  const to = Date.parse('2026-11-30T00:00:00+08:00');
  const instant = fc.integer({ min: from, max: to }).map((ms) => instantIn(calendar, new Date(ms).toISOString()));
  const limit: fc.Arbitrary<Limit> = fc.oneof(
    fc.integer({ min: 0, max: 200 }).map((hours): Limit => ({ kind: 'hours', hours })),
    fc.constant<Limit>({ kind: 'same_day' }),
    fc.integer({ min: 0, max: 20 }).map((days): Limit => ({ kind: 'working_days', days })),
    fc.integer({ min: 0, max: 30 }).map((days): Limit => ({ kind: 'days', days })),
  );

  it('puts a working-day due time at the end of working hours on a working day', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 1, max: 15 }), (received, days) => {
        const due = baseDueTime(calendar, received, { kind: 'working_days', days });
        expect(formatInstant(calendar, due.value).slice(11)).toBe('17:30:00+08:00');
        expect(isWorkingDay(calendar, localDate(calendar, due.value)).value).toBe(true);
        expect(due.warnings).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('never puts a due time before the receipt', () => {
    fc.assert(
      fc.property(instant, limit, (received, clockLimit) => {
        expect(baseDueTime(calendar, received, clockLimit).value.toMillis()).toBeGreaterThanOrEqual(received.toMillis());
      }),
      { numRuns: 500 },
    );
  });

  it('never brings a due time forward by pausing', () => {
    fc.assert(
      fc.property(instant, limit, fc.integer({ min: 0, max: 72 * 60 }), fc.integer({ min: 1, max: 72 * 60 }), (received, clockLimit, startMinutes, lengthMinutes) => {
        const pauseStart = received.plus({ minutes: startMinutes });
        const events = complaint({ channel: 'phone', received_at: formatInstant(calendar, received) }, [
          event('paused', formatInstant(calendar, pauseStart), { reason: 'complainant', note: '等待' }),
          event('resumed', formatInstant(calendar, pauseStart.plus({ minutes: lengthMinutes }))),
        ]).events;
        const base = baseDueTime(calendar, received, clockLimit).value;
        const paused = dueTimeOf(calendar, { start: received, limit: clockLimit, events, now: received.plus({ days: 30 }) }).value.due;
        expect(paused.toMillis()).toBeGreaterThanOrEqual(base.toMillis());
      }),
      { numRuns: 300 },
    );
  });
});

describe('readings that no later moment changes (readingsDependOnNow)', () => {
  it('are the same at any later moment for every complaint of a generated archive that says so, and differ for some that do not', () => {
    const generated = generateDemoArchive({ seed: 7, count: 300, now: new Date('2026-11-23T10:00:00+08:00') });
    const org = orgSchema.parse(generated.org);
    const calendar = calendarOf(org);
    const moments = ['2026-11-23T10:00:00+08:00', '2027-03-01T00:00:00+08:00', '2030-01-01T00:00:00+08:00'].map((iso) => new Date(iso));
    let settled = 0;
    let changing = 0;
    for (const { data } of generated.complaints) {
      const [first, ...later] = moments.map((moment) => clocksOf(data, org, calendar, moment));
      if (readingsDependOnNow(data, first!)) {
        if (later.some((readings) => JSON.stringify(readings) !== JSON.stringify(first))) changing += 1;
        continue;
      }
      settled += 1;
      for (const readings of later) expect(readings, data.id).toStrictEqual(first);
    }
    expect(settled).toBeGreaterThan(100);
    expect(changing).toBeGreaterThan(0);
  });

  it('count a pause still open, which pushes due times on as time passes', () => {
    const data = complaint({ channel: 'visit', urgency: 'general', received_at: '2026-09-14T10:00:00+08:00' }, [
      event('accepted', '2026-09-14T10:30:00+08:00'),
      event('investigated', '2026-09-14T11:00:00+08:00'),
      event('paused', '2026-09-14T12:00:00+08:00', { reason: 'complainant', note: '等待业主提供照片' }),
    ]);
    const readings = clocksOf(data, property, calendar, new Date('2026-09-14T16:00:00+08:00'));
    expect(readingsDependOnNow(data, readings.map((one) => ({ ...one, running: false })))).toBe(true);
  });
});
