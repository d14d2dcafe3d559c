import { commentMarker } from './bot-comments.ts';
import type { GitHubIssue, GitHubLabel, GitHubPort } from './github-port.ts';
import { ensureLabels } from './labels.ts';

/**
 * Issues the workflows keep open for good (the reminders' dashboard, the roll-call): one per purpose,
 * found again by its label, its bot author and the hidden marker on the first line of its body, and
 * opened by the first run that needs it. People cannot post as the bot, so an issue someone opens
 * with the same label and marker is never taken for it.
 */

export interface StandingIssue {
  /** Marker kind (src/github/bot-comments.ts), e.g. `dashboard`. */
  kind: string;
  label: GitHubLabel;
  title: string;
  /** Pinned to the top of the issue list when opened (the dashboard, issue 5 item 5). */
  pin?: boolean;
}

/** Whether an issue is the workflows' standing issue of `kind`. */
export function isStandingIssue(issue: GitHubIssue, standing: StandingIssue): boolean {
  return issue.author.type === 'Bot' && !issue.isPullRequest && issue.body.trimStart().startsWith(commentMarker(standing.kind));
}

/** A body for the standing issue: its marker line, then `text`. */
export function standingIssueBody(standing: StandingIssue, text: string): string {
  return `${commentMarker(standing.kind)}\n${text.trim()}\n`;
}

/**
 * The open standing issue of its kind, opened with `initialText` when there is none. Should two runs
 * have opened one each, the oldest is used and the others are closed.
 */
export async function findOrOpenStandingIssue(port: GitHubPort, standing: StandingIssue, initialText: string): Promise<GitHubIssue> {
  const candidates = (await port.listOpenIssues([standing.label.name])).filter((issue) => isStandingIssue(issue, standing)).sort((a, b) => a.number - b.number);
  const [oldest, ...extra] = candidates;
  for (const issue of extra) await port.updateIssue(issue.number, { state: 'closed' });
  if (oldest) return oldest;
  await ensureLabels(port, [standing.label]);
  const opened = await port.createIssue({ title: standing.title, body: standingIssueBody(standing, initialText), labels: [standing.label.name] });
  if (standing.pin) {
    // Pinning needs a permission a restricted token may lack; the issue works unpinned, and its text
    // says how to pin it by hand.
    await port.pinIssue(opened.number).catch(() => undefined);
  }
  return opened;
}
