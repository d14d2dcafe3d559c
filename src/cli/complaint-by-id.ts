import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { listComplaintFiles, parseComplaintFile } from '../archive/archive.ts';
import type { Complaint } from '../core/complaint/schema.ts';
import { EXIT, type CommandContext } from './command.ts';

/**
 * The complaint file of one id under --root, read and parsed, for commands that work on a single
 * complaint (contact, erase). When there is no such file or it cannot be read, says so on stderr and
 * gives exit code 1 instead.
 */
export async function readComplaintById(context: CommandContext, id: string): Promise<{ ok: true; complaint: Complaint } | { ok: false; code: number }> {
  const path = (await listComplaintFiles(context.root)).find((file) => basename(file, '.md') === id);
  if (!path) {
    context.stderr(`no complaint ${id} in ${context.root}（找不到投诉 ${id}）\n`);
    return { ok: false, code: EXIT.problems };
  }
  const { complaint, problems } = parseComplaintFile(path, await readFile(join(context.root, path), 'utf8'));
  if (!complaint) {
    context.stderr(`${path} cannot be read: ${problems.map((problem) => problem.message).join('; ')}（投诉文件无法读取）\n`);
    return { ok: false, code: EXIT.problems };
  }
  return { ok: true, complaint };
}
