/**
 * Internal links under the board's base path (BOARD_BASE, for GitHub Pages project sites): every page
 * builds its hrefs with `boardPath(import.meta.env.BASE_URL, …)`, never with a bare "/".
 */

/** `boardPath('/complaints', 'reports/2026-10/')` → `/complaints/reports/2026-10/`. */
export function boardPath(base: string, path = ''): string {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return `${prefix}${path.replace(/^\/+/, '')}`;
}

/** The board's sections, in navigation order. */
export const SECTIONS = [
  { key: 'home', path: '', label: '首页' },
  { key: 'reports', path: 'reports/', label: '月度公示' },
  { key: 'complaints', path: 'complaints/', label: '公开投诉' },
  { key: 'statistics', path: 'statistics/', label: '统计与趋势' },
  { key: 'cases', path: 'cases/', label: '典型案例' },
  { key: 'how-to-complain', path: 'how-to-complain/', label: '如何投诉' },
  { key: 'search', path: 'search/', label: '搜索' },
] as const;
export type SectionKey = (typeof SECTIONS)[number]['key'];
