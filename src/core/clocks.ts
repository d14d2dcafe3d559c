import { DateTime } from 'luxon';
import { CLOCK_NAMES, type ClockName, type ClockRule, type Limit, type Org } from './org/schema.ts';
import type { EventType } from './org/vocabulary.ts';
import type { ComplaintData, ComplaintEvent } from './complaint/schema.ts';
import { stateOf, type State } from './complaint/states.ts';
import {
  addWorkingTime,
  endOfCalendarDay,
  endOfWorkingDay,
  formatInstant,
  fromDate,
  instantIn,
  isWithinWorkingHours,
  localDate,
  mergeWarnings,
  nextWorkingDay,
  nthWorkingDayAfter,
  addCalendarDays,
  validTime,
  workingTimeBetween,
  type CalendarResult,
  type CalendarWarning,
  type WorkingCalendar,
} from './calendar.ts';
import { zoneOf } from './time-zone.ts';

/**
 * The time limits of SPEC §5: which clocks apply to a complaint, when each is due, and whether it was
 * met, missed, or is still running (ok, due soon, overdue). Due times are derived from the file on
 * every call and never stored, so a calendar correction or an edited event recomputes them.
 *
 * How a limit becomes a due time (SPEC §5, measured from the clock's start):
 * - `N h`: start + N hours, around the clock.
 * - `same day`: the end of working hours of the day of the start; a start outside working hours
 *   (before they begin or at/after they end) or on a non-working day → the end of the next working day.
 * - `N working days`: the end of working hours on the Nth working day after the day of the start (a
 *   start on a holiday or weekend makes the first following working day day 1).
 * - `N days`: 23:59:59 local time of the Nth calendar day after the day of the start.
 * - `deadline`: the forwarding office's `source.deadline`.
 *
 * Pauses (`paused` … next `resumed`; a pause still open counts up to `now`): the time a clock was paused
 * is added to its due time — wall-clock time for `N h`, `N days` and `deadline` clocks, working time
 * (only the paused part that fell within working hours) for `same day` and `N working days` clocks,
 * whose due time is then pushed on by that much working time. Only paused time after the clock started
 * and before it stopped counts, and only for pauses that begin before the due time as already shifted
 * by earlier pauses: a pause cannot rescue a clock that was already overdue.
 *
 * Extensions (`extended` with `clock` and `due`) replace that clock's due time; the latest extension
 * wins, paused time after it is added to the new due time, and an extension recorded after the clock
 * stopped is ignored (it cannot turn a miss into a hit).
 */

/** SPEC §5: the event that stops each clock (its first occurrence, at its `at`). */
export const CLOCK_STOP_EVENTS: Record<ClockName, EventType> = {
  ack: 'accepted',
  acceptance: 'accepted',
  reply: 'replied',
  result: 'replied',
  forwarded: 'replied',
  onsite: 'investigated',
  first_response: 'investigated',
  first_solution: 'plan',
  decision: 'assigned',
  visit: 'visited',
};

/** SPEC §5: the follow-up visit clock starts when the complainant is answered; every other clock at receipt. */
export const VISIT_START_EVENT: EventType = 'replied';

export const CLOCK_STATES = ['ok', 'due_soon', 'overdue', 'met', 'missed'] as const;
export type ClockState = (typeof CLOCK_STATES)[number];

export const CLOCK_STATE_LABELS: Record<ClockState, string> = {
  ok: '正常',
  due_soon: '即将到期',
  overdue: '已超时',
  met: '按时完成',
  missed: '超时完成',
};

/**
 * States without running clocks: SPEC §5 says so for rejected and withdrawn complaints (and duplicates,
 * handled under their original); a closed or written-off complaint has nothing left to run for.
 */
const STATES_WITHOUT_RUNNING_CLOCKS: readonly State[] = ['rejected', 'withdrawn', 'closed', 'written_off'];

/** Events after which nothing is awaited any more: they end a pause that was never resumed. */
const PAUSE_ENDING_EVENTS: readonly EventType[] = ['closed', 'written_off', 'withdrawn', 'rejected'];

/** A span of time in epoch milliseconds, start inclusive, end exclusive. */
export interface TimeSpan {
  start: number;
  end: number;
}

/**
 * When the clocks were paused: each `paused` event up to the next `resumed` (or the end of handling).
 * A pause still open ends at `now` (never before it began). Pauses the state machine rejects (a second
 * `paused`, a `resumed` without a pause) are skipped, as `replayEvents` skips them.
 */
export function pauseSpans(events: readonly ComplaintEvent[], now: DateTime<true>): TimeSpan[] {
  const { spans, openSince } = recordedPauses(events);
  if (openSince !== undefined) return [...spans, { start: openSince, end: Math.max(now.toMillis(), openSince) }];
  return spans;
}

/** The pauses the events close, and when a pause still open began. */
function recordedPauses(events: readonly ComplaintEvent[]): { spans: TimeSpan[]; openSince: number | undefined } {
  const spans: TimeSpan[] = [];
  let openSince: number | undefined;
  for (const event of events) {
    const at = Date.parse(event.at);
    if (event.type === 'paused' && openSince === undefined) openSince = at;
    else if ((event.type === 'resumed' || PAUSE_ENDING_EVENTS.includes(event.type)) && openSince !== undefined) {
      spans.push({ start: openSince, end: Math.max(at, openSince) });
      openSince = undefined;
    }
  }
  return { spans, openSince };
}

/**
 * Whether a complaint's clock readings could change with `now`: a clock still running, or a pause
 * still open (it pushes due times on as time passes). Readings that cannot are the same at any later
 * moment, and a report over many periods works them out once.
 */
export function readingsDependOnNow(complaint: Pick<ComplaintData, 'events'>, readings: readonly ClockReading[]): boolean {
  return readings.some((reading) => reading.running) || recordedPauses(complaint.events).openSince !== undefined;
}

/** Whether pauses push a limit on by working time (true) or by wall-clock time (false). */
export function pausesCountWorkingTime(limit: Limit): boolean {
  return limit.kind === 'same_day' || limit.kind === 'working_days';
}

/**
 * The due time a limit gives for a clock that starts at `start`, before pauses and extensions (see the
 * module comment for the rules). `deadline` limits need the forwarding office's deadline.
 */
export function baseDueTime(
  calendar: WorkingCalendar,
  start: DateTime<true>,
  limit: Limit,
  deadline?: DateTime<true>,
): CalendarResult<DateTime<true>> {
  const startDate = localDate(calendar, start);
  const sameDay = (): CalendarResult<DateTime<true>> => {
    const within = isWithinWorkingHours(calendar, start);
    if (within.value) return { value: endOfWorkingDay(calendar, startDate), warnings: within.warnings };
    const next = nextWorkingDay(calendar, startDate);
    return { value: endOfWorkingDay(calendar, next.value), warnings: mergeWarnings(within.warnings, next.warnings) };
  };
  switch (limit.kind) {
    case 'hours':
      return { value: start.plus({ milliseconds: limit.hours * 60 * 60 * 1000 }), warnings: [] };
    case 'same_day':
      return sameDay();
    case 'working_days': {
      // "0 working days" can only mean the same working day; it must not fall before the start.
      if (limit.days === 0) return sameDay();
      const day = nthWorkingDayAfter(calendar, startDate, limit.days);
      return { value: endOfWorkingDay(calendar, day.value), warnings: day.warnings };
    }
    case 'days': {
      const end = endOfCalendarDay(calendar, addCalendarDays(calendar, startDate, limit.days));
      // "0 days" from a receipt within the day's last second (23:59:59.5) would otherwise fall before it.
      return { value: end < start ? start : end, warnings: [] };
    }
    case 'deadline':
      if (!deadline) throw new MissingDeadlineError();
      return { value: deadline, warnings: [] };
    default: {
      const unknown: never = limit;
      throw new Error(`unknown limit ${JSON.stringify(unknown)}`);
    }
  }
}

/** A `deadline` limit was applied to a complaint without `source.deadline`. */
export class MissingDeadlineError extends Error {
  override readonly name = 'MissingDeadlineError';
  constructor() {
    super('a "deadline" limit needs source.deadline, the deadline the forwarding office set（缺少转办期限）');
  }
}

/** What determines one clock's due time. */
export interface ClockTiming {
  start: DateTime<true>;
  limit: Limit;
  /** The forwarding office's deadline, for `deadline` limits. */
  deadline?: DateTime<true>;
  /** When the clock stopped, if it did. */
  stoppedAt?: DateTime<true>;
  /** The complaint's events: pauses, and extensions of `clock`. */
  events: readonly ComplaintEvent[];
  /** Which clock's `extended` events apply; none when the timing is not one of the named clocks. */
  clock?: ClockName;
  now: DateTime<true>;
}

export interface ClockDue {
  due: DateTime<true>;
  /** Whether an extension replaced the limit's due time. */
  extended: boolean;
}

/**
 * A clock's due time: the limit's due time, replaced by the latest extension, pushed on by the paused
 * time that counts (see the module comment).
 */
export function dueTimeOf(calendar: WorkingCalendar, timing: ClockTiming): CalendarResult<ClockDue> {
  const base = baseDueTime(calendar, timing.start, timing.limit, timing.deadline);
  const warnings: CalendarWarning[][] = [base.warnings];
  const stop = timing.stoppedAt?.toMillis() ?? Number.POSITIVE_INFINITY;
  const extensions = timing.events.flatMap((event) =>
    event.type === 'extended' && timing.clock !== undefined && event.clock === timing.clock && event.due !== undefined && Date.parse(event.at) < stop
      ? [{ at: Date.parse(event.at), due: event.due }]
      : [],
  );

  // Pauses are cut at extensions: paused time after an extension still pushes the new due time on.
  const cuts = extensions.map((extension) => extension.at);
  const pauses = pauseSpans(timing.events, timing.now).flatMap((span) => {
    const pieces: TimeSpan[] = [];
    let start = span.start;
    for (const cut of cuts.filter((at) => at > span.start && at < span.end).sort((a, b) => a - b)) {
      pieces.push({ start, end: cut });
      start = cut;
    }
    pieces.push({ start, end: span.end });
    return pieces;
  });
  type Step = { at: number; order: 0; due: string } | { at: number; order: 1; span: TimeSpan };
  const steps: Step[] = [
    ...extensions.map((extension): Step => ({ at: extension.at, order: 0, due: extension.due })),
    ...pauses.map((span): Step => ({ at: span.start, order: 1, span })),
  ].sort((a, b) => a.at - b.at || a.order - b.order);

  let due = base.value;
  let extended = false;
  for (const step of steps) {
    if (step.order === 0) {
      due = instantIn(calendar, step.due);
      extended = true;
      continue;
    }
    const start = Math.max(step.span.start, timing.start.toMillis());
    const end = Math.min(step.span.end, stop);
    if (end <= start || start >= due.toMillis()) continue;
    if (pausesCountWorkingTime(timing.limit)) {
      const zone = { zone: zoneOf(calendar.timezone) };
      const paused = workingTimeBetween(
        calendar,
        validTime(DateTime.fromMillis(start, zone), 'a pause'),
        validTime(DateTime.fromMillis(end, zone), 'a pause'),
      );
      const shifted = addWorkingTime(calendar, due, paused.value);
      warnings.push(paused.warnings, shifted.warnings);
      due = shifted.value;
    } else {
      due = due.plus({ milliseconds: end - start });
    }
  }
  return { value: { due, extended }, warnings: mergeWarnings(...warnings) };
}

/** A clock's state at `now` (SPEC §5 reminders): met/missed once stopped, else ok, due soon or overdue. */
export function clockStateAt(
  timing: { start: DateTime<true>; due: DateTime<true>; stoppedAt?: DateTime<true>; now: DateTime<true> },
  reminders: Org['reminders'],
): { state: ClockState; longOverdue: boolean } {
  const { start, due, stoppedAt, now } = timing;
  if (stoppedAt) return { state: stoppedAt <= due ? 'met' : 'missed', longOverdue: false };
  const window = due.toMillis() - start.toMillis();
  const longOverdue = now.toMillis() > due.toMillis() + reminders.longOverdueShare * window;
  if (now > due) return { state: 'overdue', longOverdue };
  if (now.toMillis() >= start.toMillis() + reminders.dueSoonShare * window) return { state: 'due_soon', longOverdue };
  return { state: 'ok', longOverdue };
}

/** Whether a rule applies to a complaint: every filter it has matches (absent filters match everything). */
export function ruleApplies(rule: ClockRule, complaint: ComplaintData): boolean {
  const forwarded = complaint.source?.deadline !== undefined;
  if (rule.channels && !rule.channels.includes(complaint.channel)) return false;
  if (rule.urgency && !rule.urgency.includes(complaint.urgency)) return false;
  if (rule.forwarded !== undefined && rule.forwarded !== forwarded) return false;
  // A deadline limit without a deadline cannot be computed, so the rule cannot apply.
  if (rule.limit.kind === 'deadline' && !forwarded) return false;
  return true;
}

/** The rule of each clock that applies to the complaint: the first matching rule of that clock, in clock order. */
export function applicableRules(rules: readonly ClockRule[], complaint: ComplaintData): ClockRule[] {
  return CLOCK_NAMES.flatMap((clock) => {
    const rule = rules.find((candidate) => candidate.clock === clock && ruleApplies(candidate, complaint));
    return rule ? [rule] : [];
  });
}

/** The first event of a type at or after `from` (milliseconds), if any. */
function firstEvent(events: readonly ComplaintEvent[], type: EventType, from = Number.NEGATIVE_INFINITY): ComplaintEvent | undefined {
  return events.find((event) => event.type === type && Date.parse(event.at) >= from);
}

/** One clock of one complaint, as `complaints sla`, the reminders and the statistics read it. */
export interface ClockReading {
  id: string;
  clock: ClockName;
  limit: Limit;
  startedAt: string;
  due: string;
  stoppedAt?: string;
  state: ClockState;
  /** Still counting: not stopped, and the complaint is one whose clocks run. */
  running: boolean;
  /** Overdue by more than `reminders.longOverdueShare` of the clock's window: for escalation to leadership. */
  longOverdue: boolean;
  extended: boolean;
  warnings: CalendarWarning[];
}

/**
 * Every clock of a complaint at `now`, in the order of CLOCK_NAMES. A clock is listed once it has
 * started (the visit clock once the complainant was answered, and only without a `no_visit` reason).
 *
 * Which complaints have running clocks (SPEC §5): a rejected, withdrawn or duplicate complaint has
 * none, and a closed or written-off complaint's clocks that never stopped are not listed. Clocks that
 * did stop before such an end are still listed as met or missed: they are facts about how quickly the
 * complaint was handled. Statistics decide separately which complaints they count.
 */
export function clocksOf(
  complaint: ComplaintData,
  org: Pick<Org, 'clocks' | 'reminders'>,
  calendar: WorkingCalendar,
  now: Date,
): ClockReading[] {
  const nowTime = fromDate(calendar, now);
  const clocksRun = !STATES_WITHOUT_RUNNING_CLOCKS.includes(stateOf(complaint)) && complaint.duplicate_of === undefined;
  const deadline = complaint.source?.deadline ? instantIn(calendar, complaint.source.deadline) : undefined;
  const readings: ClockReading[] = [];
  for (const rule of applicableRules(org.clocks, complaint)) {
    let start = instantIn(calendar, complaint.received_at);
    if (rule.clock === 'visit') {
      const replied = firstEvent(complaint.events, VISIT_START_EVENT);
      if (!replied || complaint.no_visit) continue;
      start = instantIn(calendar, replied.at);
    }
    const stopEvent = firstEvent(complaint.events, CLOCK_STOP_EVENTS[rule.clock], start.toMillis());
    const stoppedAt = stopEvent ? instantIn(calendar, stopEvent.at) : undefined;
    if (!stoppedAt && !clocksRun) continue;
    const timing: ClockTiming = { start, limit: rule.limit, deadline, stoppedAt, events: complaint.events, clock: rule.clock, now: nowTime };
    const { value, warnings } = dueTimeOf(calendar, timing);
    const { state, longOverdue } = clockStateAt({ start, due: value.due, stoppedAt, now: nowTime }, org.reminders);
    readings.push({
      id: complaint.id,
      clock: rule.clock,
      limit: rule.limit,
      startedAt: formatInstant(calendar, start),
      due: formatInstant(calendar, value.due),
      ...(stoppedAt ? { stoppedAt: formatInstant(calendar, stoppedAt) } : {}),
      state,
      running: !stoppedAt,
      longOverdue,
      extended: value.extended,
      warnings,
    });
  }
  return readings;
}
