import { z } from 'zod';
import {
  CHANNELS,
  CLOSURE_BASES,
  EVENT_TYPES,
  NATURES,
  NO_VISIT_REASONS,
  PAUSE_REASONS,
  REPLY_METHODS,
  SEVERITIES,
  SEVERITY_FLAGS,
  URGENCIES,
  VISIT_METHODS,
} from '../org/vocabulary.ts';
import { CLOCK_NAMES } from '../org/schema.ts';

/** `YYYY-NNNN`: year of receipt and a sequence zero-padded to at least 4 digits (SPEC §3). */
export const COMPLAINT_ID_PATTERN = /^(\d{4})-(\d{4,})$/;

const withSeconds = z.iso.datetime({ offset: true, local: false });
const withMinutes = z.iso.datetime({ offset: true, local: false, precision: -1 });

/**
 * ISO 8601 with an explicit offset, so a time means the same instant everywhere. Seconds may be left
 * out (`2026-11-01T00:10+08:00`), as people write times by hand; impossible dates are refused.
 */
export const instantSchema = z
  .string()
  .refine(
    (text) => withSeconds.safeParse(text).success || withMinutes.safeParse(text).success,
    'expected an ISO 8601 time with offset such as "2026-10-12T09:30:00+08:00"',
  );

const handle = z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'expected a staff handle such as "alice"');
const complaintId = z.string().regex(COMPLAINT_ID_PATTERN, 'expected a complaint id such as "2026-0001"');
const key = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lowercase key');

/** Marks the start of an age envelope in ASCII armor. */
export const AGE_ARMOR_HEADER = '-----BEGIN AGE ENCRYPTED FILE-----';
export const AGE_ARMOR_FOOTER = '-----END AGE ENCRYPTED FILE-----';
/** The first line of every age file (age-encryption.org/v1 format). */
const AGE_FORMAT_LINE = 'age-encryption.org/v1';
/** Base64 characters enough to decode the format line (multiple of 4). */
const AGE_FORMAT_PREFIX_LENGTH = 32;

/**
 * Whether text is an ASCII-armored age file: the armor lines around base64 that decodes to the age
 * format line. Plaintext wrapped in armor lines is not an envelope.
 */
export function isAgeEnvelope(text: string): boolean {
  const trimmed = text.trim();
  if (!trimmed.startsWith(AGE_ARMOR_HEADER) || !trimmed.endsWith(AGE_ARMOR_FOOTER)) return false;
  const base64 = trimmed.slice(AGE_ARMOR_HEADER.length, trimmed.length - AGE_ARMOR_FOOTER.length).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return false;
  try {
    return atob(base64.slice(0, AGE_FORMAT_PREFIX_LENGTH)).startsWith(AGE_FORMAT_LINE);
  } catch {
    return false;
  }
}

const ageEnvelope = z
  .string()
  .refine(isAgeEnvelope, 'expected an age-encrypted envelope (ASCII armor); personal data is never stored in plaintext');

export const eventSchema = z.strictObject({
  at: instantSchema,
  type: z.enum(EVENT_TYPES),
  by: handle,
  /** Internal note, never published. */
  note: z.string().optional(),
  /** Note shown on the public board. */
  public_note: z.string().optional(),
  /** `assigned`/`transferred`: the department that takes it over. */
  department: key.optional(),
  /** `paused`: who the clocks wait for. */
  reason: z.enum(PAUSE_REASONS).optional(),
  /** `extended`: the clock whose due time is replaced, the new due time, and that the complainant was told. */
  clock: z.enum(CLOCK_NAMES).optional(),
  due: instantSchema.optional(),
  told_complainant: z.boolean().optional(),
});
export type ComplaintEvent = z.output<typeof eventSchema>;

export const sourceSchema = z.strictObject({
  issue: z.int().positive().optional(),
  url: z.url().optional(),
  /** The office that forwarded the complaint (000 §(五)). */
  office: z.string().optional(),
  /** The deadline the forwarding office set. */
  deadline: instantSchema.optional(),
  reference: z.string().optional(),
});

export const replySchema = z.strictObject({
  at: instantSchema,
  by: handle,
  method: z.enum(REPLY_METHODS),
  summary: z.string().min(1),
});

export const visitSchema = z.strictObject({
  at: instantSchema,
  method: z.enum(VISIT_METHODS),
  satisfied: z.boolean(),
  score: z.int().min(1).max(5).optional(),
  comment: z.string().optional(),
});

export const noVisitSchema = z.strictObject({
  reason: z.enum(NO_VISIT_REASONS),
  note: z.string().optional(),
});

export const closureSchema = z.strictObject({
  at: instantSchema,
  basis: z.enum(CLOSURE_BASES),
  note: z.string().optional(),
});

/** Facts behind the computed severity, and a supervisor's override with its reason. */
export const severityInputSchema = z
  .strictObject({
    flags: z.array(z.enum(SEVERITY_FLAGS)).default([]),
    override: z.enum(SEVERITIES).optional(),
    reason: z.string().optional(),
    by: handle.optional(),
  })
  .refine((severity) => severity.override === undefined || (severity.reason && severity.by), {
    message: 'a severity override needs the reason and the supervisor (by)',
    path: ['override'],
  });

/**
 * The frontmatter of one complaint file (SPEC §3). Structure only: whether `category`, `project` and
 * `department` exist in the organisation, and whether the record fits its state, are checked by
 * `checkComplaint` against the org and the archive.
 */
export const complaintSchema = z.strictObject({
  id: complaintId,
  title: z.string().trim().min(1).max(200),
  channel: z.enum(CHANNELS),
  received_at: instantSchema,
  received_by: handle,
  source: sourceSchema.optional(),
  project: key,
  location: z.string().optional(),
  complainants: z.int().min(1).default(1),
  anonymous: z.boolean().default(false),
  contact: ageEnvelope.optional(),
  category: key,
  reported_category: key.optional(),
  nature: z.enum(NATURES).optional(),
  nature_detail: z.string().optional(),
  urgency: z.enum(URGENCIES).default('general'),
  severity: severityInputSchema.optional(),
  public: z.boolean().optional(),
  department: key.optional(),
  assignees: z.array(handle).default([]),
  related: z.array(complaintId).default([]),
  duplicate_of: complaintId.optional(),
  repeat_of: complaintId.optional(),
  events: z.array(eventSchema).min(1),
  reply: replySchema.optional(),
  visit: visitSchema.optional(),
  no_visit: noVisitSchema.optional(),
  closure: closureSchema.optional(),
  corrective_action: z.string().optional(),
  lessons: z.string().optional(),
});

export type ComplaintInput = z.input<typeof complaintSchema>;
export type ComplaintData = z.output<typeof complaintSchema>;

/** A complaint as read from the archive: its frontmatter, body and where it lives. */
export interface Complaint {
  data: ComplaintData;
  body: string;
  /** Path relative to the archive root, e.g. `content/complaints/2026/10/2026-0001.md`. */
  path: string;
}

/** Field order in written files: the schema's order, so diffs stay small. */
export const COMPLAINT_FIELD_ORDER = Object.keys(complaintSchema.shape) as (keyof ComplaintData)[];
