import type { ComplaintEvent } from '../core/complaint/schema.ts';
import { replayEvents } from '../core/complaint/states.ts';
import type { FieldProblem } from '../core/problems.ts';
import { describe } from '../core/problems.ts';

/**
 * How a change treated the handling record (SPEC §4, 003 审计): events are only ever appended. The
 * base version's events must be the head version's first events, unchanged; a removed or rewritten
 * event is refused, as is an appended event the state machine does not allow after the ones before it.
 */

/** Fields of an event that hold instants: the same instant written another way is not a rewrite. */
const INSTANT_FIELDS = new Set(['at', 'due']);

function sameValue(field: string, a: unknown, b: unknown): boolean {
  if (INSTANT_FIELDS.has(field) && typeof a === 'string' && typeof b === 'string') return Date.parse(a) === Date.parse(b);
  return a === b;
}

/** Whether two events record the same thing: every field equal, instants compared as instants. */
export function sameEvent(a: ComplaintEvent, b: ComplaintEvent): boolean {
  const fields = new Set([...Object.keys(a), ...Object.keys(b)].filter((field) => (a as Record<string, unknown>)[field] !== undefined || (b as Record<string, unknown>)[field] !== undefined));
  return [...fields].every((field) => sameValue(field, (a as Record<string, unknown>)[field], (b as Record<string, unknown>)[field]));
}

export interface EventComparison {
  /** How many leading events the two versions share unchanged. */
  commonPrefix: number;
  /** The head's events after the shared ones. */
  added: ComplaintEvent[];
  /** A removed or rewritten event, and illegal appended steps. */
  problems: FieldProblem[];
}

/**
 * Compares the base and head events: the first base event that the head removed or changed is a
 * problem (one per change: later ones follow from it), and so is every appended event that replaying
 * the head's events finds illegal (a transition the state machine forbids, a second pause, events out
 * of order).
 */
export function compareEvents(base: readonly ComplaintEvent[], head: readonly ComplaintEvent[]): EventComparison {
  let commonPrefix = 0;
  while (commonPrefix < base.length && commonPrefix < head.length && sameEvent(base[commonPrefix]!, head[commonPrefix]!)) commonPrefix += 1;
  const problems: FieldProblem[] = [];
  if (commonPrefix < base.length) {
    const path = ['events', commonPrefix];
    const removed = base.length - commonPrefix;
    const message =
      commonPrefix >= head.length
        ? `${removed} recorded event(s) from events.${commonPrefix} on were removed: the handling record is only ever appended to`
        : `the recorded event events.${commonPrefix} ("${base[commonPrefix]!.type}" at ${base[commonPrefix]!.at}) was changed: recorded events are never rewritten; add a new event instead`;
    problems.push({ path, message: describe(path, message, '处理记录只能追加，不能修改或删除') });
  }
  // Appended steps are judged only when the record before them is intact: after a rewrite, the
  // rewrite is the problem to fix first.
  if (commonPrefix === base.length) {
    for (const problem of replayEvents(head).problems) {
      const index = problem.path[1];
      if (typeof index === 'number' && index >= base.length) problems.push(problem);
    }
  }
  return { commonPrefix, added: head.slice(commonPrefix), problems };
}
