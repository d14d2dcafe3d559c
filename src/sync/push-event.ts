import { z } from 'zod';

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

/** Raised when the event file is not JSON. */
export class SyncEventError extends Error {
  override readonly name = 'SyncEventError';
  constructor(reason: string) {
    super(`cannot read the event payload: ${reason}（无法读取事件数据）`);
  }
}

export function readSyncEvent(text: string): SyncEvent {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (cause) {
    throw new SyncEventError((cause as Error).message);
  }
  const push = pushEventSchema.safeParse(payload);
  if (!push.success) return { kind: 'other' };
  const { ref, before, after } = push.data;
  return { kind: 'push', ref, ...(before === NO_COMMIT ? {} : { before }), after };
}
