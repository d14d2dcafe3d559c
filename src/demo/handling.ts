import { DateTime } from 'luxon';
import type { Department, Org } from '../core/org/schema.ts';
import type { Channel, NoVisitReason } from '../core/org/vocabulary.ts';
import type { ComplaintEvent, ComplaintData } from '../core/complaint/schema.ts';
import type { Random } from './random.ts';
import type { Plan } from './plan.ts';
import { DEMO_STAFF } from './organisation.ts';
import {
  ESCALATION_NOTES,
  EXTENSION_NOTES,
  REOPEN_REPLY,
  SATISFIED_COMMENTS,
  UNSATISFIED_COMMENTS,
  WITHDRAWAL_NOTES,
  WRITE_OFF_ANALYSIS,
} from './texts.ts';
import {
  addWorkingMinutes,
  atMinutes,
  nextWorkingMoment,
  sameDayDue,
  workingDaysDue,
  workingMinutesBetween,
  type WorkingHours,
} from './working-time.ts';

/**
 * Plays out the handling of one planned complaint as dated events (SPEC §3–§5): acceptance,
 * assignment, investigation, reply, verification, visit and closure, with the plan's twists. Steps are
 * timed against the property preset's time limits so that most are met and the planned ones are not.
 */

/** How far a complaint has got; events are cut at a target stage. */
export const STAGES = {
  received: 0,
  accepted: 1,
  assigned: 2,
  investigating: 3,
  replied: 4,
  verified: 5,
  closed: 6,
  terminal: 7,
} as const;
export type Stage = (typeof STAGES)[keyof typeof STAGES];

export interface Step {
  event: ComplaintEvent;
  /** The stage reached once this event has happened. */
  stage: Stage;
  reply?: NonNullable<ComplaintData['reply']>;
  visit?: NonNullable<ComplaintData['visit']>;
  closure?: NonNullable<ComplaintData['closure']>;
}

export interface HandlingContext {
  org: Org;
  hours: WorkingHours;
  random: Random;
}

export interface Handling {
  steps: Step[];
  department: Department;
  assignees: string[];
  receivedBy: string;
}

// 001 §4.5.4: online complaints get a polite acknowledgement within 4 hours.
const ACK_HOURS = 4;
// 003 §(三)1: urgent matters on site within 2 hours and a first solution within 4, around the clock.
const ONSITE_HOURS = 2;
const FIRST_SOLUTION_HOURS = 4;
// 003 §(二)2: general matters answered within 24 hours, non-urgent ones within 3 working days.
const FIRST_RESPONSE_HOURS = 24;
const NON_URGENT_WORKING_DAYS = 3;
// 001 §4.6.2: written complaints answered within 2 working days.
const WRITTEN_REPLY_WORKING_DAYS = 2;
// 003 §(四): the follow-up visit within 3 working days of the reply.
const VISIT_WORKING_DAYS = 3;
// 001 §4.2.2⑦: without a visit, a complaint closes after a week without a repeat.
const NO_REPEAT_DAYS = 7;
/** Channels without a reply clock in the property preset still get an answer within a few working days. */
const OWN_TARGET_WORKING_DAYS = 3;
/** 001 §4.4.3.7: the year-end write-off is signed off in the afternoon of the last day of the year. */
const WRITE_OFF_TIME = { hour: 16, minute: 30 };

const WORKING_DAY_MINUTES = 540;

const REPLY_METHODS: Record<Channel, NonNullable<ComplaintData['reply']>['method']> = {
  online: 'online',
  phone: 'phone',
  visit: 'onsite',
  letter: 'letter',
  email: 'email',
  suggestion_box: 'phone',
  principal_mailbox: 'letter',
  forwarded: 'phone',
  media: 'phone',
  other: 'phone',
};

const CLOSING_NOTES: Record<NoVisitReason, string> = {
  on_the_spot: '当场处理并经投诉人确认，处理完毕一周内无再次投诉',
  anonymous: '匿名投诉，处理结果已在公告栏公示，一周内无再次投诉',
  no_contact: '无法联系投诉人，处理完毕一周内无再次投诉',
  sensitive: '敏感投诉不便回访，处理完毕一周内无再次投诉',
};

/** ISO 8601 with the +08:00 offset, whole minutes. */
export function isoMinute(time: DateTime): string {
  return time.set({ second: 0, millisecond: 0 }).toISO({ suppressMilliseconds: true })!;
}

/** The reply due time under the property preset (or the demo's own target where no clock applies). */
export function replyDue(plan: Plan, hours: WorkingHours): DateTime {
  switch (plan.channel) {
    case 'phone':
    case 'visit':
    case 'online':
      return sameDayDue(plan.receivedAt, hours);
    case 'letter':
    case 'email':
    case 'suggestion_box':
    case 'principal_mailbox':
      return workingDaysDue(plan.receivedAt, WRITTEN_REPLY_WORKING_DAYS, hours);
    case 'forwarded':
      return plan.forwardedDeadline ?? workingDaysDue(plan.receivedAt, OWN_TARGET_WORKING_DAYS, hours);
    case 'media':
    case 'other':
      return workingDaysDue(plan.receivedAt, OWN_TARGET_WORKING_DAYS, hours);
  }
}

function firstResponseDue(plan: Plan, hours: WorkingHours): DateTime {
  if (plan.urgency === 'urgent') return plan.receivedAt.plus({ hours: ONSITE_HOURS });
  if (plan.urgency === 'general') return plan.receivedAt.plus({ hours: FIRST_RESPONSE_HOURS });
  return workingDaysDue(plan.receivedAt, NON_URGENT_WORKING_DAYS, hours);
}

export function departmentFor(org: Org, category: string): Department {
  const department = org.departments.find((candidate) => candidate.categories.includes(category));
  if (!department) throw new Error(`the demo organisation routes no department for category "${category}"`);
  return department;
}

/** Builds the full story of a complaint up to its target's end state (cutting happens afterwards). */
export function buildHandling(plan: Plan, context: HandlingContext): Handling {
  const { random, hours, org } = context;
  const steps: Step[] = [];
  let cursor = plan.receivedAt;
  let stage: Stage = STAGES.received;

  const working = (from: DateTime, low: number, high: number) => addWorkingMinutes(from, random.integer(low, high), hours);
  const clock = (from: DateTime, low: number, high: number) => from.plus({ minutes: random.integer(low, high) });
  /** A moment between `from` and `to` (a share of the working time between them); late when there is no room. */
  const within = (from: DateTime, to: DateTime, low: number, high: number) => {
    const room = workingMinutesBetween(from, to, hours);
    if (room < 10) return working(from, 10, 60);
    return addWorkingMinutes(from, Math.max(1, Math.round(room * random.between(low, high))), hours);
  };
  /**
   * For limits in clock hours (the 24-hour first response): in working time when there is room, else
   * the duty staff respond in the evening or early morning rather than in the middle of the night.
   */
  const withinHours = (from: DateTime, to: DateTime) => {
    if (workingMinutesBetween(from, to, hours) >= 30) return within(from, to, 0.15, 0.45);
    const span = Math.max(0, to.diff(from, 'minutes').minutes);
    if (span < 10) return clock(from, 10, 60);
    const candidate = from.plus({ minutes: Math.round(span * random.between(0.2, 0.6)) });
    const morning = atMinutes(candidate, random.integer(7 * 60 + 30, 8 * 60 + 20));
    if (candidate.hour >= 7 && candidate.hour < 22) return candidate;
    const nextMorning = candidate.hour >= 22 ? morning.plus({ days: 1 }) : morning;
    return nextMorning < to ? nextMorning : candidate;
  };
  const push = (at: DateTime, event: Omit<ComplaintEvent, 'at'>, next?: Stage, records: Omit<Step, 'event' | 'stage'> = {}) => {
    const time = at < cursor ? cursor : at;
    cursor = time;
    if (next !== undefined) stage = next;
    steps.push({ event: { at: isoMinute(time), ...event }, stage, ...records });
    return time;
  };

  const isPublic = plan.public ?? org.categories.find((category) => category.key === plan.matter.category)?.public ?? false;
  const publicNote = (text: string) => (isPublic ? { public_note: text } : {});
  const nightOrHoliday = nextWorkingMoment(plan.receivedAt, hours).toMillis() !== plan.receivedAt.toMillis();
  const receivedBy =
    plan.channel === 'online' ? DEMO_STAFF.intake : nightOrHoliday ? DEMO_STAFF.duty : random.pick(DEMO_STAFF.reception);
  const frontDesk = receivedBy === DEMO_STAFF.intake ? random.pick(DEMO_STAFF.reception) : receivedBy;
  const department = departmentFor(org, plan.matter.category);
  const firstDepartment = plan.transfer && plan.matter.reportedCategory ? departmentFor(org, plan.matter.reportedCategory) : department;
  const handler = random.pick(department.handlers);
  const colleague = department.handlers.find((candidate) => candidate !== handler);
  const assignees = colleague && random.chance(0.3) ? [handler, colleague] : [handler];
  const result = (): Handling => ({ steps, department, assignees, receivedBy });

  push(plan.receivedAt, { type: 'received', by: receivedBy }, STAGES.received);

  if (plan.rejection) {
    if (random.chance(0.5)) push(working(cursor, 5, 60), { type: 'accepted', by: frontDesk }, STAGES.accepted);
    push(working(cursor, 30, 480), { type: 'rejected', by: frontDesk, note: plan.rejection.note, public_note: plan.rejection.publicNote }, STAGES.terminal);
    return result();
  }

  // Acceptance: calls and visits at once; online within the 4-hour acknowledgement (the night duty
  // sometimes leaves it to the morning); written channels when the post or the box is opened.
  let acceptAt: DateTime;
  // Urgent matters are taken at once whichever way they arrive (003 §(二)2(1): 立即派员处理).
  if (plan.urgency === 'urgent') acceptAt = clock(plan.receivedAt, 1, 15);
  else switch (plan.channel) {
    case 'phone':
    case 'visit':
      acceptAt = clock(plan.receivedAt, 1, 12);
      break;
    case 'online':
      acceptAt = nightOrHoliday && random.chance(0.25) ? working(plan.receivedAt, 5, 50) : clock(plan.receivedAt, 10, ACK_HOURS * 60 - 40);
      break;
    case 'media':
      acceptAt = clock(plan.receivedAt, 15, 90);
      break;
    default:
      acceptAt = working(plan.receivedAt, 15, 240);
  }
  push(acceptAt, { type: 'accepted', by: frontDesk, note: '已受理并告知投诉人处理时限', ...publicNote('已受理，正在处理。') }, STAGES.accepted);
  if (plan.escalation === 'major') {
    push(clock(cursor, 10, 45), { type: 'escalated', by: DEMO_STAFF.supervisor, note: ESCALATION_NOTES.major }, undefined);
  }

  // Urgent and general matters run on clock hours (003 §(二)2), so the duty desk dispatches them at any hour.
  const assignAt = plan.urgency === 'urgent' ? clock(cursor, 3, 15) : plan.urgency === 'general' ? clock(cursor, 5, 45) : working(cursor, 5, 60);
  push(assignAt, { type: 'assigned', by: DEMO_STAFF.reception[0], department: firstDepartment.key, note: `派至${firstDepartment.name}` }, STAGES.assigned);
  if (plan.escalation === 'hot' || plan.escalation === 'repeat') {
    // 001 §4.6.3: hot complaints are reported within one working day.
    push(working(cursor, 30, 400), { type: 'escalated', by: DEMO_STAFF.supervisor, note: ESCALATION_NOTES[plan.escalation] }, undefined);
  }

  if (plan.target === 'withdrawn') {
    push(working(cursor, 60, 1500), { type: 'withdrawn', by: frontDesk, note: random.pick(WITHDRAWAL_NOTES), ...publicNote('投诉人已撤回投诉。') }, STAGES.terminal);
    return result();
  }

  if (firstDepartment.key !== department.key) {
    push(working(cursor, 30, 180), {
      type: 'transferred',
      by: random.pick(firstDepartment.handlers),
      department: department.key,
      note: `经现场核查，根本原因属${org.categories.find((category) => category.key === plan.matter.category)?.label ?? plan.matter.category}，转${department.name}处理`,
    }, STAGES.assigned);
  }

  let due = replyDue(plan, hours);
  const firstDue = firstResponseDue(plan, hours);
  const investigateAt =
    plan.urgency === 'urgent'
      ? clock(plan.receivedAt, 25, ONSITE_HOURS * 60 - 15)
      : plan.urgency === 'general'
        ? withinHours(cursor, firstDue < due ? firstDue : due)
        : within(cursor, firstDue < due ? firstDue : due, 0.15, 0.45);
  push(investigateAt, { type: 'investigated', by: handler, note: plan.urgency === 'urgent' ? '已到场核查' : '已联系投诉人并到现场了解情况' }, STAGES.investigating);
  if (plan.urgency === 'urgent' || random.chance(0.3)) {
    const planAt = plan.urgency === 'urgent' ? clock(plan.receivedAt, 120, FIRST_SOLUTION_HOURS * 60 - 20) : working(cursor, 20, 90);
    push(planAt, { type: 'plan', by: handler, note: '已制定处理方案' }, STAGES.investigating);
  }

  if (plan.target === 'written_off') return writeOff(plan, context, steps, push, handler, cursor, result);

  let replyAt: DateTime | undefined;
  if (plan.pause !== 'none') {
    const pause = plan.pauseDetail ?? plan.matter.pause;
    if (!pause) throw new Error(`the demo plan for "${plan.matter.key}" pauses but names no reason`);
    const pausedAt = push(within(cursor, due, 0.1, 0.5), { type: 'paused', by: handler, reason: pause.reason, note: pause.note }, undefined);
    if (plan.pause === 'open') return result();
    // Paused time does not count (SPEC §5): the reply uses what was left of the window at the pause.
    const remaining = workingMinutesBetween(pausedAt, due, hours);
    const resumedAt = push(working(pausedAt, WORKING_DAY_MINUTES, WORKING_DAY_MINUTES * 5), { type: 'resumed', by: handler, note: pause.resumeNote }, undefined);
    replyAt = addWorkingMinutes(resumedAt, Math.max(10, Math.round(remaining * random.between(0.3, 0.9))), hours);
  }
  if (plan.extension) {
    const extendedAt = working(cursor, 10, 60);
    const newDue = workingDaysDue(extendedAt, 3, hours);
    push(extendedAt, { type: 'extended', by: handler, clock: 'reply', due: isoMinute(newDue), told_complainant: true, note: random.pick(EXTENSION_NOTES) }, undefined);
    due = newDue;
  }
  if (plan.late) {
    // 篇4 §(三)5: overdue matters are supervised (督办) by the monitoring department.
    const escalatedAt = push(working(due > cursor ? due : cursor, 30, 240), { type: 'escalated', by: DEMO_STAFF.supervisor, note: ESCALATION_NOTES.overdue }, undefined);
    replyAt = working(escalatedAt, 60, 300);
  }
  replyAt ??= within(cursor, due, 0.55, 0.95);

  const method = plan.anonymous ? 'other' : REPLY_METHODS[plan.channel];
  const replied = push(replyAt, { type: 'replied', by: handler, ...publicNote(plan.matter.publicNote) }, STAGES.replied);
  steps[steps.length - 1]!.reply = { at: isoMinute(replied), by: handler, method, summary: plan.matter.reply(plan.place) };

  if (plan.verifyStep) push(working(cursor, 60, 900), { type: 'verified', by: DEMO_STAFF.supervisor, note: '现场验证处理效果' }, STAGES.verified);

  if (plan.noVisit) {
    // 001 §4.2.2⑦ / §4.4.4.1: no visit needed; closed after a week with no repeat.
    const closeAt = nextWorkingMoment(replied.plus({ days: NO_REPEAT_DAYS, minutes: random.integer(30, 1440) }), hours);
    const closed = push(closeAt, { type: 'closed', by: frontDesk, ...publicNote('处理完毕一周内无再次投诉，投诉关闭。') }, STAGES.closed);
    steps[steps.length - 1]!.closure = { at: isoMinute(closed), basis: 'no_repeat_7d', note: CLOSING_NOTES[plan.noVisit] };
    return result();
  }

  const visitDue = workingDaysDue(replied, VISIT_WORKING_DAYS, hours);
  const visitMethod = () => random.weighted([['phone', 70], ['onsite', 15], [plan.channel === 'online' ? 'online' : 'phone', 10], ['survey', 5]] as const);
  const visitor = random.pick(DEMO_STAFF.reception);
  let visitAt = plan.lateVisit ? working(visitDue, 60, 1200) : within(cursor, visitDue, 0.2, 0.9);
  if (plan.unsatisfied) {
    const comment = random.pick(UNSATISFIED_COMMENTS);
    const visited = push(visitAt, { type: 'visited', by: visitor, note: `回访不满意：${comment}` }, STAGES.verified);
    steps[steps.length - 1]!.visit = { at: isoMinute(visited), method: visitMethod(), satisfied: false, score: 2, comment };
    push(working(cursor, 10, 60), { type: 'reopened', by: DEMO_STAFF.supervisor, note: '回访不满意，重新处理' }, STAGES.investigating);
    push(working(cursor, 60, 480), { type: 'investigated', by: handler, note: '再次到场核查' }, STAGES.investigating);
    const again = push(working(cursor, 120, 900), { type: 'replied', by: handler, ...publicNote('已再次处理。') }, STAGES.replied);
    steps[steps.length - 1]!.reply = { at: isoMinute(again), by: handler, method, summary: REOPEN_REPLY };
    visitAt = working(cursor, 240, 1500);
  }
  const score = random.weighted([[5, 60], [4, 35], [3, 5]] as const);
  const visited = push(visitAt, { type: 'visited', by: visitor, note: '回访满意' }, STAGES.verified);
  steps[steps.length - 1]!.visit = { at: isoMinute(visited), method: visitMethod(), satisfied: true, score, comment: random.pick(SATISFIED_COMMENTS) };

  const closed = push(working(cursor, 10, 480), { type: 'closed', by: DEMO_STAFF.reception[0], ...publicNote('经回访投诉人满意，投诉关闭。') }, STAGES.closed);
  steps[steps.length - 1]!.closure = { at: isoMinute(closed), basis: 'satisfied' };
  return result();
}

type Push = (at: DateTime, event: Omit<ComplaintEvent, 'at'>, next?: Stage, records?: Omit<Step, 'event' | 'stage'>) => DateTime;

/** 001 §4.4.3.7: still open at the end of the statistics year, written off with a special analysis. */
function writeOff(
  plan: Plan,
  context: HandlingContext,
  steps: Step[],
  push: Push,
  handler: string,
  cursor: DateTime,
  result: () => Handling,
): Handling {
  const { random, hours } = context;
  const pause = plan.matter.pause;
  if (!pause) throw new Error('the written-off demo matter names no pause');
  const pausedAt = push(addWorkingMinutes(cursor, random.integer(30, 120), hours), { type: 'paused', by: handler, reason: pause.reason, note: pause.note });
  const resumedAt = push(addWorkingMinutes(pausedAt, WORKING_DAY_MINUTES * random.integer(6, 9), hours), { type: 'resumed', by: handler, note: pause.resumeNote });
  push(addWorkingMinutes(resumedAt, random.integer(60, 300), hours), { type: 'escalated', by: DEMO_STAFF.supervisor, note: '超过一周未解决，列为热点投诉并上报公司' });
  const yearEnd = plan.receivedAt.endOf('year').set(WRITE_OFF_TIME).startOf('minute');
  const writtenOff = push(yearEnd, { type: 'written_off', by: DEMO_STAFF.leadership, note: '年度末仍未关闭，经总经理批准核销' }, STAGES.terminal);
  steps[steps.length - 1]!.closure = { at: isoMinute(writtenOff), basis: 'written_off', note: WRITE_OFF_ANALYSIS };
  return result();
}
