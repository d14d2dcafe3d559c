import type { StandingIssue } from '../github/standing-issue.ts';

/**
 * The dashboard issue (issue 5 items 5 and 12): one open issue the reminders rewrite on every run with
 * every open clock and when they last ran. The sync keeps its record of the last synced commit on it
 * too, as a marked comment. It is pinned when opened (GraphQL `pinIssue`); a token without the
 * permission leaves it unpinned, and it can be pinned by hand.
 */
export const DASHBOARD_ISSUE: StandingIssue = {
  kind: 'dashboard',
  label: { name: '时限看板', color: '0052cc', description: '投诉处理时限看板与提醒记录（由工作流维护，请勿关闭）' },
  title: '投诉处理时限看板',
  pin: true,
};

/** What the dashboard says before the reminders first ran. */
export const DASHBOARD_PLACEHOLDER = '时限提醒尚未运行。提醒工作流（reminders.yml）每小时运行一次，运行后本页会列出所有未完成的时限。';
