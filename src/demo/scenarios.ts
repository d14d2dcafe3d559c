import { DateTime } from 'luxon';
import type { Org, Project } from '../core/org/schema.ts';
import type { Channel, ProjectType } from '../core/org/vocabulary.ts';
import type { State } from '../core/complaint/states.ts';
import type { Random } from './random.ts';
import type { Plan } from './plan.ts';
import type { Step } from './handling.ts';
import { MATTERS, REJECTIONS, WRITTEN_OFF_MATTER, type MatterTemplate, type Place, type RejectionTemplate } from './texts.ts';
import { atMinutes, isHoliday, isWorkingDay, nextWorkingDay, type WorkingHours } from './working-time.ts';

/**
 * Which complaints the demo archive holds. A fixed set of pinned scenarios makes sure every category,
 * channel, urgency and state appears, with duplicates, a repeat, a write-off, hot and major cases,
 * pauses, an extension, escalations and visits either way; random complaints fill up the rest of the
 * six months before `now`.
 */

/** A complaint whose handling has been played out and cut at its target and at `now`. */
export interface Realised {
  plan: Plan;
  steps: Step[];
  department: string;
  assignees: string[];
  receivedBy: string;
}

export type PlanFields = Partial<Omit<Plan, 'index'>> & Pick<Plan, 'matter' | 'project' | 'channel' | 'receivedAt'>;

export interface ScenarioKit {
  random: Random;
  now: DateTime;
  org: Org;
  hours: WorkingHours;
  plan(fields: PlanFields): Plan;
  realise(plan: Plan): Realised;
}

/** The demo covers the six months before `now` (the written-off complaint comes from the year before). */
export const DEMO_WINDOW_DAYS = 182;
/** Random complaints older than this have finished their story; younger ones stop wherever `now` cuts them. */
const SETTLED_AFTER_DAYS = 21;

const PROJECT_WEIGHTS: readonly (readonly [string, number])[] = [
  ['cuiyuan', 35],
  ['lanting', 30],
  ['guomao', 17],
  ['kechuang', 18],
];

const CHANNEL_WEIGHTS: readonly (readonly [Channel, number])[] = [
  ['phone', 30],
  ['online', 26],
  ['visit', 18],
  ['letter', 4],
  ['email', 5],
  ['suggestion_box', 5],
  ['principal_mailbox', 2],
  ['forwarded', 5],
  ['media', 1],
  ['other', 4],
];

/** How often each category comes up (environment and equipment most, as in a typical estate). */
const CATEGORY_WEIGHTS: Record<string, number> = {
  housing: 12,
  equipment: 22,
  security: 14,
  environment: 22,
  general_service: 12,
  neighbour_dispute: 10,
  developer: 4,
  other: 6,
};

/** Channels that only take complaints in office hours (the post, the box, the front desk, offices). */
const OFFICE_HOURS_CHANNELS: ReadonlySet<Channel> = new Set(['visit', 'letter', 'suggestion_box', 'principal_mailbox', 'forwarded', 'media', 'other']);

export function projectByKey(org: Org, key: string): Project {
  const project = org.projects.find((candidate) => candidate.key === key);
  if (!project) throw new Error(`the demo organisation has no project "${key}"`);
  return project;
}

export function matterByKey(key: string): MatterTemplate {
  const matter = MATTERS.find((candidate) => candidate.key === key);
  if (!matter) throw new Error(`the demo phrase bank has no matter "${key}"`);
  return matter;
}

/** A rejected complaint is told as a matter with only a title and a body. */
export function matterOfRejection(rejection: RejectionTemplate): MatterTemplate {
  return {
    key: `rejected_${rejection.category}`,
    category: rejection.category,
    projectTypes: rejection.projectTypes,
    urgency: 'general',
    nature: 'environment',
    natureDetail: '',
    title: () => rejection.title,
    body: () => rejection.body,
    location: () => '',
    investigation: () => '',
    reply: () => '',
    correctiveAction: '',
    lessons: '',
    publicNote: rejection.publicNote,
  };
}

export function placeFor(project: Project, random: Random): Place {
  const count = random.integer(2, 5);
  if (project.type === 'residential') {
    return {
      project: project.name,
      building: `${random.integer(1, 18)}栋`,
      section: `${random.integer(1, 4)}单元`,
      floor: random.integer(2, 26),
      who: '业主',
      count,
    };
  }
  const floor = random.integer(3, 28);
  return { project: project.name, building: random.pick(['A座', 'B座']), section: `${floor}层`, floor, who: '入驻企业员工', count };
}

/** A calendar day between `min` and `max` days before `now`. */
export function dayBefore(now: DateTime, random: Random, min: number, max: number): DateTime {
  return now.startOf('day').minus({ days: random.integer(min, max) });
}

/**
 * A plausible moment of receipt on (or just after) `day`: mostly working hours, calls and online
 * complaints also in the evening and at weekends and holidays; written and walk-in channels in office hours.
 */
export function receiptTime(day: DateTime, channel: Channel, random: Random): DateTime {
  if (OFFICE_HOURS_CHANNELS.has(channel)) {
    const workingDay = isWorkingDay(day) ? day : nextWorkingDay(day);
    return atMinutes(workingDay, random.integer(8 * 60 + 35, 17 * 60 + 15));
  }
  if (!isWorkingDay(day)) return atMinutes(day, random.integer(8 * 60, 22 * 60 + 30));
  if (random.chance(0.75)) return atMinutes(day, random.integer(8 * 60 + 30, 17 * 60 + 29));
  return atMinutes(day, random.chance(0.7) ? random.integer(17 * 60 + 30, 23 * 60 + 30) : random.integer(6 * 60 + 30, 8 * 60 + 29));
}

/** The latest official holiday day between `min` and `max` days before `now`, if any. */
function recentHoliday(now: DateTime, min: number, max: number): DateTime | undefined {
  for (let daysAgo = min; daysAgo <= max; daysAgo += 1) {
    const day = now.startOf('day').minus({ days: daysAgo });
    if (isHoliday(day)) return day;
  }
  return undefined;
}

function closureTime(realised: Realised): DateTime | undefined {
  const closure = realised.steps.find((step) => step.closure)?.closure;
  return closure ? DateTime.fromISO(closure.at, { setZone: true }) : undefined;
}

/** The pinned scenarios, in a fixed order. Their number is the smallest count the demo accepts. */
export function pinnedScenarios(kit: ScenarioKit): Realised[] {
  const { random, now, org } = kit;
  const realised: Realised[] = [];
  const add = (fields: PlanFields) => {
    const done = kit.realise(kit.plan(fields));
    realised.push(done);
    return done;
  };
  const project = (key: string) => projectByKey(org, key);
  const at = (channel: Channel, min: number, max: number) => receiptTime(dayBefore(now, random, min, max), channel, random);
  const ago = (minutes: number) => now.minus({ minutes });

  // A complaint of last November still open at year end: written off on 31 December (001 §4.4.3.7).
  const lastYear = now.year - 1;
  add({
    matter: WRITTEN_OFF_MATTER,
    project: project('cuiyuan'),
    channel: 'letter',
    receivedAt: receiptTime(DateTime.fromObject({ year: lastYear, month: 11, day: 18 }, { zone: now.zone }), 'letter', random),
    target: 'written_off',
    complainants: 2,
  });

  // One matter raised by four different people within two weeks: three duplicates make it hot (001 §4.6.3).
  const elevatorPlace: Place = { ...placeFor(project('cuiyuan'), random), building: '7栋' };
  const elevator = add({ matter: matterByKey('elevator_breakdown'), project: project('cuiyuan'), place: elevatorPlace, channel: 'phone', receivedAt: at('phone', 50, 120) });
  (['online', 'visit', 'email'] as const).forEach((channel, index) => {
    const day = elevator.plan.receivedAt.startOf('day').plus({ days: [2, 5, 11][index]! });
    add({
      matter: matterByKey('elevator_breakdown'),
      project: project('cuiyuan'),
      place: { ...elevatorPlace, count: elevatorPlace.count + index + 1 },
      channel,
      receivedAt: receiptTime(day, channel, random),
      duplicateOf: elevator.plan,
      escalation: index === 2 ? 'hot' : undefined,
    });
  });

  // A complaint closed, then raised again: a repeat, and both become important.
  const garbage = add({ matter: matterByKey('garbage_collection'), project: project('lanting'), channel: 'phone', receivedAt: at('phone', 110, 160) });
  const garbageClosed = closureTime(garbage) ?? garbage.plan.receivedAt.plus({ days: 5 });
  add({
    matter: matterByKey('garbage_collection'),
    project: project('lanting'),
    place: garbage.plan.place,
    channel: 'online',
    receivedAt: receiptTime(garbageClosed.startOf('day').plus({ days: random.integer(8, 20) }), 'online', random),
    repeatOf: garbage.plan,
    escalation: 'repeat',
    bodySuffix: '上次反映后好了两周，现在又和原来一样了。',
  });

  // Major: media exposure, a lawsuit, a collective complaint of 14 households.
  add({
    matter: matterByKey('shop_fumes'),
    project: project('lanting'),
    channel: 'media',
    receivedAt: at('media', 60, 100),
    flags: ['media'],
    escalation: 'major',
    bodyPrefix: '《示例都市报》民生版报道并转来读者反映：',
  });
  add({
    matter: matterByKey('car_scratched'),
    project: project('kechuang'),
    channel: 'letter',
    receivedAt: at('letter', 35, 50),
    target: 'investigating',
    flags: ['lawsuit'],
    escalation: 'major',
    pause: 'open',
    pauseDetail: { reason: 'outside_party', note: '投诉人已向人民法院起诉，等待法院审理', resumeNote: '' },
    bodySuffix: '车主已委托律师向人民法院起诉，要求赔偿修车费用。',
  });
  add({
    matter: matterByKey('construction_noise'),
    project: project('lanting'),
    channel: 'letter',
    receivedAt: at('letter', 50, 90),
    complainants: 14,
    escalation: 'major',
    pause: 'resumed',
    titleSuffix: '（联名投诉）',
    bodyPrefix: '以下14户业主联名反映：',
  });

  // Hot: a 5-person collective complaint (published although fees are private matters), a threat to go to the media.
  add({
    matter: matterByKey('fee_question'),
    project: project('cuiyuan'),
    channel: 'visit',
    receivedAt: at('visit', 30, 80),
    complainants: 5,
    public: true,
    escalation: 'hot',
    titleSuffix: '（多户业主集体反映）',
    bodyPrefix: '5户业主一同到客服中心反映：',
  });
  add({
    matter: matterByKey('fire_lane_blocked'),
    project: project('guomao'),
    channel: 'online',
    receivedAt: at('online', 25, 70),
    flags: ['possible_media'],
    escalation: 'hot',
    bodySuffix: '再不处理我就把视频发到网上让大家评评理。',
  });

  // Important: needs the group's resources; forwarded by the city hotline with its own deadline.
  add({
    matter: matterByKey('elevator_breakdown'),
    project: project('guomao'),
    channel: 'forwarded',
    receivedAt: at('forwarded', 30, 90),
    flags: ['group_resources'],
  });

  // Rejected (not ours; told where to go) and withdrawn.
  const residentialRejections = REJECTIONS.filter((rejection) => rejection.projectTypes.includes('residential'));
  for (const [index, rejection] of residentialRejections.slice(0, 2).entries()) {
    add({
      matter: matterOfRejection(rejection),
      rejection,
      project: project(index === 0 ? 'cuiyuan' : 'lanting'),
      channel: index === 0 ? 'phone' : 'online',
      receivedAt: index === 0 ? at('phone', 20, 150) : at('online', 3, 10),
      target: 'rejected',
    });
  }
  add({ matter: matterByKey('upstairs_noise'), project: project('cuiyuan'), channel: 'phone', receivedAt: at('phone', 10, 60), target: 'withdrawn' });

  // Open complaints in every state, the youngest received minutes ago.
  const open: [string, string, Channel, number, State, Partial<PlanFields>][] = [
    ['corridor_lights', 'lanting', 'online', 40, 'received', {}],
    ['cleaning', 'cuiyuan', 'phone', 180, 'accepted', {}],
    ['mosquitoes', 'lanting', 'email', 60 * 24, 'assigned', {}],
    ['wall_cracks', 'lanting', 'letter', 60 * 24 * 12, 'investigating', { pause: 'open' }],
    ['air_conditioning', 'kechuang', 'phone', 60 * 26, 'investigating', { extension: true }],
    ['garage_flooding', 'guomao', 'phone', 60 * 24 * 2, 'replied', {}],
    ['street_vendors', 'cuiyuan', 'suggestion_box', 60 * 24 * 4, 'replied', { anonymous: true, noVisit: 'anonymous' }],
    ['access_gate', 'kechuang', 'visit', 60 * 24 * 3, 'verified', { verifyStep: true }],
  ];
  for (const [matter, projectKey, channel, minutes, target, extra] of open) {
    add({ matter: matterByKey(matter), project: project(projectKey), channel, receivedAt: ago(minutes), target, ...extra });
  }

  // Visits either way, closures without a visit, and other twists of handling.
  add({ matter: matterByKey('roof_leak'), project: project('cuiyuan'), channel: 'phone', receivedAt: at('phone', 30, 90), unsatisfied: true });
  add({ matter: matterByKey('front_desk_attitude'), project: project('guomao'), channel: 'visit', receivedAt: at('visit', 20, 100), noVisit: 'on_the_spot' });
  add({ matter: matterByKey('mowing_noise'), project: project('lanting'), channel: 'online', receivedAt: at('online', 20, 100), noContact: true, noVisit: 'no_contact' });
  add({ matter: matterByKey('upstairs_leak'), project: project('cuiyuan'), channel: 'phone', receivedAt: at('phone', 25, 100), public: false, noVisit: 'sensitive', pause: 'resumed' });
  add({ matter: matterByKey('parking_card'), project: project('kechuang'), channel: 'principal_mailbox', receivedAt: at('principal_mailbox', 25, 120) });
  add({ matter: matterByKey('broadband'), project: project('guomao'), channel: 'other', receivedAt: at('other', 25, 120), pause: 'resumed' });
  add({
    matter: matterByKey('pump_noise'),
    project: project('cuiyuan'),
    channel: 'phone',
    receivedAt: at('phone', 25, 120),
    transfer: true,
    override: { level: 'important', reason: '涉及整栋低层住户休息，主管调整为重要投诉跟进' },
  });
  add({ matter: matterByKey('office_restroom'), project: project('kechuang'), channel: 'online', receivedAt: at('online', 25, 120), late: true });
  add({ matter: matterByKey('repair_service'), project: project('lanting'), channel: 'phone', receivedAt: at('phone', 25, 120), pause: 'resumed', lateVisit: true });

  // Something on a public holiday at night (National Day in the committed demo).
  const holiday = recentHoliday(now, SETTLED_AFTER_DAYS + 5, DEMO_WINDOW_DAYS - 10);
  const holidayNight = holiday ? atMinutes(holiday, random.integer(19 * 60, 22 * 60 + 30)) : at('phone', 30, 120);
  add({ matter: matterByKey('power_cut'), project: project('lanting'), channel: 'phone', receivedAt: holidayNight, pause: 'resumed' });

  return realised;
}

/**
 * The earlier complaints a repeat may follow, in their order. Whether one qualifies never changes once
 * it is realised, and `earlier` only grows, so each is looked at once: the generator stays linear.
 */
const repeatableSeen = new WeakMap<readonly Realised[], { looked: number; repeatable: Realised[] }>();
function repeatableAmong(earlier: readonly Realised[], now: DateTime): readonly Realised[] {
  let seen = repeatableSeen.get(earlier);
  if (!seen) repeatableSeen.set(earlier, (seen = { looked: 0, repeatable: [] }));
  for (; seen.looked < earlier.length; seen.looked += 1) {
    const candidate = earlier[seen.looked]!;
    const closed = closureTime(candidate);
    if (closed && !candidate.plan.rejection && !candidate.plan.repeatOf && !candidate.plan.duplicateOf && closed.plus({ days: 25 }) < now) seen.repeatable.push(candidate);
  }
  return seen.repeatable;
}

function matterWeights(projectType: ProjectType): (readonly [MatterTemplate, number])[] {
  const fitting = MATTERS.filter((matter) => matter.projectTypes.includes(projectType));
  return fitting.map((matter) => {
    const sameCategory = fitting.filter((other) => other.category === matter.category).length;
    return [matter, (CATEGORY_WEIGHTS[matter.category] ?? 1) / sameCategory] as const;
  });
}

/**
 * One random complaint (sometimes with a duplicate or a repeat that follows it), with twists at
 * realistic rates: most handled in time, some late, a few rejected, withdrawn or left unsatisfied.
 */
export function randomScenario(kit: ScenarioKit, room: number, earlier: readonly Realised[]): Realised[] {
  const { random, now, org } = kit;
  const project = projectByKey(org, random.weighted(PROJECT_WEIGHTS));
  const channel = random.weighted(CHANNEL_WEIGHTS);
  const age = random.integer(2, DEMO_WINDOW_DAYS);
  let receivedAt = receiptTime(now.startOf('day').minus({ days: age }), channel, random);
  if (receivedAt >= now) receivedAt = now.minus({ minutes: random.integer(30, 300) });
  const settled = now.diff(receivedAt, 'days').days > SETTLED_AFTER_DAYS;

  const fate = random.weighted([['normal', 94], ['rejected', 3], ['withdrawn', 3]] as const);
  if (fate === 'rejected') {
    const rejection = random.pick(REJECTIONS.filter((candidate) => candidate.projectTypes.includes(project.type)));
    return [kit.realise(kit.plan({ matter: matterOfRejection(rejection), rejection, project, channel, receivedAt, target: 'rejected' }))];
  }

  // Now and then a complaint comes back after it was closed (a repeat, 001 §4.6.3 重要).
  const repeatable = repeatableAmong(earlier, now);
  if (fate === 'normal' && repeatable.length > 0 && random.chance(0.03)) {
    const original = random.pick(repeatable);
    const closed = closureTime(original)!;
    const day = closed.startOf('day').plus({ days: random.integer(3, Math.max(3, Math.min(30, Math.floor(now.diff(closed, 'days').days) - 10))) });
    return [
      kit.realise(
        kit.plan({
          matter: original.plan.matter,
          project: original.plan.project,
          place: original.plan.place,
          channel,
          receivedAt: receiptTime(day, channel, random),
          repeatOf: original.plan,
          escalation: 'repeat',
          bodySuffix: '之前反映过，处理后没多久又出现了。',
        }),
      ),
    ];
  }

  const matter = random.weighted(matterWeights(project.type));
  const anonymous = (channel === 'suggestion_box' && random.chance(0.5)) || (channel === 'online' && random.chance(0.08));
  const noContact = !anonymous && channel === 'online' && random.chance(0.05);
  const noVisit = anonymous
    ? ('anonymous' as const)
    : noContact
      ? ('no_contact' as const)
      : channel === 'visit' && random.chance(0.25)
        ? ('on_the_spot' as const)
        : matter.category === 'neighbour_dispute' && random.chance(0.15)
          ? ('sensitive' as const)
          : undefined;
  const complainants = random.chance(0.05) ? random.integer(2, 4) : 1;
  const stillWaiting = settled && matter.pause?.reason === 'outside_party' && random.chance(0.15);
  const plan = kit.plan({
    matter,
    project,
    channel,
    receivedAt,
    target: fate === 'withdrawn' ? 'withdrawn' : stillWaiting ? 'investigating' : 'auto',
    anonymous,
    noContact,
    noVisit,
    complainants,
    public: noVisit === 'sensitive' ? false : undefined,
    pause: stillWaiting ? 'open' : matter.pause && random.chance(0.45) ? 'resumed' : 'none',
    extension: random.chance(0.04),
    late: random.chance(0.08),
    lateVisit: !noVisit && random.chance(0.06),
    // Only settled stories: a reopened complaint must not stop between its second reply and visit.
    unsatisfied: settled && !noVisit && random.chance(0.05),
    transfer: matter.reportedCategory !== undefined && random.chance(0.5),
    verifyStep: random.chance(0.4),
    escalation: complainants >= 3 ? 'hot' : undefined,
    titleSuffix: complainants >= 3 ? '（多户反映）' : '',
    bodyPrefix: complainants > 1 ? `${complainants}户${project.type === 'office' ? '租户' : '业主'}共同反映：` : '',
  });
  const first = kit.realise(plan);

  // Sometimes a neighbour raises the same matter within days: a duplicate, counted once (001 §4.2.2④).
  if (room > 1 && fate === 'normal' && random.chance(0.06)) {
    const duplicateChannel = random.weighted(CHANNEL_WEIGHTS);
    let duplicateAt = receiptTime(plan.receivedAt.startOf('day').plus({ days: random.integer(0, 6) }), duplicateChannel, random);
    if (duplicateAt <= plan.receivedAt) duplicateAt = plan.receivedAt.plus({ minutes: random.integer(20, 240) });
    if (duplicateAt < now.minus({ hours: 1 })) {
      const duplicate = kit.realise(
        kit.plan({ matter, project, place: plan.place, channel: duplicateChannel, receivedAt: duplicateAt, duplicateOf: plan, verifyStep: random.chance(0.4) }),
      );
      return [first, duplicate];
    }
  }
  return [first];
}
