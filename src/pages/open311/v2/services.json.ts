import type { APIRoute } from 'astro';
import { getBoard } from '../../../board/board-data.ts';
import { open311Services, safeJson } from '../../../board/open311.ts';

/** Open311 GeoReport v2-style service list: one service per complaint category. */
export const GET: APIRoute = async () => {
  const board = await getBoard();
  return new Response(safeJson(open311Services(board.org)), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
