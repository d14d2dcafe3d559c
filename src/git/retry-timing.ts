/**
 * How long a registration waits before it tries again after its push was rejected. "Full jitter":
 * a random wait up to a window that doubles with every try, so clones that collided spread out
 * instead of colliding again in lockstep.
 */

/** Enough for a few dozen staff and workflows registering in the same minute; then we give up and keep the commit. */
export const MAX_REGISTRATION_ATTEMPTS = 30;

/** The first window: about the time one fetch-and-push round trip takes on a local network. */
export const RETRY_BASE_DELAY_MS = 50;

/** The widest window, so 30 rejected attempts wait at most about 25 s in all. */
export const RETRY_MAX_DELAY_MS = 1000;

/** The wait before try `attempt + 1`, given a random number in [0, 1). */
export function retryDelay(attempt: number, random: () => number): number {
  const window = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * window);
}
