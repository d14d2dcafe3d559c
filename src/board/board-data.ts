/// <reference types="astro/client" />
import { getCollection, getEntry } from 'astro:content';
import type { ComplaintData } from '../core/complaint/schema.ts';
import type { Org } from '../core/org/schema.ts';
import { ORGANISATION_ENTRY } from './archive-loader.ts';
import { boardNow, createBoard, type Board, type BoardReportFile } from './board.ts';
import type { CaseEntry } from './case-file.ts';

/**
 * The board of this build, from Astro's content collections: computed once and shared by every page,
 * feed and download. `now` is $BOARD_NOW or the time the build started.
 */

const BUILD_TIME = new Date();

let board: Promise<Board> | undefined;

async function load(): Promise<Board> {
  const organisation: { data: Org } | undefined = await getEntry('organisation', ORGANISATION_ENTRY);
  if (!organisation) throw new Error('content/org.yaml was not loaded（未读取到组织配置）');
  const complaints: { data: ComplaintData; body?: string }[] = await getCollection('complaints');
  const reportFiles: { data: BoardReportFile }[] = await getCollection('reports');
  return createBoard({
    org: organisation.data,
    complaints: complaints.map((entry) => ({ data: entry.data, ...(entry.body ? { body: entry.body } : {}) })),
    reportFiles: reportFiles.map((entry) => entry.data),
    now: boardNow(process.env, BUILD_TIME),
  });
}

/** The board of this build. */
export function getBoard(): Promise<Board> {
  board ??= load();
  return board;
}

/** The case library, newest first. */
export async function getCases(): Promise<CaseEntry[]> {
  const entries: { data: CaseEntry }[] = await getCollection('cases');
  return entries.map((entry) => entry.data).sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.slug.localeCompare(b.slug)));
}
