import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outputText } from '../../src/board/privacy-gate.ts';

/** Real `astro build` runs of the board for the suite, each into its own output and cache folder. */

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ASTRO = join(PROJECT_ROOT, 'node_modules/astro/bin/astro.mjs');
/** The moment the committed demo archive was generated as of. */
export const DEMO_NOW = '2026-11-23T10:00:00+08:00';
export const BUILD_TIMEOUT_MS = 120_000;

export interface BuildResult {
  code: number | null;
  output: string;
  outDir: string;
}

/**
 * Variables Vitest sets for its own Vite (`BASE_URL=/`, `MODE=test`, …): inherited by the child, Astro
 * would take them into `import.meta.env` and the board's links would ignore BOARD_BASE.
 */
const VITE_VARIABLES = ['BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR'];

/** `astro build` in a child process reading the archive under `archiveRoot`, with extra environment. */
export function buildBoard(archiveRoot: string, workspace: string, name: string, environment: Record<string, string> = {}): Promise<BuildResult> {
  const outDir = join(workspace, `${name}-dist`);
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !VITE_VARIABLES.includes(key)));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ASTRO, 'build', '--outDir', outDir], {
      cwd: PROJECT_ROOT,
      env: {
        ...inherited,
        BOARD_ARCHIVE_ROOT: archiveRoot,
        BOARD_CACHE_DIR: join(workspace, `${name}-cache`),
        BOARD_NOW: DEMO_NOW,
        BOARD_BASE: '',
        COMPLAINTS_IDENTITY_FILE: '',
        COMPLAINTS_IDENTITY: '',
        ASTRO_TELEMETRY_DISABLED: '1',
        ...environment,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output, outDir }));
  });
}

/** Every file of a build as text (search index decompressed), by path relative to the output folder. */
export async function readBuiltFiles(outDir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(outDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = join(entry.parentPath, entry.name);
    const text = outputText(await readFile(absolute));
    if (text !== undefined) files.set(relative(outDir, absolute).split(sep).join('/'), text);
  }
  return files;
}
