import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { getBoard } from '../board/board-data.ts';
import { feedItems } from '../board/feed-items.ts';
import { boardPath } from '../board/links.ts';

/**
 * `feed.xml`: RSS 2.0 of the monthly notices and the status changes of public complaints. Links are
 * absolute: BOARD_SITE (Astro's `site`) or org.yaml's `board.url`, else the local preview address.
 */
const LOCAL_PREVIEW = 'http://localhost:4321';

export const GET: APIRoute = async (context) => {
  const board = await getBoard();
  const base = import.meta.env.BASE_URL;
  const site = context.site?.origin ?? board.org.board?.url ?? LOCAL_PREVIEW;
  const siteTitle = board.org.board?.title ?? `${board.org.name}投诉处理公示栏`;
  return rss({
    title: siteTitle,
    description: `${board.org.name}每月投诉处理公示和公开投诉的处理进展`,
    site: new URL(boardPath(base), site).href,
    items: feedItems(board).map((item) => ({
      title: item.title,
      link: new URL(boardPath(base, item.path), site).href,
      pubDate: item.pubDate,
      description: item.description,
    })),
    customData: '<language>zh-cn</language>',
    trailingSlash: true,
  });
};
