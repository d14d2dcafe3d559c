import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goalsOf, runBenchmark, type Goal, type Measurement } from '../../scripts/bench/run.ts';

/**
 * The benchmark as a smoke test (issue 7): a small archive through every measured command, checking
 * that each ran and produced a number — not how fast it was (timed assertions flake).
 */
let folder: string;
let results: Measurement[];
let goals: Goal[];
let lines: string[];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'complaints-bench-smoke-'));
  lines = [];
  ({ results, goals } = await runBenchmark({ sizes: [60, 61], boardMax: 0, historyMax: 60, versions: 3, out: join(folder, 'results.json'), log: (line) => lines.push(line) }));
}, 180_000);

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('npm run bench on a small archive', () => {
  it('measures every command and floor, each finishing without an error', () => {
    const commands = [
      'floor: read files',
      'floor: read + parse YAML',
      'validate (cold)',
      'report --year (cold)',
      'validate (fills the parse cache)',
      'validate (warm)',
      'report --year (warm)',
      'sla (warm)',
    ];
    expect(results.filter((result) => result.size === 60).map((result) => result.task)).toEqual([
      'generate archive',
      // 60 complaints × 3 versions, plus the organisation.
      'git history (181 commits)',
      ...commands,
      'floor: git log --name-status',
      'audit',
    ]);
    // Above --history-max: one import commit, and no audit.
    expect(results.filter((result) => result.size === 61).map((result) => result.task)).toEqual(['generate archive', 'git: one import commit', ...commands]);
    for (const result of results) {
      expect(result.note, result.task).toBeUndefined();
      expect(result.seconds, result.task).toBeGreaterThan(0);
    }
  });

  it('compares the run with the goals of issue 7 as ratios', () => {
    expect(goals.filter((goal) => goal.size === 60).map((goal) => goal.goal)).toEqual([
      'validate cold ≤ 2× read+parse floor',
      'report cold ≤ 2× read+parse floor',
      'validate warm ≤ 2 s',
      'report warm ≤ 2 s',
      'audit ≤ 3× git log --name-status',
    ]);
    const at = (task: string) => results.find((result) => result.size === 60 && result.task === task)!.seconds;
    expect(goals[0]!.measured).toBe(`${(at('validate (cold)') / at('floor: read + parse YAML')).toFixed(2)}×`);
    expect(lines.some((line) => /validate cold ≤ 2× read\+parse floor/.test(line))).toBe(true);
  });

  it('reports the peak memory of the Node commands it runs', () => {
    for (const task of ['validate (cold)', 'validate (warm)', 'report --year (warm)', 'sla (warm)', 'audit']) {
      expect(results.find((result) => result.task === task)?.peakBytes, task).toBeGreaterThan(10 * 2 ** 20);
    }
  });

  it('prints a table, says what it skipped, and writes the results as JSON', async () => {
    expect(lines.some((line) => /board build: skipped above --board-max 0/.test(line))).toBe(true);
    expect(lines.some((line) => /audit: history written up to --history-max 60 only — skipped/.test(line))).toBe(true);
    const written = JSON.parse(await readFile(join(folder, 'results.json'), 'utf8')) as { results: Measurement[]; goals: Goal[] };
    expect(written.results).toEqual(results);
    expect(written.goals).toEqual(goals);
  });
});

describe('the goals of issue 7 from measurements', () => {
  const measured = (size: number, task: string, seconds: number, peakBytes?: number): Measurement => ({ size, task, seconds, ...(peakBytes ? { peakBytes } : {}) });

  it('marks each goal met or missed by its ratio, the board against Hugo at 100,000 complaints', () => {
    const goals = goalsOf([
      measured(100_000, 'floor: read + parse YAML', 10),
      measured(100_000, 'validate (cold)', 19),
      measured(100_000, 'report --year (cold)', 25),
      measured(100_000, 'validate (warm)', 1.5),
      measured(100_000, 'board build (cold)', 100, 3 * 2 ** 30),
      measured(100_000, 'hugo, same pages', 40),
      measured(100_000, 'board rebuild (one complaint changed)', 20),
    ]);
    expect(goals.map(({ goal, measured, met }) => [goal, measured, met])).toEqual([
      ['validate cold ≤ 2× read+parse floor', '1.90×', true],
      ['report cold ≤ 2× read+parse floor', '2.50×', false],
      ['validate warm ≤ 2 s', '1.50 s', true],
      ['board build ≤ 60 s', '100.00 s', false],
      ['board build ≤ 2× Hugo', '2.50×', false],
      ['rebuild after one changed complaint ≤ 30% of cold', '20%', true],
      ['peak RSS ≤ 2 GB (2048 MiB)', '3072 MiB', false],
    ]);
  });

  it('leaves out goals whose measurements failed or were skipped', () => {
    expect(goalsOf([measured(1000, 'floor: read + parse YAML', 1), { ...measured(1000, 'validate (cold)', 1), note: 'exit 1: broken' }])).toEqual([]);
  });
});
