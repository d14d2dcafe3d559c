import type { DateTime } from 'luxon';
import type { Project } from '../core/org/schema.ts';
import type { Channel, NoVisitReason, Severity, SeverityFlag, Urgency } from '../core/org/vocabulary.ts';
import type { State } from '../core/complaint/states.ts';
import type { MatterTemplate, Place, RejectionTemplate, TypicalPause } from './texts.ts';

/**
 * What the demo decides about one complaint before its handling is played out: where and how it came
 * in, how far its handling gets (`target`) and which twists its story takes.
 */
export interface Plan {
  /** Order of creation, to break ties between equal receipt times. */
  index: number;
  matter: MatterTemplate;
  /** Set when the complaint is rejected as not ours to handle. */
  rejection?: RejectionTemplate;
  project: Project;
  place: Place;
  channel: Channel;
  urgency: Urgency;
  receivedAt: DateTime;
  /** How far the handling goes; `auto` plays the whole story and stops at `now`. */
  target: State | 'auto';
  anonymous: boolean;
  /** An online complaint that left no way to reach the complainant. */
  noContact: boolean;
  complainants: number;
  flags: SeverityFlag[];
  override?: { level: Severity; reason: string };
  /** Overrides the category's publication default. */
  public?: boolean;
  noVisit?: NoVisitReason;
  /** `resumed`: paused and resumed; `open`: still paused. */
  pause: 'none' | 'resumed' | 'open';
  pauseDetail?: TypicalPause;
  extension: boolean;
  /** Misses the reply time limit and is escalated as overdue. */
  late: boolean;
  /** Misses the visit time limit. */
  lateVisit: boolean;
  /** First visit unsatisfied → reopened → handled again. */
  unsatisfied: boolean;
  /** First assigned by the reported (symptom) category, then transferred to the root cause's department. */
  transfer: boolean;
  /** A supervisor verifies the result before the visit (001 §4.4.3.5). */
  verifyStep: boolean;
  escalation?: 'hot' | 'major' | 'repeat';
  duplicateOf?: Plan;
  repeatOf?: Plan;
  /** The deadline a forwarding office set (000 §(五)). */
  forwardedDeadline?: DateTime;
  titleSuffix: string;
  bodyPrefix: string;
  bodySuffix: string;
}
