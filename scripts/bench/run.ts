/**
 * `npm run bench [-- --sizes 1000,10000,100000 --board-max 10000 --history-max 10000 --versions 5 --out bench/results.json]`
 *
 * Generates deterministic synthetic archives with the demo generator (seeded; every file carries a
 * real age envelope, encrypted once and reused so generation stays fast) in a temporary Git
 * repository, then measures wall time and peak memory (RSS) of the commands at organisation scale,
 * each in its own process as a user runs it:
 * - `validate` and `report --year` cold (parse cache off) and warm (served from the cache keyed by
 *   Git blob id), and `sla`;
 * - `audit` over a Git history of `versions` commits per complaint (sizes up to --history-max; larger
 *   archives are one import commit);
 * - the board's `astro build` cold, again unchanged, and again after one complaint changed (sizes up
 *   to --board-max), with Hugo on equivalent pages beside it when Debian's `hugo` is installed.
 * Beside them, the floors the same run measures: reading every file, reading and parsing its YAML
 * with js-yaml, and raw `git log --name-status` over the same history. Prints a table and the goals
 * of issue 7 with the measured ratios, and writes JSON. Numbers, not assertions: nothing here fails
 * because something was slow.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { listComplaintFiles, loadArchive, serializeComplaint } from '../../src/archive/archive.ts';
import { parseFrontmatter } from '../../src/archive/frontmatter.ts';
import { complaintSchema } from '../../src/core/complaint/schema.ts';
import { isPublicComplaint } from '../../src/board/public-complaints.ts';
import { DEFAULT_DEMO_SEED, generateDemoArchive } from '../../src/demo/generate.ts';
import { DEMO_RECIPIENT } from '../../src/demo/organisation.ts';
import { serializeOrganisation } from '../../src/demo/write.ts';
import { encryptContact } from '../../src/privacy/contact.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(PROJECT_ROOT, 'src/cli/main.ts');
const ASTRO = join(PROJECT_ROOT, 'node_modules/astro/bin/astro.mjs');
const PEAK_MEMORY = join(PROJECT_ROOT, 'scripts/bench/peak-memory.ts');
const FLOOR = join(PROJECT_ROOT, 'scripts/bench/floor.ts');
/** The moment the synthetic archives are generated as of, so every run measures the same data. */
const NOW = '2026-11-23T10:00:00+08:00';

export interface Measurement {
  size: number;
  task: string;
  seconds: number;
  /** Peak resident set size in bytes, for Node processes. */
  peakBytes?: number;
  note?: string;
}

/** Runs a command to completion; Node commands carry the peak-memory preload. */
function measure(size: number, task: string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; node?: boolean } = {}): Measurement {
  const peakFile = join(tmpdir(), `bench-peak-${process.pid}-${Date.now()}`);
  const node = options.node ?? command === process.execPath;
  const started = performance.now();
  const result = spawnSync(command, node ? ['--import', PEAK_MEMORY, ...args] : args, {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { ...process.env, ...options.env, BENCH_PEAK_MEMORY_FILE: peakFile, ASTRO_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  let peakBytes: number | undefined;
  try {
    const lines = spawnSync('cat', [peakFile], { encoding: 'utf8' }).stdout.trim().split('\n').map(Number).filter(Number.isFinite);
    if (lines.length > 0) peakBytes = Math.max(...lines);
  } finally {
    spawnSync('rm', ['-f', peakFile]);
  }
  const note = result.status === 0 ? undefined : `exit ${result.status}: ${result.stderr?.toString().trim().split('\n').slice(-2).join(' ')}`;
  return { size, task, seconds, ...(peakBytes ? { peakBytes } : {}), ...(note ? { note } : {}) };
}

/** Writes a synthetic archive of `size` complaints under `root`. */
export async function writeArchive(root: string, size: number): Promise<void> {
  const archive = generateDemoArchive({ seed: DEFAULT_DEMO_SEED, count: size, now: new Date(NOW) });
  await mkdir(join(root, 'content'), { recursive: true });
  await writeFile(join(root, 'content/org.yaml'), serializeOrganisation(archive.org));
  const envelope = await encryptContact({ name: '演示', phone: '13800000000' }, [DEMO_RECIPIENT]);
  for (const complaint of archive.complaints) {
    const data = complaint.contact ? { ...complaint.data, contact: envelope } : complaint.data;
    await mkdir(join(root, dirname(complaint.path)), { recursive: true });
    await writeFile(join(root, complaint.path), serializeComplaint(data, complaint.body));
  }
}

/**
 * A Git history of `versions` commits per complaint through `git fast-import` (one process): each
 * complaint's events arrive in `versions` steps, committed an hour after the last event they add.
 * A step adds several events at once, so the commits carry the import trailer (events recorded late
 * on purpose); the audit still reads and replays every version.
 */
export async function writeHistory(root: string, versions: number): Promise<number> {
  spawnSync('git', ['init', '--quiet', '--initial-branch=main', root]);
  const commits: { at: number; path: string; text: string }[] = [];
  for (const path of await listComplaintFiles(root)) {
    const text = await readFile(join(root, path), 'utf8');
    const parsed = parseFrontmatter(text);
    const data = complaintSchema.parse(parsed.data);
    for (let step = 1; step <= versions; step += 1) {
      const kept = Math.max(1, Math.ceil((data.events.length * step) / versions));
      const events = data.events.slice(0, kept);
      const version = step === versions ? text : serializeComplaint({ ...data, events }, parsed.body);
      commits.push({ at: Date.parse(events.at(-1)!.at) + 60 * 60 * 1000, path, text: version });
    }
  }
  commits.sort((a, b) => a.at - b.at);
  const chunks: string[] = [];
  const org = await readFile(join(root, 'content/org.yaml'), 'utf8');
  const data = (text: string) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const first = Math.floor((commits[0]?.at ?? Date.now()) / 1000) - 3600;
  chunks.push(`commit refs/heads/main\nmark :1\ncommitter Bench <bench@localhost> ${first} +0800\n${data('Import organisation\n\nComplaints-Import: true\n')}M 100644 inline content/org.yaml\n${data(org)}`);
  commits.forEach((commit, index) => {
    chunks.push(
      `commit refs/heads/main\nmark :${index + 2}\ncommitter Handler <handler@localhost> ${Math.floor(commit.at / 1000)} +0800\n${data(`Update ${commit.path}\n\nComplaints-Import: true\n`)}from :${index + 1}\nM 100644 inline ${commit.path}\n${data(commit.text)}`,
    );
  });
  const result = spawnSync('git', ['fast-import', '--quiet'], { cwd: root, input: chunks.join(''), maxBuffer: 1024 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`git fast-import failed: ${result.stderr.toString()}`);
  spawnSync('git', ['checkout', '--quiet', '--force', 'main'], { cwd: root });
  return commits.length + 1;
}

/** The same pages for Hugo: one per public complaint and one per month. */
export async function writeHugoSite(site: string, root: string): Promise<void> {
  const archive = await loadArchive(root);
  const org = archive.org;
  await mkdir(join(site, 'content/complaints'), { recursive: true });
  await mkdir(join(site, 'content/reports'), { recursive: true });
  await mkdir(join(site, 'layouts/_default'), { recursive: true });
  await writeFile(join(site, 'hugo.toml'), 'baseURL = "http://localhost/"\nlanguageCode = "zh-CN"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term"]\n');
  await writeFile(join(site, 'layouts/_default/single.html'), '<!doctype html><html lang="zh-CN"><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n');
  await writeFile(join(site, 'layouts/_default/list.html'), '<!doctype html><html lang="zh-CN"><body><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>\n');
  const months = new Set<string>();
  for (const complaint of archive.complaints) {
    months.add(complaint.data.received_at.slice(0, 7));
    if (!isPublicComplaint(complaint.data, org)) continue;
    await writeFile(join(site, 'content/complaints', `${complaint.data.id}.md`), `---\ntitle: ${JSON.stringify(complaint.data.title)}\n---\n\n${complaint.body}`);
  }
  for (const month of months) await writeFile(join(site, 'content/reports', `${month}.md`), `---\ntitle: "${month}"\n---\n\n月度公示 ${month}\n`);
}

function which(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

/** The archive as one import commit, for sizes above --history-max (no per-complaint history). */
function commitAll(root: string): void {
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=Bench', '-c', 'user.email=bench@localhost', ...args], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
  git('init', '--quiet', '--initial-branch=main');
  git('add', '-A');
  git('commit', '--quiet', '-m', 'Import archive\n\nComplaints-Import: true');
}

/** Changes the title of the first public complaint, as a handler's edit would (for the incremental rebuild). */
async function touchOnePublicComplaint(root: string): Promise<string | undefined> {
  const archive = await loadArchive(root);
  const complaint = archive.complaints.find((candidate) => isPublicComplaint(candidate.data, archive.org));
  if (!complaint) return undefined;
  await writeFile(join(root, complaint.path), serializeComplaint({ ...complaint.data, title: `${complaint.data.title}（已更新）` }, complaint.body));
  return complaint.path;
}

/** A goal of issue 7 and how a run measured against it. */
export interface Goal {
  size: number;
  goal: string;
  measured: string;
  met: boolean | undefined;
}

/** The ratios issue 7 sets goals for, from one run's measurements. */
export function goalsOf(results: readonly Measurement[]): Goal[] {
  const goals: Goal[] = [];
  const sizes = [...new Set(results.map((result) => result.size))];
  const ratio = (a: Measurement | undefined, b: Measurement | undefined) => (a && b && b.seconds > 0 ? a.seconds / b.seconds : undefined);
  const add = (size: number, goal: string, value: number | undefined, limit: number, unit: 'x' | 's' | '%' | 'MiB') => {
    if (value === undefined) return;
    const shown = unit === 'x' ? `${value.toFixed(2)}×` : unit === 's' ? `${value.toFixed(2)} s` : unit === '%' ? `${(value * 100).toFixed(0)}%` : `${value.toFixed(0)} MiB`;
    goals.push({ size, goal, measured: shown, met: value <= limit });
  };
  for (const size of sizes) {
    const at = (task: string) => results.find((result) => result.size === size && result.task === task && result.note === undefined);
    const floor = at('floor: read + parse YAML');
    add(size, 'validate cold ≤ 2× read+parse floor', ratio(at('validate (cold)'), floor), 2, 'x');
    add(size, 'report cold ≤ 2× read+parse floor', ratio(at('report --year (cold)'), floor), 2, 'x');
    add(size, 'validate warm ≤ 2 s', at('validate (warm)')?.seconds, 2, 's');
    add(size, 'report warm ≤ 2 s', at('report --year (warm)')?.seconds, 2, 's');
    add(size, 'audit ≤ 3× git log --name-status', ratio(at('audit'), at('floor: git log --name-status')), 3, 'x');
    const cold = at('board build (cold)');
    if (size >= 10_000) add(size, 'board build ≤ 60 s', cold?.seconds, 60, 's');
    if (size >= 100_000) add(size, 'board build ≤ 2× Hugo', ratio(cold, at('hugo, same pages')), 2, 'x');
    else if (cold && at('hugo, same pages')) goals.push({ size, goal: 'board build / Hugo (reference)', measured: `${ratio(cold, at('hugo, same pages'))!.toFixed(1)}×`, met: undefined });
    add(size, 'rebuild after one changed complaint ≤ 30% of cold', ratio(at('board rebuild (one complaint changed)'), cold), 0.3, '%');
    const peak = Math.max(...results.filter((result) => result.size === size && result.peakBytes).map((result) => result.peakBytes!));
    if (size >= 100_000 && Number.isFinite(peak)) add(size, 'peak RSS ≤ 2 GB (2048 MiB)', peak / 2 ** 20, 2048, 'MiB');
  }
  return goals;
}

export async function runBenchmark(options: {
  sizes: number[];
  boardMax: number;
  historyMax: number;
  versions: number;
  out: string;
  log: (line: string) => void;
}): Promise<{ results: Measurement[]; goals: Goal[] }> {
  const results: Measurement[] = [];
  const record = (measurement: Measurement) => {
    results.push(measurement);
    options.log(
      `${String(measurement.size).padStart(7)}  ${measurement.task.padEnd(38)} ${measurement.seconds.toFixed(2).padStart(8)} s  ${measurement.peakBytes ? `${(measurement.peakBytes / 2 ** 20).toFixed(0).padStart(6)} MiB` : '          '}${measurement.note ? `  ${measurement.note}` : ''}`,
    );
  };
  options.log(`${'size'.padStart(7)}  ${'task'.padEnd(38)} ${'wall'.padStart(10)}  ${'peak RSS'.padStart(10)}`);
  for (const size of options.sizes) {
    const root = await mkdtemp(join(tmpdir(), `complaints-bench-${size}-`));
    try {
      let started = performance.now();
      await writeArchive(root, size);
      record({ size, task: 'generate archive', seconds: (performance.now() - started) / 1000 });
      const history = size <= options.historyMax;
      started = performance.now();
      const commits = history ? await writeHistory(root, options.versions) : (commitAll(root), 1);
      record({ size, task: history ? `git history (${commits} commits)` : 'git: one import commit', seconds: (performance.now() - started) / 1000 });

      const node = process.execPath;
      const cold = { COMPLAINTS_PARSE_CACHE: '0' };
      record(measure(size, 'floor: read files', node, [FLOOR, 'read', root]));
      record(measure(size, 'floor: read + parse YAML', node, [FLOOR, 'parse', root]));
      record(measure(size, 'validate (cold)', node, [CLI, 'validate', '--root', root], { env: cold }));
      record(measure(size, 'report --year (cold)', node, [CLI, 'report', '--year', '2026', '--root', root, '--now', NOW], { env: cold }));
      record(measure(size, 'validate (fills the parse cache)', node, [CLI, 'validate', '--root', root]));
      record(measure(size, 'validate (warm)', node, [CLI, 'validate', '--root', root]));
      record(measure(size, 'report --year (warm)', node, [CLI, 'report', '--year', '2026', '--root', root, '--now', NOW]));
      record(measure(size, 'sla (warm)', node, [CLI, 'sla', '--root', root, '--now', NOW]));
      if (history) {
        record(measure(size, 'floor: git log --name-status', 'git', ['log', '--name-status', '--format=%H'], { cwd: root }));
        record(measure(size, 'audit', node, [CLI, 'audit', '--root', root]));
      } else {
        options.log(`${String(size).padStart(7)}  audit: history written up to --history-max ${options.historyMax} only — skipped`);
      }
      if (size <= options.boardMax) {
        const board = (name: string) =>
          measure(size, name, node, [ASTRO, 'build', '--outDir', join(root, 'dist')], {
            env: { BOARD_ARCHIVE_ROOT: root, BOARD_CACHE_DIR: join(root, '.astro-cache'), BOARD_NOW: NOW, BASE_URL: '', MODE: '' },
          });
        record(board('board build (cold)'));
        record(board('board build (warm, unchanged)'));
        const changed = await touchOnePublicComplaint(root);
        if (changed) record(board('board rebuild (one complaint changed)'));
        if (which('hugo')) {
          const site = join(root, 'hugo');
          await writeHugoSite(site, root);
          record(measure(size, 'hugo, same pages', 'hugo', ['--quiet', '-s', site, '-d', join(site, 'public')]));
        } else {
          options.log(`${String(size).padStart(7)}  hugo: not installed (apt-get install hugo) — skipped`);
        }
      } else {
        options.log(`${String(size).padStart(7)}  board build: skipped above --board-max ${options.boardMax}`);
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  const goals = goalsOf(results);
  options.log('');
  options.log('goals of issue 7:');
  for (const goal of goals) options.log(`${String(goal.size).padStart(7)}  ${goal.goal.padEnd(52)} ${goal.measured.padStart(9)}  ${goal.met === undefined ? '' : goal.met ? 'met' : 'MISSED'}`);
  await mkdir(dirname(options.out), { recursive: true });
  await writeFile(options.out, `${JSON.stringify({ machine: { cores: (await import('node:os')).cpus().length, node: process.versions.node }, results, goals }, null, 2)}\n`);
  options.log(`wrote ${options.out}`);
  return { results, goals };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1000,10000' },
      'board-max': { type: 'string', default: '10000' },
      'history-max': { type: 'string', default: '10000' },
      versions: { type: 'string', default: '5' },
      out: { type: 'string', default: join(PROJECT_ROOT, 'bench/results.json') },
    },
  });
  const sizes = values.sizes.split(',').map((size) => Number(size.trim()));
  if (sizes.some((size) => !Number.isInteger(size) || size < 40)) {
    console.error('--sizes takes whole numbers of at least 40, e.g. --sizes 1000,10000,100000');
    process.exit(2);
  }
  await runBenchmark({
    sizes,
    boardMax: Number(values['board-max']),
    historyMax: Number(values['history-max']),
    versions: Number(values.versions),
    out: values.out,
    log: (line) => console.log(line),
  });
}
