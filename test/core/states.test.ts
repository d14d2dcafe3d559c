import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { complaintSchema, type ComplaintData, type ComplaintEvent, type ComplaintInput } from '../../src/core/complaint/schema.ts';
import { canApply, checkRecord, isOpen, replayEvents, STATES, stateBefore, stateOf, type State } from '../../src/core/complaint/states.ts';
import { EVENT_TYPES, type EventType } from '../../src/core/org/vocabulary.ts';

const BASE_TIME = Date.parse('2026-10-12T09:00:00+08:00');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/** An instant `hours` after the base time, as a file would hold it. */
function at(hours: number): string {
  return new Date(BASE_TIME + hours * HOUR).toISOString();
}

/** Events of the given types one hour apart, starting at the base time. */
function events(...types: EventType[]): ComplaintEvent[] {
  return types.map((type, index) => ({ at: at(index), type, by: 'alice' }));
}

/** A complaint that parses, with the given fields on top of a plain phone complaint. */
function complaint(fields: Partial<ComplaintInput> = {}): ComplaintData {
  return complaintSchema.parse({
    id: '2026-0001',
    title: '电梯停运',
    channel: 'phone',
    received_at: at(0),
    received_by: 'bob',
    project: 'cuiyuan',
    category: 'equipment',
    department: 'engineering',
    events: events('received'),
    ...fields,
  });
}

/** A syntactically real age envelope (its recipient stanza decodes as age's format line). */
const ENVELOPE = ['-----BEGIN AGE ENCRYPTED FILE-----', 'YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBhYmMK', '-----END AGE ENCRYPTED FILE-----'].join('\n');

const OPEN: State[] = ['received', 'accepted', 'assigned', 'investigating', 'replied', 'verified'];

/**
 * SPEC §4 and the issue, written out by hand: for each event, the states it may follow.
 * received→accepted|rejected; accepted→assigned|rejected; assigned/transferred and investigated/plan
 * while being handled; replied after investigation; visited/verified after the reply; reopened from
 * replied/verified/closed; closed from replied/verified; withdrawn, written_off, paused, resumed,
 * extended and escalated in any open state; erased anywhere; received never after the first event.
 */
const LEGAL_AFTER: Record<EventType, readonly State[]> = {
  received: [],
  accepted: ['received'],
  rejected: ['received', 'accepted'],
  assigned: ['accepted', 'assigned', 'investigating'],
  transferred: ['assigned', 'investigating'],
  investigated: ['assigned', 'investigating'],
  plan: ['assigned', 'investigating'],
  replied: ['investigating', 'replied'],
  verified: ['replied'],
  visited: ['replied', 'verified'],
  escalated: OPEN,
  reopened: ['replied', 'verified', 'closed'],
  closed: ['replied', 'verified'],
  written_off: OPEN,
  withdrawn: OPEN,
  paused: OPEN,
  resumed: OPEN,
  extended: OPEN,
  erased: ['received', 'accepted', 'assigned', 'investigating', 'replied', 'verified', 'closed', 'rejected', 'withdrawn', 'written_off'],
};

/** How each state is reached by legal steps. */
const PATH_TO: Record<State, EventType[]> = {
  received: ['received'],
  accepted: ['received', 'accepted'],
  assigned: ['received', 'accepted', 'assigned'],
  investigating: ['received', 'accepted', 'assigned', 'investigated'],
  replied: ['received', 'accepted', 'assigned', 'investigated', 'replied'],
  verified: ['received', 'accepted', 'assigned', 'investigated', 'replied', 'verified'],
  closed: ['received', 'accepted', 'assigned', 'investigated', 'replied', 'verified', 'closed'],
  rejected: ['received', 'rejected'],
  withdrawn: ['received', 'withdrawn'],
  written_off: ['received', 'written_off'],
};

describe('the state machine (SPEC §4)', () => {
  it('reaches each state by its path', () => {
    for (const state of STATES) expect(stateOf({ events: events(...PATH_TO[state]) })).toBe(state);
  });

  const pairs = STATES.flatMap((state) => EVENT_TYPES.map((event) => ({ state, event, legal: LEGAL_AFTER[event].includes(state) })));

  it.each(pairs)('"$event" after "$state" is legal: $legal', ({ state, event, legal }) => {
    expect(canApply(state, event)).toBe(legal);
    // Replaying the same step agrees; a "resumed" is tried after a pause where a pause is possible.
    const prefix = PATH_TO[state];
    const steps: EventType[] = event === 'resumed' && isOpen(state) ? [...prefix, 'paused', 'resumed'] : [...prefix, event];
    const replay = replayEvents(events(...steps));
    expect(replay.problems.length === 0).toBe(legal);
  });

  it('says which step is illegal and from which state, and goes on replaying', () => {
    const replay = replayEvents(events('received', 'assigned', 'accepted', 'closed'));
    expect(replay.state).toBe('accepted');
    expect(replay.problems.map((problem) => problem.message)).toMatchInlineSnapshot(`
      [
        "events.1.type: illegal transition: "assigned" cannot follow state "received"（处理记录第2条·类型）",
        "events.3.type: illegal transition: "closed" cannot follow state "accepted"（处理记录第4条·类型）",
      ]
    `);
  });

  it('requires "received" first and only first', () => {
    expect(replayEvents(events('accepted', 'received')).problems.map((problem) => problem.message)).toMatchInlineSnapshot(`
      [
        "events.0.type: the first event must be "received"（处理记录第1条·类型）",
        "events.1.type: only the first event may be "received"（处理记录第2条·类型）",
      ]
    `);
  });

  it('reports every event that is earlier than the one before it', () => {
    const list = events('received', 'accepted', 'assigned');
    list[2] = { ...list[2]!, at: at(-5) };
    expect(replayEvents(list).problems.map((problem) => problem.message)).toMatchInlineSnapshot(`
      [
        "events.2.at: events out of order: 2026-10-11T20:00:00.000Z is before the previous event (2026-10-12T02:00:00.000Z)（处理记录第3条·时间）",
      ]
    `);
  });

  it('pauses and resumes the clocks only in turn', () => {
    expect(replayEvents(events('received', 'paused')).paused).toBe(true);
    expect(replayEvents(events('received', 'paused', 'resumed')).paused).toBe(false);
    expect(replayEvents(events('received', 'paused', 'paused', 'resumed', 'resumed')).problems.map((problem) => problem.message)).toMatchInlineSnapshot(`
      [
        "events.2.type: the clocks are already paused（处理记录第3条·类型）",
        "events.4.type: "resumed" without an earlier "paused"（处理记录第5条·类型）",
      ]
    `);
  });

  it('stops a pause when the complaint leaves the open states', () => {
    expect(replayEvents(events('received', 'paused', 'withdrawn')).paused).toBe(false);
  });
});

describe('the state machine for all event sequences (property)', () => {
  const anyEvent = fc.record({
    at: fc.integer({ min: -1000, max: 1000 }).map((hours) => at(hours)),
    type: fc.constantFrom(...EVENT_TYPES),
    by: fc.constant('alice'),
  });

  it('replays any sequence without throwing and ends in a known state', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 30 }), (list) => {
        const replay = replayEvents(list);
        expect(STATES).toContain(replay.state);
        expect(typeof replay.paused).toBe('boolean');
      }),
    );
  });

  it('gives the state as of any moment as a replay of only the events before it, in order or not (stateBefore)', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 30 }), fc.boolean(), fc.integer({ min: -1100, max: 1100 }), (list, sort, hours) => {
        const recorded = sort ? [...list].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)) : list;
        const cutoff = BASE_TIME + hours * HOUR;
        const expected = replayEvents(recorded.filter((event) => Date.parse(event.at) < cutoff)).state;
        expect(stateBefore(recorded, cutoff)).toBe(expected);
        // Asked again (from the worked-out timeline), and for the whole list.
        expect(stateBefore(recorded, cutoff)).toBe(expected);
        expect(stateOf({ events: recorded })).toBe(replayEvents(recorded).state);
      }),
    );
  });

  it('works the state out again for an events list grown in place', () => {
    const list = events('received', 'accepted');
    expect(stateOf({ events: list })).toBe('accepted');
    list.push({ at: at(2), type: 'rejected', by: 'alice', note: '不属于受理范围' } as ComplaintEvent);
    expect(stateOf({ events: list })).toBe('rejected');
  });

  it('finds no problem in a sequence built only from legal steps', () => {
    // Each step is picked from the hand-written table, in time order, pausing and resuming in turn.
    const legalSequence = fc.array(fc.nat(), { maxLength: 40 }).map((choices) => {
      const types: EventType[] = ['received'];
      let state: State = 'received';
      let paused = false;
      for (const choice of choices) {
        const options = EVENT_TYPES.filter(
          (type) => LEGAL_AFTER[type].includes(state) && !(type === 'paused' && paused) && !(type === 'resumed' && !paused),
        );
        if (options.length === 0) break;
        const type = options[choice % options.length]!;
        types.push(type);
        if (type === 'paused') paused = true;
        if (type === 'resumed') paused = false;
        const next = TARGET[type];
        if (next) state = next;
        if (!OPEN.includes(state)) paused = false;
      }
      return { types, state };
    });
    fc.assert(
      fc.property(legalSequence, ({ types, state }) => {
        const replay = replayEvents(events(...types));
        expect(replay.problems).toEqual([]);
        expect(replay.state).toBe(state);
      }),
    );
  });
});

/** Where each event leads (null: the state does not change), by hand from SPEC §4. */
const TARGET: Record<EventType, State | null> = {
  received: 'received',
  accepted: 'accepted',
  rejected: 'rejected',
  assigned: 'assigned',
  transferred: 'assigned',
  investigated: 'investigating',
  plan: 'investigating',
  replied: 'replied',
  verified: 'verified',
  visited: 'verified',
  escalated: null,
  reopened: 'investigating',
  closed: 'closed',
  written_off: 'written_off',
  withdrawn: 'withdrawn',
  paused: null,
  resumed: null,
  extended: null,
  erased: null,
};

const messages = (data: ComplaintData) => checkRecord(data).map((problem) => problem.message);

const HANDLED: EventType[] = ['received', 'accepted', 'assigned', 'investigated', 'replied'];

/** A closed complaint with everything closing needs, as fields to vary. */
function closedWithVisit(): Partial<ComplaintInput> {
  return {
    events: [...events(...HANDLED), { at: at(48), type: 'visited', by: 'bob' }, { at: at(49), type: 'closed', by: 'carol' }],
    reply: { at: at(4), by: 'alice', method: 'phone', summary: '已修复' },
    visit: { at: at(48), method: 'phone', satisfied: true },
    closure: { at: at(49), basis: 'satisfied' },
    corrective_action: '增加巡检',
    lessons: '及早通报',
  };
}

/** Closed without a visit: anonymous, a no-visit reason, and `days` after the reply. */
function closedWithoutVisit(days: number): Partial<ComplaintInput> {
  const closedAt = new Date(Date.parse(at(4)) + days * DAY).toISOString();
  return {
    anonymous: true,
    events: [...events(...HANDLED), { at: closedAt, type: 'closed', by: 'carol' }],
    reply: { at: at(4), by: 'alice', method: 'other', summary: '已张贴整改说明' },
    no_visit: { reason: 'anonymous' },
    closure: { at: closedAt, basis: 'no_repeat_7d' },
    corrective_action: '增加巡检',
    lessons: '及早通报',
  };
}

describe('what the record needs for its state (checkRecord)', () => {
  it('accepts a complaint closed after a satisfied visit', () => {
    expect(messages(complaint(closedWithVisit()))).toEqual([]);
  });

  it('needs the reply, corrective action, lessons and closure record to close', () => {
    const { reply: _reply, corrective_action: _action, lessons: _lessons, closure: _closure, ...rest } = closedWithVisit();
    expect(messages(complaint(rest))).toMatchInlineSnapshot(`
      [
        "reply: a complaint in state "closed" needs the reply record（答复）",
        "corrective_action: closing needs the corrective action（纠正措施）",
        "lessons: closing needs the lessons learned（经验教训）",
        "closure: closing needs the closure record (at, basis)（关闭）",
      ]
    `);
  });

  it('closes as satisfied only after a visit in which the complainant was satisfied', () => {
    const fields = closedWithVisit();
    expect(messages(complaint({ ...fields, visit: { ...fields.visit!, satisfied: false } }))).toMatchInlineSnapshot(`
      [
        "closure.basis: closing as "satisfied" needs a visit in which the complainant was satisfied (001 §4.2.2⑦)（关闭·关闭依据）",
      ]
    `);
  });

  it('closes without a visit after exactly 7 days, not a moment before (001 §4.2.2⑦)', () => {
    expect(messages(complaint(closedWithoutVisit(7)))).toEqual([]);
    expect(messages(complaint(closedWithoutVisit(7 - 1 / 24)))).toMatchInlineSnapshot(`
      [
        "closure.at: closing without a visit needs 7 days without a repeat after the reply of 2026-10-12T05:00:00.000Z (001 §4.2.2⑦)（关闭·时间）",
      ]
    `);
  });

  it('counts the 7 days from the last reply after a reopening', () => {
    const fields = closedWithoutVisit(10);
    const reopened = [...fields.events!.slice(0, -1), { at: at(100), type: 'reopened', by: 'carol' }, { at: at(101), type: 'replied', by: 'alice' }];
    const closedAt = at(101 + 24 * 3);
    expect(
      messages(complaint({ ...fields, events: [...reopened, { at: closedAt, type: 'closed', by: 'carol' }] as ComplaintEvent[], closure: { at: closedAt, basis: 'no_repeat_7d' } })),
    ).toMatchInlineSnapshot(`
      [
        "closure.at: closing without a visit needs 7 days without a repeat after the reply of 2026-10-16T06:00:00.000Z (001 §4.2.2⑦)（关闭·时间）",
      ]
    `);
  });

  it('needs a no-visit reason to close without a visit, one that fits the complaint (001 §4.4.4.1)', () => {
    const { no_visit: _reason, ...fields } = closedWithoutVisit(8);
    expect(messages(complaint(fields))).toMatchInlineSnapshot(`
      [
        "no_visit: closing without a visit needs the no-visit reason (001 §4.4.4.1)（免回访原因）",
      ]
    `);
    expect(messages(complaint({ ...closedWithoutVisit(8), anonymous: false }))).toMatchInlineSnapshot(`
      [
        "no_visit.reason: the no-visit reason "anonymous" needs an anonymous complaint (anonymous: true) (001 §4.4.4.1②)（免回访原因·原因）",
      ]
    `);
  });

  it('takes the closing time from the "closed" event, so closure.at cannot be moved later on paper', () => {
    const fields = closedWithoutVisit(2);
    const late = at(4 + 24 * 8);
    expect(messages(complaint({ ...fields, closure: { at: late, basis: 'no_repeat_7d' } }))).toMatchInlineSnapshot(`
      [
        "closure.at: closure.at must be the time of the "closed" event (2026-10-14T05:00:00.000Z)（关闭·时间）",
        "closure.at: closing without a visit needs 7 days without a repeat after the reply of 2026-10-12T05:00:00.000Z (001 §4.2.2⑦)（关闭·时间）",
      ]
    `);
  });

  it('treats a recorded closure on an open complaint as a problem', () => {
    expect(messages(complaint({ events: events('received', 'accepted'), closure: { at: at(2), basis: 'satisfied' } }))).toMatchInlineSnapshot(`
      [
        "closure: a closure is recorded but the complaint is in state "accepted"（关闭）",
      ]
    `);
  });

  it('needs a reason for a rejection', () => {
    expect(messages(complaint({ events: events('received', 'rejected') }))).toMatchInlineSnapshot(`
      [
        "events.1.note: a rejection must say why and where the complainant can go instead（处理记录第2条·内部备注）",
      ]
    `);
    const explained = events('received', 'rejected');
    explained[1] = { ...explained[1]!, public_note: '属于开发商销售事项，请向开发商反映' };
    expect(messages(complaint({ events: explained }))).toEqual([]);
  });

  it('needs who the clocks wait for and what is awaited for a pause', () => {
    expect(messages(complaint({ events: events('received', 'paused') }))).toMatchInlineSnapshot(`
      [
        "events.1.reason: a pause must say who the clocks wait for (complainant or outside_party)（处理记录第2条·原因）",
        "events.1.note: a pause needs a note saying what is awaited（处理记录第2条·内部备注）",
      ]
    `);
  });

  it('needs the clock, new due time, reason and that the complainant was told for an extension', () => {
    expect(messages(complaint({ events: events('received', 'extended') }))).toMatchInlineSnapshot(`
      [
        "events.1.clock: an extension must name the clock it extends（处理记录第2条·时限）",
        "events.1.due: an extension must give the new due time（处理记录第2条·新的期限）",
        "events.1.note: an extension needs the reason（处理记录第2条·内部备注）",
        "events.1.told_complainant: an extension requires that the complainant was told (003 §三1(4))（处理记录第2条·已告知投诉人）",
      ]
    `);
    const extension = { at: at(1), type: 'extended' as const, by: 'alice', clock: 'reply' as const, due: at(0), note: '等待配件', told_complainant: true };
    expect(messages(complaint({ events: [...events('received'), extension] }))).toMatchInlineSnapshot(`
      [
        "events.1.due: the new due time must be after the extension（处理记录第2条·新的期限）",
      ]
    `);
  });

  it('needs closure basis "written_off" and the special analysis to write a complaint off (001 §4.4.3.7)', () => {
    expect(messages(complaint({ events: events('received', 'written_off') }))).toMatchInlineSnapshot(`
      [
        "closure: a written-off complaint needs closure.basis "written_off" and the special analysis in closure.note (001 §4.4.3.7)（关闭）",
      ]
    `);
    expect(messages(complaint({ events: events('received', 'written_off'), closure: { at: at(1), basis: 'written_off', note: '年末仍无法解决，专题分析见附件' } }))).toEqual([]);
    expect(messages(complaint(closedWithVisit())).length).toBe(0);
    expect(messages(complaint({ ...closedWithVisit(), closure: { at: at(49), basis: 'written_off', note: '分析' } }))).toMatchInlineSnapshot(`
      [
        "closure.basis: "written_off" is the basis of a written-off complaint, not of a closed one（关闭·关闭依据）",
      ]
    `);
  });

  it('keeps the records and the events that say they happened together', () => {
    const fields = closedWithVisit();
    expect(
      messages(complaint({ events: events('received', 'accepted'), reply: fields.reply, visit: fields.visit })),
    ).toMatchInlineSnapshot(`
      [
        "visit: a visit record needs a "visited" event in events（回访）",
        "reply: a reply record needs a "replied" event in events（答复）",
      ]
    `);
    expect(messages(complaint({ ...fields, visit: undefined, closure: { at: at(49), basis: 'satisfied' } }))).toMatchInlineSnapshot(`
      [
        "visit: a "visited" event needs the visit record（回访）",
        "closure.basis: closing as "satisfied" needs a visit in which the complainant was satisfied (001 §4.2.2⑦)（关闭·关闭依据）",
      ]
    `);
  });

  it.each([
    ['a reply before the complaint was received', { events: events(...HANDLED), reply: { at: at(-2), by: 'alice', method: 'phone', summary: '已修复' } }, /^reply\.at: the reply cannot be before/],
    ['a contact envelope kept after the personal data was erased', { events: events('received', 'erased'), contact: ENVELOPE }, /^contact: an "erased" event/],
    ['the no-visit reason "no_contact" with a contact envelope', { events: events('received'), contact: ENVELOPE, no_visit: { reason: 'no_contact' } }, /^no_visit\.reason: the no-visit reason "no_contact"/],
    ['a write-off whose closure is not at the write-off', { events: events('received', 'written_off'), closure: { at: at(5), basis: 'written_off', note: '专题分析' } }, /^closure\.at: closure\.at must be the time of the "written_off" event/],
  ] as [string, Partial<ComplaintInput>, RegExp][])('reports %s', (_name, fields, expected) => {
    const found = messages(complaint(fields));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
  });

  it('reports a visit before the first reply, and closing as satisfied on it', () => {
    expect(messages(complaint({ ...closedWithVisit(), visit: { at: at(3), method: 'phone', satisfied: true } }))).toMatchInlineSnapshot(`
      [
        "visit.at: the visit cannot be before the first reply（回访·时间）",
        "visit.at: closing as "satisfied" needs a visit after the last reply (2026-10-12T05:00:00.000Z), not one from before a reopening（回访·时间）",
      ]
    `);
  });

  it('accepts a reopened complaint whose last visit predates its second reply until the next visit', () => {
    const reopened: Partial<ComplaintInput> = {
      events: [
        ...events(...HANDLED),
        { at: at(48), type: 'visited', by: 'bob' },
        { at: at(49), type: 'reopened', by: 'carol' },
        { at: at(50), type: 'investigated', by: 'alice' },
        { at: at(51), type: 'replied', by: 'alice' },
      ],
      reply: { at: at(51), by: 'alice', method: 'phone', summary: '已更换水泵' },
      visit: { at: at(48), method: 'phone', satisfied: false, comment: '仍然漏水' },
    };
    expect(messages(complaint(reopened))).toEqual([]);
    // Closing it as satisfied needs a new visit after the second reply, not the old one.
    const closedOnOldVisit: Partial<ComplaintInput> = {
      ...reopened,
      events: [...reopened.events!, { at: at(52), type: 'closed', by: 'carol' }],
      visit: { at: at(48), method: 'phone', satisfied: true },
      closure: { at: at(52), basis: 'satisfied' },
      corrective_action: '更换水泵',
      lessons: '首次维修应彻底排查',
    };
    expect(messages(complaint(closedOnOldVisit))).toMatchInlineSnapshot(`
      [
        "visit.at: closing as "satisfied" needs a visit after the last reply (2026-10-14T04:00:00.000Z), not one from before a reopening（回访·时间）",
      ]
    `);
  });

  it('needs a department once the complaint is assigned', () => {
    expect(messages(complaint({ department: undefined, events: events('received', 'accepted', 'assigned') }))).toMatchInlineSnapshot(`
      [
        "events.2.department: "assigned" needs the department that takes the complaint（处理记录第3条·责任部门）",
        "department: a complaint in state "assigned" needs a department（责任部门）",
      ]
    `);
  });

  it('needs the "received" event at the time of receipt', () => {
    expect(messages(complaint({ received_at: at(-1) }))).toMatchInlineSnapshot(`
      [
        "events.0.at: the "received" event must be at received_at (2026-10-12T00:00:00.000Z)（处理记录第1条·时间）",
      ]
    `);
  });
});
