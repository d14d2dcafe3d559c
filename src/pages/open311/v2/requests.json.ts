import type { APIRoute } from 'astro';
import { getBoard } from '../../../board/board-data.ts';
import { open311Request, safeJson } from '../../../board/open311.ts';

/** Open311 GeoReport v2-style requests: the public complaints only, newest first. */
export const GET: APIRoute = async () => {
  const board = await getBoard();
  const requests = board.publicRows.map((row) => open311Request(board.complaintPage(row.id)));
  return new Response(safeJson(requests), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};
