import { basename, join } from 'node:path';
import { listComplaintFiles } from '../archive/archive.ts';
import { nextComplaintId } from '../core/complaint/paths.ts';
import type { ComplaintFile, RegistrationRequest } from './complaint-registry.ts';
import { createFileExclusively } from './exclusive-file.ts';

/** The ids of every complaint file under `root`, from the file names (`2026-0007.md` → `2026-0007`). */
export async function takenComplaintIds(root: string): Promise<string[]> {
  return (await listComplaintFiles(root)).map((path) => basename(path, '.md'));
}

/**
 * Writes the complaint under the next id of its year that no file in the working tree has: the
 * highest sequence of that year plus one, also above `retired` ids (files deleted from the archive:
 * an id is never reused, SPEC §3). When the path turns out to exist already (another writer
 * got there first) it takes the following number.
 */
export async function writeUnderNextId(
  root: string,
  request: RegistrationRequest,
  retired: Iterable<string> = [],
): Promise<{ id: string } & ComplaintFile> {
  const taken = new Set([...(await takenComplaintIds(root)), ...retired]);
  for (;;) {
    const id = nextComplaintId(request.year, taken);
    const file = request.fileFor(id);
    if (await createFileExclusively(join(root, file.path), file.text)) return { id, ...file };
    taken.add(id);
  }
}
