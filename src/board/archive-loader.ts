import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { parse } from 'yaml';
import { loadArchive, ORG_FILE, type LoadedArchive } from '../archive/archive.ts';
import { YAML_PARSE_OPTIONS } from '../archive/frontmatter.ts';
import type { Problem } from '../core/problems.ts';

/**
 * Astro content loaders over our archive reader: the board sees exactly what `complaints validate`
 * sees, validated by the same schemas. The build stops when the archive has problems, so a board is
 * never published from an archive that fails its own checks (a leaked phone number is one of them).
 */

/** Environment variable naming the folder that holds content/ (default: the Astro project root). */
export const ARCHIVE_ROOT_VARIABLE = 'BOARD_ARCHIVE_ROOT';
/** The one entry of the organisation collection. */
export const ORGANISATION_ENTRY = 'org';
/** How many problems the build error lists before "and N more". */
const PROBLEMS_SHOWN = 20;

/** The archive has problems: the board is not built from it. */
export class BoardArchiveError extends Error {
  override readonly name = 'BoardArchiveError';
  readonly problems: readonly Problem[];
  constructor(root: string, problems: readonly Problem[]) {
    const shown = problems.slice(0, PROBLEMS_SHOWN).map((problem) => `  ${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`);
    const more = problems.length > PROBLEMS_SHOWN ? [`  … and ${problems.length - PROBLEMS_SHOWN} more`] : [];
    super(
      [
        `the archive in ${root} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; run "complaints validate" and fix them before building the board（档案校验未通过，不生成公示栏）`,
        ...shown,
        ...more,
      ].join('\n'),
    );
    this.problems = problems;
  }
}

/** The folder holding content/: $BOARD_ARCHIVE_ROOT (relative to the project) or the project itself. */
export function archiveRoot(projectRoot: URL, environment: NodeJS.ProcessEnv = process.env): string {
  const projectPath = fileURLToPath(projectRoot);
  const configured = environment[ARCHIVE_ROOT_VARIABLE];
  return configured ? resolve(projectPath, configured) : projectPath;
}

async function loadValidArchive(context: LoaderContext): Promise<LoadedArchive & { root: string }> {
  const root = archiveRoot(context.config.root);
  const archive = await loadArchive(root);
  if (archive.problems.length > 0) throw new BoardArchiveError(root, archive.problems);
  return { ...archive, root };
}

/**
 * Every complaint, keyed by id. The body and the contact envelope are left out of the store: the
 * board never shows them, so they never reach the build.
 */
export function complaintLoader(): Loader {
  return {
    name: 'complaints-archive',
    async load(context) {
      const archive = await loadValidArchive(context);
      context.store.clear();
      for (const complaint of archive.complaints) {
        const { contact: _contact, ...withoutContact } = complaint.data;
        const data = await context.parseData({ id: complaint.data.id, data: withoutContact });
        context.store.set({ id: complaint.data.id, data, digest: context.generateDigest(data) });
      }
      context.logger.info(`${archive.complaints.length} complaints from ${archive.org.name}`);
    },
  };
}

/** content/org.yaml as the single entry `org`: the file as written, the collection's schema fills in the preset. */
export function organisationLoader(): Loader {
  return {
    name: 'complaints-organisation',
    async load(context) {
      const { root } = await loadValidArchive(context);
      const raw: Record<string, unknown> = parse(await readFile(join(root, ORG_FILE), 'utf8'), YAML_PARSE_OPTIONS);
      context.store.clear();
      const data = await context.parseData({ id: ORGANISATION_ENTRY, data: raw });
      context.store.set({ id: ORGANISATION_ENTRY, data, digest: context.generateDigest(data) });
    },
  };
}
