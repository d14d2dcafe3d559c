import { z } from 'zod';

/**
 * Reads the event a workflow run was started by, from the payload file GitHub Actions writes
 * (GITHUB_EVENT_PATH). Only the fields the workflows act on are read and checked; the rest of the
 * payload is untrusted text that is never interpreted.
 */

const issueEventSchema = z.object({
  action: z.string(),
  issue: z.object({
    number: z.int().positive(),
    pull_request: z.unknown().optional(),
  }),
  label: z.object({ name: z.string() }).optional(),
});

const scheduleEventSchema = z.object({ schedule: z.string() });
const dispatchEventSchema = z.object({ inputs: z.record(z.string(), z.unknown()).nullable().optional(), workflow: z.string() });

export type WorkflowEvent =
  | { kind: 'issue'; action: string; issueNumber: number; isPullRequest: boolean; labelName?: string }
  | { kind: 'schedule' }
  | { kind: 'dispatch' }
  | { kind: 'other' };

/** Raised when the event file is not JSON. */
export class EventFileError extends Error {
  override readonly name = 'EventFileError';
  constructor(reason: string) {
    super(`cannot read the event payload: ${reason}（无法读取事件数据）`);
  }
}

/** The JSON of a workflow's event payload file; `EventFileError` when it is not JSON. */
export function parseEventPayload(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new EventFileError((cause as Error).message);
  }
}

/** What started the run: an issue event (which issue, which action), a schedule, a manual dispatch, or something else. */
export function readWorkflowEvent(text: string): WorkflowEvent {
  const payload = parseEventPayload(text);
  const issue = issueEventSchema.safeParse(payload);
  if (issue.success) {
    return {
      kind: 'issue',
      action: issue.data.action,
      issueNumber: issue.data.issue.number,
      isPullRequest: issue.data.issue.pull_request !== undefined && issue.data.issue.pull_request !== null,
      ...(issue.data.label ? { labelName: issue.data.label.name } : {}),
    };
  }
  if (scheduleEventSchema.safeParse(payload).success) return { kind: 'schedule' };
  if (dispatchEventSchema.safeParse(payload).success) return { kind: 'dispatch' };
  return { kind: 'other' };
}
