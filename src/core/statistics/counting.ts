import type { ComplaintData } from '../complaint/schema.ts';
import { stateBefore, type State } from '../complaint/states.ts';
import type { Period } from './period.ts';

/** Why a complaint is left out of the counts (001 §4.2.2: listed apart, not counted). */
export type Exclusion = 'rejected' | 'withdrawn' | 'duplicate';

/** The state a complaint was in just before `instant`, from the events recorded up to then. */
export function stateAt(data: Pick<ComplaintData, 'events'>, instant: string): State {
  return stateBefore(data.events, Date.parse(instant));
}

/**
 * 001 §4.2.2③④⑤: the same complaint raised by many people or many times counts once (duplicates link
 * to the original with `duplicate_of`); rejected and withdrawn complaints are listed apart.
 */
export function exclusionOf(data: ComplaintData, asOf: string): Exclusion | undefined {
  if (data.duplicate_of) return 'duplicate';
  const state = stateAt(data, asOf);
  if (state === 'rejected') return 'rejected';
  if (state === 'withdrawn') return 'withdrawn';
  return undefined;
}

/** When the complaint was closed, if it was closed as of `asOf` (the last closing before then). */
export function closedAt(data: ComplaintData, asOf: string): string | undefined {
  if (stateAt(data, asOf) !== 'closed') return undefined;
  const cutoff = Date.parse(asOf);
  return data.events.filter((event) => event.type === 'closed' && Date.parse(event.at) < cutoff).at(-1)?.at;
}

function within(instant: string, start: string, end: string): boolean {
  const time = Date.parse(instant);
  return time >= Date.parse(start) && time < Date.parse(end);
}

export interface PeriodSets {
  /** 本期投诉: counted complaints received in the period. */
  period: ComplaintData[];
  /**
   * 累计投诉: counted complaints received from the start of the statistics year to the period's end,
   * plus earlier ones still open at the year's start and not written off.
   */
  cumulative: ComplaintData[];
  /** 本期新关闭: counted complaints closed during the period, whenever they were received. */
  periodClosed: ComplaintData[];
  /** 累计关闭: complaints of the cumulative set closed by the period's end. */
  cumulativeClosed: ComplaintData[];
  /** Received in the period but not counted, with the reason (listed apart). */
  excluded: { data: ComplaintData; reason: Exclusion }[];
  /** Counted complaints still open at the period's end (this period's and earlier ones). */
  open: ComplaintData[];
}

const OPEN_AT_END: readonly State[] = ['received', 'accepted', 'assigned', 'investigating', 'replied', 'verified'];

/** Sorts an archive into the sets the counting rules of 001 §4.2.2–4.2.3 need for one period. */
export function periodSets(complaints: readonly ComplaintData[], period: Period): PeriodSets {
  const sets: PeriodSets = { period: [], cumulative: [], periodClosed: [], cumulativeClosed: [], excluded: [], open: [] };
  for (const data of complaints) {
    if (Date.parse(data.received_at) >= Date.parse(period.end)) continue;
    const exclusion = exclusionOf(data, period.end);
    const receivedInPeriod = within(data.received_at, period.start, period.end);
    if (exclusion) {
      if (receivedInPeriod) sets.excluded.push({ data, reason: exclusion });
      continue;
    }
    if (receivedInPeriod) sets.period.push(data);
    const receivedThisYear = Date.parse(data.received_at) >= Date.parse(period.yearStart);
    const stateAtYearStart = stateAt(data, period.yearStart);
    // A complaint written off at the year end leaves the next year's statistics (SPEC §6).
    const carriedOver = !receivedThisYear && OPEN_AT_END.includes(stateAtYearStart);
    const inCumulative = receivedThisYear || carriedOver;
    if (inCumulative) sets.cumulative.push(data);
    const closed = closedAt(data, period.end);
    if (closed && within(closed, period.start, period.end)) sets.periodClosed.push(data);
    if (inCumulative && closed) sets.cumulativeClosed.push(data);
    if (OPEN_AT_END.includes(stateAt(data, period.end))) sets.open.push(data);
  }
  return sets;
}
