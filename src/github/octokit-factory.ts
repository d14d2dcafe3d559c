import { Octokit } from 'octokit';
import type { ThrottlingOptions } from '@octokit/plugin-throttling';

/**
 * The one place an octokit client is made. The `octokit` package's `Octokit` is @octokit/core with the
 * REST methods, pagination, @octokit/plugin-retry and @octokit/plugin-throttling already applied (both
 * pinned in package.json); this factory configures the two plugins for the workflows:
 *
 * - retry: server errors (5xx) and network failures are retried with a growing wait; 4xx are not,
 *   except rate limits, which the throttling plugin handles.
 * - throttling: at most 10 requests at once; writes start at least 1 s apart and
 *   notification-triggering writes (comments, new issues) 3 s apart, as GitHub asks of integrations;
 *   a primary or secondary rate limit waits for the time GitHub names (`retry-after`,
 *   `x-ratelimit-reset`) and retries up to `MAX_RATE_LIMIT_RETRIES` times.
 *
 * GITHUB_TOKEN allows about 1,000 REST requests an hour per repository (issue 5 item 13): the
 * workflows batch (one label set per issue, one comment per outcome) rather than rely on retries.
 */

/** How often a request that hit a rate limit is tried again before the run fails. */
export const MAX_RATE_LIMIT_RETRIES = 3;

/** Server errors are retried this often (the plugin's default; waits of 1, 4, 9 s). */
export const MAX_SERVER_ERROR_RETRIES = 3;

/** The public API; GitHub Enterprise and the tests pass their own (GITHUB_API_URL). */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/**
 * What tests may change about timing, and nothing else: the plugins' own rules stay in force.
 * `retryAfterBaseValue` is the milliseconds per second of a wait GitHub names (1000 in production);
 * the limiter groups replace the throttling plugin's write, notification and search pacing.
 */
export interface OctokitTiming {
  retryAfterBaseValue?: number;
  write?: ThrottlingOptions['write'];
  notifications?: ThrottlingOptions['notifications'];
  search?: ThrottlingOptions['search'];
}

export interface OctokitOptions {
  token: string;
  baseUrl?: string;
  /** Where the plugins' notes go (rate limits met, retries); never into --json output. */
  warn?: (message: string) => void;
  timing?: OctokitTiming;
  /** Names this client's limiter queue; clients with the same id share one pacing. */
  throttleId?: string;
}

/** Exported so callers and tests see what they override (plugin-retry's `defaultRetryState` habit). */
export const DEFAULT_OCTOKIT_TIMING = { retryAfterBaseValue: 1000 } as const;

/** An octokit client with retry and throttling configured for the workflows. */
export function createOctokit(options: OctokitOptions): Octokit {
  const warn = options.warn ?? (() => undefined);
  const timing = { ...DEFAULT_OCTOKIT_TIMING, ...options.timing };
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const retrying = retryCount < MAX_RATE_LIMIT_RETRIES;
    warn(
      `${kind} rate limit on ${request.method} ${request.url}; ${retrying ? `retrying after ${retryAfter} s (attempt ${retryCount + 2})` : 'giving up'}` +
        `（GitHub 接口${kind === 'secondary' ? '次级' : ''}限流，${retrying ? `${retryAfter} 秒后重试` : '放弃重试'}）`,
    );
    return retrying;
  };
  return new Octokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, ''),
    userAgent: 'complaints-archive',
    log: { debug: () => undefined, info: () => undefined, warn, error: warn },
    retry: { retries: MAX_SERVER_ERROR_RETRIES, retryAfterBaseValue: timing.retryAfterBaseValue },
    throttle: {
      id: options.throttleId ?? 'complaints',
      retryAfterBaseValue: timing.retryAfterBaseValue,
      ...(timing.write ? { write: timing.write } : {}),
      ...(timing.notifications ? { notifications: timing.notifications } : {}),
      ...(timing.search ? { search: timing.search } : {}),
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
    },
  });
}
