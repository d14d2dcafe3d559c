import { link, mkdir, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';

/**
 * Creates a file only if nothing is at `path` yet, all at once: the text goes to a temporary file in
 * the same folder, which is then hard-linked to the target (a link never replaces an existing file).
 * Returns false when the path was taken. Unlike a rename, two writers can never both win, and no
 * reader ever sees half a file.
 */
export async function createFileExclusively(path: string, text: string): Promise<boolean> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, text, { encoding: 'utf8', flag: 'wx' });
    await link(temporary, path);
    return true;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw cause;
  } finally {
    await rm(temporary, { force: true });
  }
}
