import type { EventType } from '../org/vocabulary.ts';
import type { ComplaintData, ComplaintEvent } from './schema.ts';
import { describe, type FieldProblem } from '../problems.ts';

/** SPEC §4. */
export const STATES = [
  'received',
  'accepted',
  'assigned',
  'investigating',
  'replied',
  'verified',
  'closed',
  'rejected',
  'withdrawn',
  'written_off',
] as const;
export type State = (typeof STATES)[number];

export const STATE_LABELS: Record<State, string> = {
  received: '已登记',
  accepted: '已受理',
  assigned: '已分派',
  investigating: '处理中',
  replied: '已答复',
  verified: '已回访',
  closed: '已关闭',
  rejected: '不予受理',
  withdrawn: '已撤回',
  written_off: '已核销',
};

/** States in which a complaint is still being handled and its clocks run. */
export const OPEN_STATES: readonly State[] = ['received', 'accepted', 'assigned', 'investigating', 'replied', 'verified'];

export function isOpen(state: State): boolean {
  return OPEN_STATES.includes(state);
}

/** An event either moves the complaint to a state or leaves it where it is (`null`). */
interface Transition {
  from: readonly State[];
  to: State | null;
}

/**
 * The legal transitions of SPEC §4, keyed by the event that causes them. `received` is only ever the
 * first event. A complaint that is answered unsatisfactorily is reopened back into investigation; one
 * that comes back after closure is a new complaint with `repeat_of`, but a closed complaint may still
 * be reopened explicitly.
 */
export const TRANSITIONS: Record<Exclude<EventType, 'received'>, Transition> = {
  accepted: { from: ['received'], to: 'accepted' },
  rejected: { from: ['received', 'accepted'], to: 'rejected' },
  assigned: { from: ['accepted', 'assigned', 'investigating'], to: 'assigned' },
  transferred: { from: ['assigned', 'investigating'], to: 'assigned' },
  investigated: { from: ['assigned', 'investigating'], to: 'investigating' },
  plan: { from: ['assigned', 'investigating'], to: 'investigating' },
  replied: { from: ['investigating', 'replied'], to: 'replied' },
  visited: { from: ['replied', 'verified'], to: 'verified' },
  verified: { from: ['replied'], to: 'verified' },
  reopened: { from: ['replied', 'verified', 'closed'], to: 'investigating' },
  closed: { from: ['replied', 'verified'], to: 'closed' },
  written_off: { from: OPEN_STATES, to: 'written_off' },
  withdrawn: { from: OPEN_STATES, to: 'withdrawn' },
  escalated: { from: OPEN_STATES, to: null },
  paused: { from: OPEN_STATES, to: null },
  resumed: { from: OPEN_STATES, to: null },
  extended: { from: OPEN_STATES, to: null },
  erased: { from: STATES, to: null },
};

/** Whether `event` may follow a complaint in `state` (pauses are checked by `replayEvents`). */
export function canApply(state: State, event: EventType): boolean {
  if (event === 'received') return false;
  return TRANSITIONS[event].from.includes(state);
}

export interface Replay {
  state: State;
  paused: boolean;
  problems: FieldProblem[];
}

/**
 * Replays the events in order and returns the resulting state, whether the clocks are paused, and
 * every illegal step (the replay goes on after one, so each is reported).
 */
export function replayEvents(events: readonly ComplaintEvent[], onStep?: (index: number, state: State) => void): Replay {
  const problems: FieldProblem[] = [];
  const first = events[0];
  if (!first || first.type !== 'received') {
    problems.push({ path: ['events', 0, 'type'], message: describe(['events', 0, 'type'], 'the first event must be "received"') });
  }
  let state: State = 'received';
  let paused = false;
  const apply = (event: ComplaintEvent, index: number) => {
    const path = ['events', index];
    const previous = events[index - 1];
    if (previous && Date.parse(event.at) < Date.parse(previous.at)) {
      problems.push({
        path: [...path, 'at'],
        message: describe([...path, 'at'], `events out of order: ${event.at} is before the previous event (${previous.at})`),
      });
    }
    if (event.type === 'received') {
      if (index > 0) problems.push({ path: [...path, 'type'], message: describe([...path, 'type'], 'only the first event may be "received"') });
      return;
    }
    if (event.type === 'paused' && paused) {
      problems.push({ path: [...path, 'type'], message: describe([...path, 'type'], 'the clocks are already paused') });
      return;
    }
    if (event.type === 'resumed' && !paused) {
      problems.push({ path: [...path, 'type'], message: describe([...path, 'type'], '"resumed" without an earlier "paused"') });
      return;
    }
    if (!canApply(state, event.type)) {
      problems.push({
        path: [...path, 'type'],
        message: describe([...path, 'type'], `illegal transition: "${event.type}" cannot follow state "${state}"`),
      });
      return;
    }
    if (event.type === 'paused') paused = true;
    if (event.type === 'resumed') paused = false;
    const next = TRANSITIONS[event.type].to;
    if (next) {
      state = next;
      if (!isOpen(state)) paused = false;
    }
  };
  events.forEach((event, index) => {
    apply(event, index);
    onStep?.(index, state);
  });
  return { state, paused, problems };
}

/**
 * The state after each number of events (`states[k]`: after the first k), with the events' times,
 * worked out once per events list: statistics ask for the state of the same complaint as of many
 * moments. Undefined when the events are out of order (then no prefix is "the events before t").
 */
const timelines = new WeakMap<readonly ComplaintEvent[], { times: number[]; states: State[] } | null>();

function timelineOf(events: readonly ComplaintEvent[]): { times: number[]; states: State[] } | null {
  let timeline = timelines.get(events);
  // A list grown in place (an importer appending events) is worked out again.
  if (timeline === undefined || (timeline !== null && timeline.times.length !== events.length)) {
    const times = events.map((event) => Date.parse(event.at));
    const sorted = times.every((time, index) => !Number.isNaN(time) && (index === 0 || time >= times[index - 1]!));
    if (sorted) {
      const states: State[] = ['received'];
      replayEvents(events, (_index, state) => states.push(state));
      timeline = { times, states };
    } else {
      timeline = null;
    }
    timelines.set(events, timeline);
  }
  return timeline;
}

/** The state a complaint's events lead to (illegal steps skipped). */
export function stateOf(data: Pick<ComplaintData, 'events'>): State {
  const timeline = timelineOf(data.events);
  return timeline ? timeline.states[data.events.length]! : replayEvents(data.events).state;
}

/** The state from the events recorded before `instant` (milliseconds): what the record said then. */
export function stateBefore(events: readonly ComplaintEvent[], instant: number): State {
  const timeline = timelineOf(events);
  if (!timeline) return replayEvents(events.filter((event) => Date.parse(event.at) < instant)).state;
  let count = 0;
  while (count < timeline.times.length && timeline.times[count]! < instant) count += 1;
  return timeline.states[count]!;
}

/** 001 §4.2.2⑦: without a visit, a complaint closes after a week (处理完毕后一周内) with no repeat. */
export const NO_REPEAT_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

function problem(path: (string | number)[], message: string): FieldProblem {
  return { path, message: describe(path, message) };
}

/** The `at` of the last event of a type, if any. */
function lastAt(events: readonly ComplaintEvent[], type: EventType): string | undefined {
  return events.findLast((event) => event.type === type)?.at;
}

function before(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}

/**
 * What the record must hold for the events it has and the state it is in (SPEC §4): each event's own
 * fields, a reply once replied, a visit once visited, and for closing a reply, a satisfied visit or a
 * no-visit reason plus 7 days, corrective action and lessons. Checks one file alone; links to other
 * complaints are checked against the archive.
 */
export function checkRecord(data: ComplaintData): FieldProblem[] {
  const replay = replayEvents(data.events);
  const problems = [...replay.problems];
  const { state } = replay;
  const has = (type: EventType) => data.events.some((event) => event.type === type);

  const first = data.events[0];
  if (first && first.type === 'received' && Date.parse(first.at) !== Date.parse(data.received_at))
    problems.push(problem(['events', 0, 'at'], `the "received" event must be at received_at (${data.received_at})`));

  data.events.forEach((event, index) => {
    const path = ['events', index];
    if (event.type === 'rejected' && !event.note?.trim() && !event.public_note?.trim())
      problems.push(problem([...path, 'note'], 'a rejection must say why and where the complainant can go instead'));
    if (event.type === 'paused') {
      if (!event.reason) problems.push(problem([...path, 'reason'], 'a pause must say who the clocks wait for (complainant or outside_party)'));
      if (!event.note?.trim()) problems.push(problem([...path, 'note'], 'a pause needs a note saying what is awaited'));
    }
    if (event.type === 'extended') {
      if (!event.clock) problems.push(problem([...path, 'clock'], 'an extension must name the clock it extends'));
      if (!event.due) problems.push(problem([...path, 'due'], 'an extension must give the new due time'));
      if (!event.note?.trim()) problems.push(problem([...path, 'note'], 'an extension needs the reason'));
      if (event.told_complainant !== true)
        problems.push(problem([...path, 'told_complainant'], 'an extension requires that the complainant was told (003 §三1(4))'));
      if (event.due && Date.parse(event.due) <= Date.parse(event.at))
        problems.push(problem([...path, 'due'], 'the new due time must be after the extension'));
    }
    if ((event.type === 'assigned' || event.type === 'transferred') && !event.department && !data.department)
      problems.push(problem([...path, 'department'], `"${event.type}" needs the department that takes the complaint`));
  });

  // The records of a step and the events that say it happened go together.
  if (has('visited') && !data.visit) problems.push(problem(['visit'], 'a "visited" event needs the visit record'));
  if (data.visit && !has('visited')) problems.push(problem(['visit'], 'a visit record needs a "visited" event in events'));
  if (data.reply && !has('replied')) problems.push(problem(['reply'], 'a reply record needs a "replied" event in events'));
  if (data.reply && before(data.reply.at, data.received_at)) problems.push(problem(['reply', 'at'], 'the reply cannot be before the complaint was received'));
  // After a reopening the last visit may predate the new reply until the next visit replaces it, so
  // the visit is checked against the first reply only.
  const firstReplyAt = data.events.find((event) => event.type === 'replied')?.at;
  if (firstReplyAt && data.visit && before(data.visit.at, firstReplyAt)) problems.push(problem(['visit', 'at'], 'the visit cannot be before the first reply'));
  if (data.contact && has('erased')) problems.push(problem(['contact'], 'an "erased" event says the personal data was deleted, but the contact envelope is still here'));

  const reached = (states: State[]) => states.includes(state);
  if (reached(['assigned', 'investigating', 'replied', 'verified', 'closed']) && !data.department)
    problems.push(problem(['department'], `a complaint in state "${state}" needs a department`));
  if (reached(['replied', 'verified', 'closed']) && !data.reply)
    problems.push(problem(['reply'], `a complaint in state "${state}" needs the reply record`));
  if (data.visit && data.no_visit) problems.push(problem(['no_visit'], 'a complaint cannot have both a visit and a no-visit reason'));
  if (data.no_visit?.reason === 'anonymous' && !data.anonymous)
    problems.push(problem(['no_visit', 'reason'], 'the no-visit reason "anonymous" needs an anonymous complaint (anonymous: true) (001 §4.4.4.1②)'));
  if (data.no_visit?.reason === 'no_contact' && data.contact)
    problems.push(problem(['no_visit', 'reason'], 'the no-visit reason "no_contact" does not fit a complaint with a contact envelope (001 §4.4.4.1②)'));
  if (data.duplicate_of === data.id) problems.push(problem(['duplicate_of'], 'a complaint cannot duplicate itself'));
  if (data.repeat_of === data.id) problems.push(problem(['repeat_of'], 'a complaint cannot repeat itself'));

  if (state === 'closed') problems.push(...checkClosed(data));
  else if (state === 'written_off') {
    if (data.closure?.basis !== 'written_off' || !data.closure.note?.trim())
      problems.push(problem(['closure'], 'a written-off complaint needs closure.basis "written_off" and the special analysis in closure.note (001 §4.4.3.7)'));
    const writtenOffAt = lastAt(data.events, 'written_off');
    if (data.closure && writtenOffAt && Date.parse(data.closure.at) !== Date.parse(writtenOffAt))
      problems.push(problem(['closure', 'at'], `closure.at must be the time of the "written_off" event (${writtenOffAt})`));
  } else if (data.closure) {
    problems.push(problem(['closure'], `a closure is recorded but the complaint is in state "${state}"`));
  }
  return problems;
}

function checkClosed(data: ComplaintData): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!data.corrective_action?.trim()) problems.push(problem(['corrective_action'], 'closing needs the corrective action'));
  if (!data.lessons?.trim()) problems.push(problem(['lessons'], 'closing needs the lessons learned'));
  const closure = data.closure;
  if (!closure) {
    problems.push(problem(['closure'], 'closing needs the closure record (at, basis)'));
    return problems;
  }
  // The state machine closes the complaint at the "closed" event; closure.at must say the same, or the
  // 7-day rule could be met on paper by a later closure.at.
  const closedAt = lastAt(data.events, 'closed') ?? closure.at;
  if (Date.parse(closure.at) !== Date.parse(closedAt))
    problems.push(problem(['closure', 'at'], `closure.at must be the time of the "closed" event (${closedAt})`));
  if (closure.basis === 'satisfied' && data.visit?.satisfied !== true)
    problems.push(problem(['closure', 'basis'], 'closing as "satisfied" needs a visit in which the complainant was satisfied (001 §4.2.2⑦)'));
  const lastReplyAt = lastAt(data.events, 'replied');
  if (closure.basis === 'satisfied' && data.visit && lastReplyAt && before(data.visit.at, lastReplyAt))
    problems.push(problem(['visit', 'at'], `closing as "satisfied" needs a visit after the last reply (${lastReplyAt}), not one from before a reopening`));
  if (closure.basis === 'no_repeat_7d') {
    if (!data.no_visit) problems.push(problem(['no_visit'], 'closing without a visit needs the no-visit reason (001 §4.4.4.1)'));
    // 处理完毕: the last reply, after any reopening.
    const repliedAt = lastAt(data.events, 'replied') ?? data.reply?.at;
    if (repliedAt && Date.parse(closedAt) - Date.parse(repliedAt) < NO_REPEAT_DAYS * DAY_MS)
      problems.push(problem(['closure', 'at'], `closing without a visit needs ${NO_REPEAT_DAYS} days without a repeat after the reply of ${repliedAt} (001 §4.2.2⑦)`));
  }
  if (closure.basis === 'written_off') problems.push(problem(['closure', 'basis'], '"written_off" is the basis of a written-off complaint, not of a closed one'));
  if (data.reply && before(closedAt, data.reply.at)) problems.push(problem(['closure', 'at'], 'the complaint cannot close before it was replied to'));
  return problems;
}
