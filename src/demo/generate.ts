import { DateTime } from 'luxon';
import { zoneOf } from '../core/time-zone.ts';
import { orgSchema, type Org, type OrgFileInput } from '../core/org/schema.ts';
import { complaintSchema, type ComplaintData, type ComplaintInput } from '../core/complaint/schema.ts';
import { complaintPath, formatComplaintId, receivedMonth } from '../core/complaint/paths.ts';
import { checkRecord, stateOf, STATES, type State } from '../core/complaint/states.ts';
import type { FieldProblem } from '../core/problems.ts';
import type { Contact } from '../privacy/contact.ts';
import { createRandom, type Random } from './random.ts';
import type { Plan } from './plan.ts';
import { buildHandling, isoMinute, STAGES, type Step } from './handling.ts';
import { demoOrganisation, DEMO_TIMEZONE } from './organisation.ts';
import { DEMO_WINDOW_DAYS, pinnedScenarios, placeFor, randomScenario, type Realised, type ScenarioKit } from './scenarios.ts';
import { COURTESY_TITLES, OFFICE_COMPANIES, SURNAMES } from './texts.ts';
import { workingDaysDue, type WorkingHours } from './working-time.ts';

/**
 * Generates the demo archive: the organisation and a few hundred complaints over the six months before
 * `now`, deterministic for a seed and `now`. Pure: contacts come back in plaintext for the writer to
 * encrypt (encryption is random, everything else is reproducible).
 */

/** The seed of the committed demo archive. */
export const DEFAULT_DEMO_SEED = 20261123;
/** Comfortably over the 200 complaints a realistic half-year of four projects would have. */
export const DEFAULT_DEMO_COUNT = 240;

/** A forwarding office usually gives five working days (000 §(五) leaves the deadline to the office). */
const FORWARDED_WORKING_DAYS = 5;
/** How often a planned open complaint is moved earlier until its story fits before `now`. */
const MAX_FITTING_ATTEMPTS = 400;
const MINIMUM_SHIFT_MINUTES = 60;

export interface DemoOptions {
  seed: number;
  /** How many complaint files, the written-off one of the previous year included. */
  count: number;
  now: Date;
}

export interface DemoComplaint {
  data: ComplaintData;
  body: string;
  /** Plaintext for the writer to encrypt; never written as is. */
  contact?: Contact;
  /** `content/complaints/YYYY/MM/<id>.md` */
  path: string;
}

export interface DemoArchive {
  org: OrgFileInput;
  complaints: DemoComplaint[];
}

/** Asked for fewer complaints than the pinned scenarios need. */
export class DemoCountError extends Error {
  override readonly name = 'DemoCountError';
  readonly minimum: number;
  constructor(count: number, minimum: number) {
    super(`the demo needs at least ${minimum} complaints to cover every category, channel, urgency and state, got ${count}（演示数据至少 ${minimum} 件）`);
    this.minimum = minimum;
  }
}

/** A generated complaint broke the rules it is meant to show: a bug in the generator. */
export class DemoGenerationError extends Error {
  override readonly name = 'DemoGenerationError';
  constructor(id: string, problems: readonly FieldProblem[] | string) {
    super(`demo complaint ${id} is invalid: ${typeof problems === 'string' ? problems : problems.map((problem) => problem.message).join('; ')}`);
  }
}

/** Events up to the plan's target state (the rest of the story has not happened). */
function cutToTarget(steps: readonly Step[], target: Plan['target']): Step[] {
  if (target === 'auto' || target === 'closed' || target === 'rejected' || target === 'withdrawn' || target === 'written_off') return [...steps];
  const limit = STAGES[target];
  const kept: Step[] = [];
  for (const step of steps) {
    if (step.stage > limit) break;
    kept.push(step);
  }
  return kept;
}

/**
 * Plays out a plan and cuts it at its target and at `now`. A plan with a fixed target whose story does
 * not fit before `now` is moved earlier (its `receivedAt` is updated) until it does.
 */
function realise(plan: Plan, context: { org: Org; hours: WorkingHours; random: Random; now: DateTime }): Realised {
  const { org, hours, random, now } = context;
  const nowMillis = now.toMillis();
  for (let attempt = 0; attempt < MAX_FITTING_ATTEMPTS; attempt += 1) {
    if (plan.channel === 'forwarded') plan.forwardedDeadline = workingDaysDue(plan.receivedAt, FORWARDED_WORKING_DAYS, hours);
    const handling = buildHandling(plan, { org, hours, random });
    let steps = cutToTarget(handling.steps, plan.target);
    const lastAt = Date.parse(steps[steps.length - 1]!.event.at);
    if (plan.target === 'auto') {
      const cut = steps.findIndex((step) => Date.parse(step.event.at) > nowMillis);
      if (cut >= 0) steps = steps.slice(0, cut);
      // The record keeps one visit and one reply: a story must not stop between a second reply and its visit.
      const lastReply = steps.findLastIndex((step) => step.event.type === 'replied');
      const lastVisit = steps.findLastIndex((step) => step.event.type === 'visited');
      if (lastVisit >= 0 && lastReply > lastVisit) steps = steps.slice(0, lastReply);
    } else if (lastAt > nowMillis) {
      const overflow = Math.ceil((lastAt - nowMillis) / 60_000);
      plan.receivedAt = plan.receivedAt.minus({ minutes: Math.max(overflow, MINIMUM_SHIFT_MINUTES) + random.integer(30, 240) });
      continue;
    }
    if (steps.length === 0) throw new DemoGenerationError(plan.matter.key, `received after now (${plan.receivedAt.toISO()})`);
    return { plan, steps, department: handling.department.key, assignees: handling.assignees, receivedBy: handling.receivedBy };
  }
  throw new DemoGenerationError(plan.matter.key, `its "${plan.target}" story does not fit before now`);
}

function inventContact(plan: Plan, random: Random, sequence: number): Contact {
  const name = `${random.pick(SURNAMES)}${random.pick(COURTESY_TITLES)}`;
  // Placeholder numbers of the form 1380000xxxx: plainly invented, and only ever stored encrypted.
  const phone = `1380000${String(random.integer(0, 9999)).padStart(4, '0')}`;
  const { place, project } = plan;
  const address =
    project.type === 'residential'
      ? `${project.name}${place.building}${place.section}${random.integer(1, Math.max(1, place.floor))}0${random.integer(1, 4)}室`
      : `${project.name}${place.building}${place.section}${random.pick(OFFICE_COMPANIES)}`;
  const contact: Contact = { name, phone, address };
  if (plan.channel === 'email' || random.chance(0.15)) contact.email = `resident${sequence}@example.com`;
  return contact;
}

function sourceOf(plan: Plan, issue: number | undefined, reference: number): ComplaintInput['source'] {
  switch (plan.channel) {
    case 'online':
      return issue === undefined ? undefined : { issue };
    case 'forwarded':
      return {
        office: '示例市12345政务服务便民热线',
        deadline: plan.forwardedDeadline ? isoMinute(plan.forwardedDeadline) : undefined,
        reference: `GD${plan.receivedAt.toFormat('yyyyMMdd')}${String(reference).padStart(3, '0')}`,
      };
    case 'media':
      return { office: '《示例都市报》民生版' };
    case 'principal_mailbox':
      return { office: '集团总经理信箱' };
    case 'other':
      return { office: '业主微信群（管家转述）' };
    default:
      return undefined;
  }
}

/** The latest reply, visit or closure among the steps that happened. */
function lastRecord<K extends 'reply' | 'visit' | 'closure'>(steps: readonly Step[], key: K): Step[K] {
  return steps.findLast((step) => step[key] !== undefined)?.[key];
}

function complaintOf(realised: Realised, id: string, idOf: ReadonlyMap<Plan, string>, contact: Contact | undefined, source: ComplaintInput['source']): DemoComplaint {
  const { plan, steps } = realised;
  const events = steps.map((step) => step.event);
  const has = (type: string) => events.some((event) => event.type === type);
  const investigated = has('investigated');
  const assigned = has('assigned');
  const settled = has('closed') || has('written_off');
  const reply = lastRecord(steps, 'reply');
  const original = plan.duplicateOf ?? plan.repeatOf;
  const originalId = original ? idOf.get(original) : undefined;
  const location = plan.matter.location(plan.place);
  const severity =
    plan.flags.length > 0 || plan.override
      ? { flags: plan.flags, ...(plan.override ? { override: plan.override.level, reason: plan.override.reason, by: 'qa-jiang' } : {}) }
      : undefined;

  const input: ComplaintInput = {
    id,
    title: `${plan.matter.title(plan.place)}${plan.titleSuffix}`,
    channel: plan.channel,
    received_at: isoMinute(plan.receivedAt),
    received_by: realised.receivedBy,
    source,
    project: plan.project.key,
    location: location || undefined,
    complainants: plan.complainants,
    anonymous: plan.anonymous,
    category: plan.matter.category,
    reported_category: plan.transfer ? plan.matter.reportedCategory : undefined,
    nature: investigated ? plan.matter.nature : undefined,
    nature_detail: investigated ? plan.matter.natureDetail : undefined,
    urgency: plan.urgency,
    severity,
    public: plan.public,
    department: assigned ? realised.department : undefined,
    assignees: assigned ? realised.assignees : [],
    related: originalId ? [originalId] : [],
    duplicate_of: plan.duplicateOf ? originalId : undefined,
    repeat_of: plan.repeatOf ? originalId : undefined,
    events,
    reply,
    visit: lastRecord(steps, 'visit'),
    no_visit: plan.noVisit && reply ? { reason: plan.noVisit } : undefined,
    closure: lastRecord(steps, 'closure'),
    corrective_action: settled ? plan.matter.correctiveAction : undefined,
    lessons: settled ? plan.matter.lessons : undefined,
  };
  const parsed = complaintSchema.safeParse(input);
  if (!parsed.success) throw new DemoGenerationError(id, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  const problems = checkRecord(parsed.data);
  if (problems.length > 0) throw new DemoGenerationError(id, problems);

  const text = `${plan.bodyPrefix}${plan.matter.body(plan.place)}${plan.bodySuffix}`;
  const sections = [text];
  if (investigated && !plan.rejection) sections.push(`## 调查核实\n\n${plan.matter.investigation(plan.place)}`);
  return {
    data: parsed.data,
    body: `${sections.join('\n\n')}\n`,
    contact,
    path: complaintPath(id, parsed.data.received_at, DEMO_TIMEZONE),
  };
}

/** The demo archive for a seed and a moment. Same seed and `now`, same archive. */
export function generateDemoArchive(options: DemoOptions): DemoArchive {
  const random = createRandom(options.seed);
  // The steady-offset zone: Intl was nine tenths of the generator's time at 10,000 complaints.
  const zone = zoneOf(DEMO_TIMEZONE);
  const now = DateTime.fromJSDate(options.now, { zone }).startOf('minute');
  const windowStart = now.minus({ days: DEMO_WINDOW_DAYS + 1 });
  const lastYearNovember = DateTime.fromObject({ year: now.year - 1, month: 11, day: 1 }, { zone });
  const orgFile = demoOrganisation(windowStart < lastYearNovember ? windowStart : lastYearNovember, now);
  const org = orgSchema.parse(orgFile);
  const hours: WorkingHours = { timezone: org.timezone, ...org.workday };

  let index = 0;
  const kit: ScenarioKit = {
    random,
    now,
    org,
    hours,
    plan: (fields) => ({
      place: fields.place ?? placeFor(fields.project, random),
      urgency: fields.matter.urgency,
      target: 'auto',
      anonymous: false,
      noContact: false,
      complainants: 1,
      flags: [],
      pause: 'none',
      extension: false,
      late: false,
      lateVisit: false,
      unsatisfied: false,
      transfer: false,
      verifyStep: false,
      titleSuffix: '',
      bodyPrefix: '',
      bodySuffix: '',
      ...fields,
      index: index++,
    }),
    realise: (plan) => realise(plan, { org, hours, random, now }),
  };

  const realised = pinnedScenarios(kit);
  if (options.count < realised.length) throw new DemoCountError(options.count, realised.length);
  while (realised.length < options.count) realised.push(...randomScenario(kit, options.count - realised.length, realised));

  realised.sort((a, b) => a.plan.receivedAt.toMillis() - b.plan.receivedAt.toMillis() || a.plan.index - b.plan.index);
  const idOf = new Map<Plan, string>();
  const sequences = new Map<string, number>();
  for (const item of realised) {
    const { year } = receivedMonth(isoMinute(item.plan.receivedAt), DEMO_TIMEZONE);
    const sequence = (sequences.get(year) ?? 0) + 1;
    sequences.set(year, sequence);
    idOf.set(item.plan, formatComplaintId(Number(year), sequence));
  }

  let issue = 0;
  let reference = 0;
  const complaints = realised.map((item, position) => {
    const id = idOf.get(item.plan)!;
    const contact = item.plan.anonymous || item.plan.noContact ? undefined : inventContact(item.plan, random, position + 1);
    if (item.plan.channel === 'online') issue += 1;
    if (item.plan.channel === 'forwarded') reference += 1;
    const source = sourceOf(item.plan, item.plan.channel === 'online' ? issue : undefined, reference);
    return complaintOf(item, id, idOf, contact, source);
  });
  return { org: orgFile, complaints };
}

/** How many complaints end in each state, every state listed. */
export function countByState(complaints: readonly { data: Pick<ComplaintData, 'events'> }[]): Record<State, number> {
  const counts = Object.fromEntries(STATES.map((state) => [state, 0])) as Record<State, number>;
  for (const complaint of complaints) counts[stateOf(complaint.data)] += 1;
  return counts;
}
