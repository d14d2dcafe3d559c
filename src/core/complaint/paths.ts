import { DateTime } from 'luxon';
import { COMPLAINT_ID_PATTERN } from './schema.ts';
import { zoneOf } from '../time-zone.ts';

/** Where complaint files live, relative to the archive root (SPEC §2). */
export const COMPLAINTS_DIR = 'content/complaints';

/** The year and month of receipt in the organisation's time zone: 00:10 on the 1st in Shanghai is that month. */
export function receivedMonth(receivedAt: string, timezone: string): { year: string; month: string } {
  const local = DateTime.fromISO(receivedAt, { setZone: true }).setZone(zoneOf(timezone));
  return { year: local.toFormat('yyyy'), month: local.toFormat('MM') };
}

/** `content/complaints/YYYY/MM/<id>.md`, by the month of receipt. */
export function complaintPath(id: string, receivedAt: string, timezone: string): string {
  const { year, month } = receivedMonth(receivedAt, timezone);
  return `${COMPLAINTS_DIR}/${year}/${month}/${id}.md`;
}

/** `2026-0042` → { year: 2026, sequence: 42 } */
export function parseComplaintId(id: string): { year: number; sequence: number } | undefined {
  const match = COMPLAINT_ID_PATTERN.exec(id);
  if (!match) return undefined;
  return { year: Number(match[1]), sequence: Number(match[2]) };
}

/** `formatComplaintId(2026, 42)` → `2026-0042`: zero-padded to at least 4 digits, wider when needed. */
export function formatComplaintId(year: number, sequence: number): string {
  return `${year}-${String(sequence).padStart(4, '0')}`;
}

/** The next free ID of a year, given the IDs already taken (of any year). */
export function nextComplaintId(year: number, taken: Iterable<string>): string {
  let highest = 0;
  for (const id of taken) {
    const parsed = parseComplaintId(id);
    if (parsed && parsed.year === year && parsed.sequence > highest) highest = parsed.sequence;
  }
  return formatComplaintId(year, highest + 1);
}
