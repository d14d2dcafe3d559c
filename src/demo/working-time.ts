import type { DateTime } from 'luxon';
import { chineseDaysSource } from '../calendar/chinese-days.ts';

/**
 * Working time as the demo generator needs it to place plausible handling steps: the mainland China
 * holiday schedule with 调休 (the project's chinese-days source), and the organisation's working hours.
 * The demo only needs "about right" (most steps in time, some late); the authoritative due times are
 * those of src/core/clocks.ts.
 */
export interface WorkingHours {
  timezone: string;
  /** "08:30" */
  start: string;
  /** "17:30" */
  end: string;
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** Whether a calendar day is a working day: the official schedule where published, else Monday to Friday. */
export function isWorkingDay(day: DateTime): boolean {
  const official = chineseDaysSource.officialDay(day.toISODate() ?? '');
  return official === undefined ? day.weekday <= 5 : official === 'work';
}

/** Whether a day is an official day off (a public holiday, 放假), not merely a weekend. */
export function isHoliday(day: DateTime): boolean {
  return chineseDaysSource.officialDay(day.toISODate() ?? '') === 'off';
}

/** `minutes` after midnight of `day`. */
export function atMinutes(day: DateTime, minutes: number): DateTime {
  return day.startOf('day').plus({ minutes });
}

/** When the working day of `day` starts (org.yaml `workday.start`). */
export function workdayStart(day: DateTime, hours: WorkingHours): DateTime {
  return atMinutes(day, minutesOf(hours.start));
}

/** When the working day of `day` ends (org.yaml `workday.end`). */
export function workdayEnd(day: DateTime, hours: WorkingHours): DateTime {
  return atMinutes(day, minutesOf(hours.end));
}

/** Within working hours of a working day. */
export function isWorkingTime(time: DateTime, hours: WorkingHours): boolean {
  return isWorkingDay(time) && time >= workdayStart(time, hours) && time < workdayEnd(time, hours);
}

/** The first working day strictly after `day`. */
export function nextWorkingDay(day: DateTime): DateTime {
  let candidate = day.startOf('day').plus({ days: 1 });
  while (!isWorkingDay(candidate)) candidate = candidate.plus({ days: 1 });
  return candidate;
}

/** `time` if it is working time, else the start of the next working period. */
export function nextWorkingMoment(time: DateTime, hours: WorkingHours): DateTime {
  if (isWorkingTime(time, hours)) return time;
  if (isWorkingDay(time) && time < workdayStart(time, hours)) return workdayStart(time, hours);
  return workdayStart(nextWorkingDay(time), hours);
}

/** `time` moved forward by `minutes` of working time. */
export function addWorkingMinutes(time: DateTime, minutes: number, hours: WorkingHours): DateTime {
  let cursor = nextWorkingMoment(time, hours);
  let remaining = minutes;
  for (;;) {
    const left = workdayEnd(cursor, hours).diff(cursor, 'minutes').minutes;
    if (remaining <= left) return cursor.plus({ minutes: remaining });
    remaining -= left;
    cursor = workdayStart(nextWorkingDay(cursor), hours);
  }
}

/** Minutes of working time between two moments (0 when `to` is not after `from`). */
export function workingMinutesBetween(from: DateTime, to: DateTime, hours: WorkingHours): number {
  let cursor = nextWorkingMoment(from, hours);
  let total = 0;
  while (cursor < to) {
    const end = workdayEnd(cursor, hours);
    if (to <= end) return total + to.diff(cursor, 'minutes').minutes;
    total += end.diff(cursor, 'minutes').minutes;
    cursor = workdayStart(nextWorkingDay(cursor), hours);
  }
  return total;
}

/** 001 §4.6.2 "same day": the end of the working day of receipt, or of the next one when received outside working hours. */
export function sameDayDue(receivedAt: DateTime, hours: WorkingHours): DateTime {
  if (isWorkingTime(receivedAt, hours)) return workdayEnd(receivedAt, hours);
  return workdayEnd(nextWorkingDay(receivedAt), hours);
}

/** "N working days": the end of working hours on the Nth working day after the day of receipt. */
export function workingDaysDue(receivedAt: DateTime, days: number, hours: WorkingHours): DateTime {
  let day = receivedAt.startOf('day');
  for (let counted = 0; counted < days; counted += 1) day = nextWorkingDay(day);
  return workdayEnd(day, hours);
}
