import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadArchive, type LoadedArchive } from '../../src/archive/archive.ts';
import { isPublicComplaint } from '../../src/board/public-complaints.ts';
import { findPersonalData } from '../../src/core/pii.ts';
import { runComplaints } from '../cli/run-cli.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ASTRO = join(PROJECT_ROOT, 'node_modules/astro/bin/astro.mjs');
const NOW = '2026-11-23T10:00:00+08:00';
const BUILD_TIMEOUT_MS = 60_000;

let workspace: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'complaints-board-'));
});

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

/** `astro build` in a child process, reading the archive under `archiveRoot`, with its own cache and output. */
function buildBoard(archiveRoot: string, name: string): Promise<{ code: number | null; output: string; outDir: string }> {
  const outDir = join(workspace, `${name}-dist`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ASTRO, 'build', '--outDir', outDir], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        BOARD_ARCHIVE_ROOT: archiveRoot,
        BOARD_CACHE_DIR: join(workspace, `${name}-cache`),
        ASTRO_TELEMETRY_DISABLED: '1',
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

async function demoArchive(name: string, count?: number): Promise<string> {
  const root = join(workspace, name);
  const result = await runComplaints(['demo', '--root', root, '--now', NOW, ...(count ? ['--count', String(count)] : [])]);
  expect(result.code).toBe(0);
  return root;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

describe('the notice board build', () => {
  let archive: LoadedArchive;
  let html: string;

  beforeAll(async () => {
    const root = await demoArchive('demo');
    archive = await loadArchive(root);
    const build = await buildBoard(root, 'demo');
    expect(build.code, build.output).toBe(0);
    html = await readFile(join(build.outDir, 'index.html'), 'utf8');
  }, BUILD_TIMEOUT_MS);

  it('builds a zh-CN page titled after the organisation, with the demo banner', () => {
    expect(html).toContain('<html lang="zh-CN"');
    expect(/<title>([^<]*)<\/title>/.exec(html)?.[1]).toContain(archive.org.name);
    expect(html).toContain('演示数据：本页所有投诉');
  });

  it('lists every public complaint with its title', () => {
    const published = archive.complaints.filter((complaint) => isPublicComplaint(complaint.data, archive.org));
    expect(published.length).toBeGreaterThan(100);
    for (const { data } of published) {
      expect(html).toContain(`>${data.id}<`);
      expect(html).toContain(`>${escapeHtml(data.title)}<`);
    }
  });

  it('lists no complaint that is not public', () => {
    const hidden = archive.complaints.filter((complaint) => !isPublicComplaint(complaint.data, archive.org));
    const publicTitles = new Set(archive.complaints.filter((complaint) => isPublicComplaint(complaint.data, archive.org)).map((complaint) => complaint.data.title));
    expect(hidden.length).toBeGreaterThan(10);
    for (const { data } of hidden) {
      expect(html).not.toContain(`>${data.id}<`);
      // A private matter may share its wording with a public one (the same fault in another building).
      if (!publicTitles.has(data.title)) expect(html).not.toContain(`>${escapeHtml(data.title)}<`);
    }
  });

  it('publishes no contact envelope, personal data, complaint text or internal note', () => {
    expect(html).not.toContain('AGE ENCRYPTED');
    expect(html).not.toContain('age-encryption.org');
    expect(findPersonalData(html)).toEqual([]);
    for (const { data, body } of archive.complaints) {
      const complaintText = body.split('\n\n')[0]!.trim();
      expect(html, data.id).not.toContain(escapeHtml(complaintText));
      for (const event of data.events) if (event.note) expect(html, `${data.id} ${event.type}`).not.toContain(escapeHtml(event.note));
      if (data.reply) expect(html, data.id).not.toContain(escapeHtml(data.reply.summary));
    }
  });

  it(
    'refuses to build from an archive that fails validation, such as a phone number in a title',
    async () => {
      const root = await demoArchive('leaky', 40);
      const complaints = join(root, 'content/complaints/2026/11');
      const [file] = (await readdir(complaints)).sort();
      const text = await readFile(join(complaints, file!), 'utf8');
      await writeFile(join(complaints, file!), text.replace(/^title: (.*)$/m, 'title: $1 请回电13912345678'));
      const build = await buildBoard(root, 'leaky');
      expect(build.code).not.toBe(0);
      expect(build.output).toContain('complaints validate');
      expect(build.output).toContain(file!.replace(/\.md$/, ''));
      await expect(readFile(join(build.outDir, 'index.html'), 'utf8')).rejects.toThrow();
    },
    BUILD_TIMEOUT_MS,
  );
});
