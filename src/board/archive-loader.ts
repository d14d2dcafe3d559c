import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Loader, LoaderContext } from 'astro/loaders';
import { parse } from 'yaml';
import { loadArchive, ORG_FILE, type LoadedArchive } from '../archive/archive.ts';
import { YAML_PARSE_OPTIONS } from '../archive/frontmatter.ts';
import type { Problem } from '../core/problems.ts';
import { REPORTS_DIR } from '../archive/report-file.ts';
import { CASES_DIR, readCaseFile } from './case-file.ts';
import { complaintTextOf } from './complaint-text.ts';
import { isPublicComplaint } from './public-complaints.ts';
import { readReportNarrative } from './report-narrative.ts';

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

/** One validation per archive and build: the four collections share it. */
const archives = new Map<string, Promise<LoadedArchive & { root: string }>>();

async function loadValidArchive(context: LoaderContext): Promise<LoadedArchive & { root: string }> {
  const root = archiveRoot(context.config.root);
  if (!archives.has(root)) {
    archives.set(
      root,
      loadArchive(root).then((archive) => {
        if (archive.problems.length > 0) throw new BoardArchiveError(root, archive.problems);
        return { ...archive, root };
      }),
    );
  }
  try {
    return await archives.get(root)!;
  } catch (cause) {
    archives.delete(root);
    throw cause;
  }
}

/**
 * Every complaint, keyed by id. The contact envelope is left out of the store, and so is the body of
 * every complaint that is not public; of a public complaint's body only the complaint text is kept
 * (the handler sections are internal). What the store does not hold cannot reach the build.
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
        const body = isPublicComplaint(complaint.data, archive.org) ? complaintTextOf(complaint.body) : undefined;
        context.store.set({ id: complaint.data.id, data, ...(body ? { body } : {}), digest: context.generateDigest({ data, body: body ?? '' }) });
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

/** Markdown files directly in a folder of the archive, sorted; none when the folder does not exist. */
async function markdownFiles(root: string, folder: string): Promise<string[]> {
  try {
    return (await readdir(join(root, folder), { withFileTypes: true }))
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && entry.name !== 'README.md')
      .map((entry) => entry.name)
      .sort();
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw cause;
  }
}

/** The monthly report files (content/reports/YYYY-MM.md): status, and the sanitised narrative once published. */
export function reportFileLoader(): Loader {
  return {
    name: 'complaints-report-files',
    async load(context) {
      const { root } = await loadValidArchive(context);
      context.store.clear();
      for (const name of await markdownFiles(root, REPORTS_DIR)) {
        const label = name.replace(/\.md$/, '');
        if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(label)) continue;
        const file = `${REPORTS_DIR}/${name}`;
        const narrative = readReportNarrative(file, await readFile(join(root, file), 'utf8'), label);
        const data = await context.parseData({ id: label, data: { ...narrative } });
        context.store.set({ id: label, data, digest: context.generateDigest(data) });
      }
    },
  };
}

/** The case library (content/cases/<slug>.md), checked against the archive and rendered sanitised. */
export function caseLoader(): Loader {
  return {
    name: 'complaints-cases',
    async load(context) {
      const archive = await loadValidArchive(context);
      const complaints = new Map(archive.complaints.map((complaint) => [complaint.data.id, complaint.data]));
      context.store.clear();
      for (const name of await markdownFiles(archive.root, CASES_DIR)) {
        const file = `${CASES_DIR}/${name}`;
        const slug = name.replace(/\.md$/, '');
        const entry = readCaseFile(file, slug, await readFile(join(archive.root, file), 'utf8'), archive.org, complaints);
        const data = await context.parseData({ id: slug, data: { ...entry } });
        context.store.set({ id: slug, data, digest: context.generateDigest(data) });
      }
    },
  };
}
