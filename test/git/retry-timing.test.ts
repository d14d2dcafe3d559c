import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REGISTRATION_ATTEMPTS, RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS, retryDelay } from '../../src/git/retry-timing.ts';

describe('the wait between registration attempts', () => {
  it('stays within a window that doubles from the base and stops at the maximum', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_REGISTRATION_ATTEMPTS }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, random) => {
        const window = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** (attempt - 1));
        const wait = retryDelay(attempt, () => random);
        expect(wait).toBeGreaterThanOrEqual(0);
        expect(wait).toBeLessThanOrEqual(window);
      }),
    );
  });

  it.each([
    [1, 1, RETRY_BASE_DELAY_MS],
    [2, 1, 2 * RETRY_BASE_DELAY_MS],
    [3, 0.5, 2 * RETRY_BASE_DELAY_MS],
    [MAX_REGISTRATION_ATTEMPTS, 1, RETRY_MAX_DELAY_MS],
    [4, 0, 0],
  ])('after attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(retryDelay(attempt, () => random)).toBe(expected);
  });

  it('keeps the total wait of a registration that is rejected every time under half a minute', () => {
    const total = Array.from({ length: MAX_REGISTRATION_ATTEMPTS - 1 }, (_, index) => retryDelay(index + 1, () => 0.999_999)).reduce((sum, wait) => sum + wait, 0);
    expect(total).toBeLessThan(30_000);
  });
});
