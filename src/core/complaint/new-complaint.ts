import { DateTime } from 'luxon';
import type { Channel, Urgency } from '../org/vocabulary.ts';
import type { Org } from '../org/schema.ts';
import { problemsFromZod, type FieldProblem } from '../problems.ts';
import { checkComplaint, checkPersonalData } from './check.ts';
import { complaintPath, receivedMonth } from './paths.ts';
import { complaintSchema, type ComplaintData, type ComplaintInput } from './schema.ts';
import { zoneOf } from '../time-zone.ts';

/**
 * What staff enter when they register an offline complaint (a call, a visit, a letter, a note from the
 * suggestion box). Contact data is not here: it reaches the complaint only as an age envelope.
 */
export interface RegistrationInput {
  title: string;
  channel: Channel;
  /** When the complaint was received: an instant with offset, or a local time in the org's time zone. Absent: now. */
  receivedAt?: string;
  /** Staff handle of the person who took the complaint. */
  receivedBy: string;
  project: string;
  location?: string;
  category: string;
  /** What the complainant or intake called it, when the root cause differs (001 §4.2.2⑥). */
  reportedCategory?: string;
  urgency?: Urgency;
  complainants?: number;
  anonymous?: boolean;
  /** Overrides the department the category is routed to. */
  department?: string;
  /** The office that forwarded the complaint and the deadline it set (000 §(五)). */
  forwardedBy?: string;
  deadline?: string;
  /** The complaint text, Markdown. */
  body: string;
}

/** A complaint as registration builds it, before it has been checked. */
export interface ComplaintDraft {
  data: ComplaintInput;
  body: string;
}

/** Raised when a time given at registration cannot be read. */
export class InvalidInstantError extends Error {
  override readonly name = 'InvalidInstantError';
  constructor(field: string, text: string) {
    super(`${field}: cannot read the time "${text}"; expected ISO 8601 such as 2026-10-05T09:30+08:00（时间格式错误）`);
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a time as staff type it: an ISO 8601 instant keeps its moment; a local time without offset
 * is read in the organisation's time zone. A bare date means the start of that day, or its end for
 * deadlines (`endOfDay`), since "by 20 October" includes the 20th. The result is ISO 8601 with the
 * organisation's offset, as complaint files store times.
 */
export function resolveInstant(text: string, timezone: string, options: { field: string; endOfDay?: boolean }): string {
  // "2026-10-05 09:30" as people type it is read like "2026-10-05T09:30".
  const trimmed = text.trim().replace(/^(\d{4}-\d{2}-\d{2})\s+(?=\d)/, '$1T');
  let time = DateTime.fromISO(trimmed, { zone: zoneOf(timezone), setZone: false });
  if (!time.isValid) throw new InvalidInstantError(options.field, text);
  if (DATE_ONLY.test(trimmed) && options.endOfDay) time = time.endOf('day').startOf('second');
  const local = time.setZone(zoneOf(timezone));
  return local.toISO({ suppressMilliseconds: true }) ?? trimmed;
}

/** The instant `now` as a complaint file writes it, in the organisation's time zone. */
export function formatInstant(now: Date, timezone: string): string {
  const time = DateTime.fromJSDate(now).setZone(zoneOf(timezone)).startOf('second');
  return time.toISO({ suppressMilliseconds: true }) ?? now.toISOString();
}

/** The department a category is routed to by default: the first whose `categories` include it. */
export function routeDepartment(org: Pick<Org, 'departments'>, category: string): string | undefined {
  return org.departments.find((department) => department.categories.includes(category))?.key;
}

/** The year of receipt, in the organisation's time zone: the year part of the complaint's id. */
export function yearOfReceipt(receivedAt: string, timezone: string): number {
  return Number(receivedMonth(receivedAt, timezone).year);
}

/** The receipt time a registration stands for: the one given, or now. */
export function registrationTime(input: Pick<RegistrationInput, 'receivedAt'>, org: Pick<Org, 'timezone'>, now: Date): string {
  return input.receivedAt === undefined
    ? formatInstant(now, org.timezone)
    : resolveInstant(input.receivedAt, org.timezone, { field: 'received_at' });
}

/**
 * Builds a `received` complaint from what staff registered: the id allocated for it, its routing
 * (the department its category goes to, unless overridden; no assignees yet, those come when it is
 * assigned) and the `received` event at the time of receipt. `contact` is the encrypted envelope, if any.
 */
export function draftComplaint(
  input: RegistrationInput,
  context: { org: Pick<Org, 'timezone' | 'departments'>; id: string; now: Date; contact?: string },
): ComplaintDraft {
  const { org } = context;
  const receivedAt = registrationTime(input, org, context.now);
  const source: NonNullable<ComplaintInput['source']> = {};
  if (input.forwardedBy !== undefined) source.office = input.forwardedBy;
  if (input.deadline !== undefined) source.deadline = resolveInstant(input.deadline, org.timezone, { field: 'source.deadline', endOfDay: true });
  const department = input.department ?? routeDepartment(org, input.category);
  const data: ComplaintInput = {
    id: context.id,
    title: input.title.trim(),
    channel: input.channel,
    received_at: receivedAt,
    received_by: input.receivedBy,
    ...(Object.keys(source).length > 0 ? { source } : {}),
    project: input.project,
    ...(input.location !== undefined && input.location.trim() !== '' ? { location: input.location.trim() } : {}),
    complainants: input.complainants ?? 1,
    anonymous: input.anonymous ?? false,
    ...(context.contact !== undefined ? { contact: context.contact } : {}),
    category: input.category,
    ...(input.reportedCategory !== undefined && input.reportedCategory !== input.category ? { reported_category: input.reportedCategory } : {}),
    urgency: input.urgency ?? 'general',
    ...(department !== undefined ? { department } : {}),
    assignees: [],
    events: [{ at: receivedAt, type: 'received', by: input.receivedBy }],
  };
  return { data, body: input.body.trim() === '' ? '' : `${input.body.trim()}\n` };
}

/** A registered complaint ready to be written: its checked data, body and path. */
export interface CheckedComplaint {
  data: ComplaintData;
  body: string;
  path: string;
}

/** What checking a draft found. */
export interface DraftCheck {
  /** Present only when there is no problem at all. */
  complaint?: CheckedComplaint;
  /** Every problem, personal data included. */
  problems: FieldProblem[];
  /** The plaintext personal data among them, so the clerk can be told to use the contact fields. */
  personalData: FieldProblem[];
}

/**
 * Everything `validate` would say about the draft once written: the schema, the record for its state,
 * the organisation's keys and plaintext personal data in any field or the text. A complaint is
 * returned only when there is no problem at all, so registration never writes a file validate rejects.
 */
export function checkDraft(draft: ComplaintDraft, org: Org): DraftCheck {
  const personalData = checkPersonalData(draft.data, draft.body);
  const parsed = complaintSchema.safeParse(draft.data);
  if (!parsed.success) return { problems: [...problemsFromZod(parsed.error), ...personalData], personalData };
  const problems = [...checkComplaint(parsed.data, org), ...personalData];
  if (problems.length > 0) return { problems, personalData };
  return {
    complaint: { data: parsed.data, body: draft.body, path: complaintPath(parsed.data.id, parsed.data.received_at, org.timezone) },
    problems,
    personalData,
  };
}

/** The same complaint under another id, when the one it was drafted with was taken meanwhile. */
export function withId(complaint: CheckedComplaint, id: string, timezone: string): CheckedComplaint {
  return { ...complaint, data: { ...complaint.data, id }, path: complaintPath(id, complaint.data.received_at, timezone) };
}
