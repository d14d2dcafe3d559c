import type { APIRoute, GetStaticPaths } from 'astro';
import { getBoard } from '../../board/board-data.ts';
import { reportCsv } from '../../board/report-csv.ts';

/** `reports/YYYY-MM.csv`: the monthly notice's tables for spreadsheets (UTF-8 with BOM). */
export const getStaticPaths: GetStaticPaths = async () => {
  const board = await getBoard();
  return board.months.map((month) => ({ params: { month } }));
};

export const GET: APIRoute = async ({ params }) => {
  const board = await getBoard();
  return new Response(reportCsv(board.notice(String(params.month))), { headers: { 'Content-Type': 'text/csv; charset=utf-8' } });
};
