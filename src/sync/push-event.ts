import { z } from 'zod';
import { parseEventPayload } from '../github/webhook-event.ts';

/**
 * What the sync reads from the event that started it (GITHUB_EVENT_PATH): for a `push`, the commits
 * before and after it; anything else (a manual dispatch) carries no range, and the sync works from
 * its own record. Only these fields are read; commit messages and names are never interpreted.
 */

const SHA = z.string().regex(/^[0-9a-f]{40}$/);

const pushEventSchema = z.object({ ref: z.string(), before: SHA, after: SHA });

/** Git's "no commit" SHA, which a push that creates a branch has as `before`. */
export const NO_COMMIT = '0000000000000000000000000000000000000000';

export type SyncEvent = { kind: 'push'; ref: string; before?: string; after: string } | { kind: 'other' };

export function readSyncEvent(text: string): SyncEvent {
  const push = pushEventSchema.safeParse(parseEventPayload(text));
  if (!push.success) return { kind: 'other' };
  const { ref, before, after } = push.data;
  return { kind: 'push', ref, ...(before === NO_COMMIT ? {} : { before }), after };
}
