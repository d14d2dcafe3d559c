import type { Board } from './board.ts';
import { periodName } from './format.ts';

/**
 * The items of the board's RSS feed (SPEC §7): the monthly notices and the status changes of public
 * complaints, newest first. Titles and public notes only; descriptions are HTML-escaped before the
 * feed writer XML-escapes them, because feed readers treat a description as HTML and a complaint
 * title such as `<script>` must reach the reader as text.
 */

/** How many status changes the feed carries (the newest); older ones are on the complaint pages. */
export const FEED_STATUS_CHANGES = 50;

export interface FeedItem {
  title: string;
  /** Path under the board's base, e.g. `complaints/2026-0001/`. */
  path: string;
  pubDate: Date;
  /** HTML-escaped text. */
  description: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to be read as HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);
}

/** The feed's items: every monthly notice, and the latest status changes of public complaints. */
export function feedItems(board: Board): FeedItem[] {
  const notices = board.months.map((label): FeedItem => {
    const notice = board.notice(label);
    return {
      title: `${periodName(label)}客户投诉处理情况公示${notice.finished ? '' : '（本月截至今日）'}`,
      path: `reports/${label}/`,
      pubDate: new Date(notice.asOf),
      description: escapeHtml(`本期投诉 ${notice.total.periodCount} 件，其中公示 ${notice.totals.publicCount} 件。`),
    };
  });
  const changes = board.publicRows
    .flatMap((row) => {
      const page = board.complaintPage(row.id);
      return page.timeline
        .filter((entry) => entry.state !== undefined)
        .map(
          (entry): FeedItem => ({
            title: `${page.id} ${page.title}：${entry.state}`,
            path: `complaints/${page.id}/`,
            pubDate: new Date(entry.at),
            description: escapeHtml(`${page.project} · ${page.category} · ${entry.label}${entry.publicNote ? `：${entry.publicNote}` : ''}`),
          }),
        );
    })
    .sort((a, b) => b.pubDate.getTime() - a.pubDate.getTime())
    .slice(0, FEED_STATUS_CHANGES);
  return [...notices, ...changes].sort((a, b) => b.pubDate.getTime() - a.pubDate.getTime());
}
