import type { Org } from '../core/org/schema.ts';
import { CHANNEL_LABELS, EVENT_LABELS, URGENCY_LABELS, type EventType } from '../core/org/vocabulary.ts';
import { CLOCK_LABELS } from '../core/org/schema.ts';
import type { ComplaintData, ComplaintEvent } from '../core/complaint/schema.ts';
import { isOpen, replayEvents, STATE_LABELS, stateOf, TRANSITIONS, type State } from '../core/complaint/states.ts';
import { clocksOf, CLOCK_STATE_LABELS, type ClockState } from '../core/clocks.ts';
import type { WorkingCalendar } from '../core/calendar.ts';
import { complaintTextOf, paragraphsOf } from './complaint-text.ts';
import { daysBetween, limitText, localDateTime, localDay } from './format.ts';
import { isPublicComplaint } from './public-complaints.ts';

/**
 * What the page of one public complaint shows (SPEC §7: redacted — no personal data, no internal
 * notes, only public notes and the status timeline). Every field here is fit for publication; the
 * view is built from the record by choosing fields, never by removing them, so a field added to the
 * schema later stays unpublished until someone adds it here.
 *
 * Published: title, category, project, location, channel, urgency, how many people raised it, the
 * complaint text (shown as escaped text), the state, the timeline of state changes and clock events
 * with their `public_note`s, and the time limits met or missed.
 * Never published: `contact`, `note`s, `reply.summary`, `visit.comment`, `corrective_action`,
 * `lessons`, `nature_detail`, `closure.note`, `source`, staff handles, and the handler sections of
 * the body. Staff write `public_note` for the public; everything else they write is internal.
 */

/** Events that affect the clocks: shown (without their internal notes) so the time limits make sense. */
const CLOCK_EVENTS: readonly EventType[] = ['paused', 'resumed', 'extended'];

/** zh-CN labels of events as the timeline words them, where the plain event label would mislead. */
const TIMELINE_LABELS: Partial<Record<EventType, string>> = {
  received: '登记投诉',
  paused: '暂停计时（等待投诉人或外部单位）',
  resumed: '恢复计时',
  extended: '期限延长（已告知投诉人）',
};

export interface TimelineEntry {
  at: string;
  /** `2026-10-12 09:30`, local */
  when: string;
  label: string;
  /** zh-CN label of the state the event led to, when it changed the state. */
  state?: string;
  publicNote?: string;
}

export interface ClockView {
  label: string;
  limit: string;
  due: string;
  stoppedAt?: string;
  state: ClockState;
  stateLabel: string;
  extended: boolean;
}

export interface ComplaintLink {
  id: string;
  /** Only public complaints are linked; a private one is named as such, without its id. */
  public: boolean;
}

export interface ComplaintPage {
  id: string;
  title: string;
  category: string;
  categoryKey: string;
  project: string;
  location?: string;
  channel: string;
  urgency: string;
  complainants: number;
  receivedAt: string;
  received: string;
  state: State;
  stateLabel: string;
  open: boolean;
  /** Days since receipt while open; days from receipt to the last state change once settled. */
  days: number;
  paragraphs: string[];
  timeline: TimelineEntry[];
  clocks: ClockView[];
  duplicateOf?: ComplaintLink;
  repeatOf?: ComplaintLink;
  related: string[];
  /** The latest public note, for lists and feeds. */
  latestPublicNote?: string;
  /** When the timeline last changed. */
  updatedAt: string;
}

function departmentName(org: Pick<Org, 'departments'>, key: string | undefined): string | undefined {
  return key === undefined ? undefined : (org.departments.find((department) => department.key === key)?.name ?? undefined);
}

/** Whether an event shows on the public timeline: it changed the state, it affects the clocks, or it has a public note. */
export function isPublicEvent(event: ComplaintEvent): boolean {
  if (event.public_note?.trim()) return true;
  if (event.type === 'received') return true;
  if (CLOCK_EVENTS.includes(event.type)) return true;
  return TRANSITIONS[event.type].to !== null;
}

/** The public timeline of a complaint: state changes and clock events with public notes only. */
export function publicTimeline(data: ComplaintData, org: Pick<Org, 'departments' | 'timezone'>): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let previous: State | undefined;
  data.events.forEach((event, index) => {
    const state = replayEvents(data.events.slice(0, index + 1)).state;
    const changed = index === 0 || state !== previous;
    previous = state;
    if (!isPublicEvent(event)) return;
    const department = event.type === 'assigned' || event.type === 'transferred' ? departmentName(org, event.department ?? data.department) : undefined;
    const label = `${TIMELINE_LABELS[event.type] ?? EVENT_LABELS[event.type]}${department ? `：${department}` : ''}`;
    entries.push({
      at: event.at,
      when: localDateTime(event.at, org.timezone),
      label,
      ...(changed ? { state: STATE_LABELS[state] } : {}),
      ...(event.public_note?.trim() ? { publicNote: event.public_note.trim() } : {}),
    });
  });
  return entries;
}

function link(id: string | undefined, complaints: ReadonlyMap<string, ComplaintData>, org: Pick<Org, 'categories'>): ComplaintLink | undefined {
  if (!id) return undefined;
  const other = complaints.get(id);
  return { id, public: other !== undefined && isPublicComplaint(other, org) };
}

/**
 * The page of one public complaint. `body` is the file's Markdown body: only the complaint text before
 * the first handler section is used. Throws if asked for a complaint that is not public.
 */
export function complaintPage(
  data: ComplaintData,
  body: string,
  context: { org: Org; calendar: WorkingCalendar; now: Date; complaints: ReadonlyMap<string, ComplaintData> },
): ComplaintPage {
  const { org, calendar, now, complaints } = context;
  if (!isPublicComplaint(data, org)) throw new Error(`complaint ${data.id} is not public and has no page on the board（非公示投诉）`);
  const state = stateOf(data);
  const timeline = publicTimeline(data, org);
  const open = isOpen(state) && data.duplicate_of === undefined;
  const lastChange = timeline.at(-1)?.at ?? data.received_at;
  const clocks = clocksOf(data, org, calendar, now).map(
    (reading): ClockView => ({
      label: CLOCK_LABELS[reading.clock],
      limit: limitText(reading.limit),
      due: localDateTime(reading.due, org.timezone),
      ...(reading.stoppedAt ? { stoppedAt: localDateTime(reading.stoppedAt, org.timezone) } : {}),
      state: reading.state,
      stateLabel: CLOCK_STATE_LABELS[reading.state],
      extended: reading.extended,
    }),
  );
  const publicNotes = timeline.filter((entry) => entry.publicNote !== undefined);
  const related = data.related.filter((id) => {
    const other = complaints.get(id);
    return other !== undefined && isPublicComplaint(other, org);
  });
  return {
    id: data.id,
    title: data.title,
    category: org.categories.find((category) => category.key === data.category)?.label ?? data.category,
    categoryKey: data.category,
    project: org.projects.find((project) => project.key === data.project)?.name ?? data.project,
    ...(data.location?.trim() ? { location: data.location.trim() } : {}),
    channel: CHANNEL_LABELS[data.channel],
    urgency: URGENCY_LABELS[data.urgency],
    complainants: data.complainants,
    receivedAt: data.received_at,
    received: localDay(data.received_at, org.timezone),
    state,
    stateLabel: STATE_LABELS[state],
    open,
    days: open ? daysBetween(data.received_at, now) : daysBetween(data.received_at, new Date(lastChange)),
    paragraphs: paragraphsOf(complaintTextOf(body)),
    timeline,
    clocks,
    ...(data.duplicate_of ? { duplicateOf: link(data.duplicate_of, complaints, org) } : {}),
    ...(data.repeat_of ? { repeatOf: link(data.repeat_of, complaints, org) } : {}),
    related,
    ...(publicNotes.length > 0 ? { latestPublicNote: publicNotes.at(-1)!.publicNote } : {}),
    updatedAt: lastChange,
  };
}
