import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchmark, type Measurement } from '../../scripts/bench/run.ts';

/**
 * The benchmark as a smoke test (issue 7): a small archive through every measured command, checking
 * that each ran and produced a number — not how fast it was (timed assertions flake).
 */
let folder: string;
let results: Measurement[];
let lines: string[];

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'complaints-bench-smoke-'));
  lines = [];
  results = await runBenchmark({ sizes: [60], boardMax: 0, versions: 3, out: join(folder, 'results.json'), log: (line) => lines.push(line) });
}, 180_000);

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('npm run bench on a small archive', () => {
  it('measures every command and floor, each finishing without an error', () => {
    expect(results.map((result) => result.task)).toEqual([
      'generate archive',
      'floor: read files',
      'floor: read + parse YAML',
      'validate',
      'validate (again)',
      'report --year 2026',
      'sla',
      // 60 complaints × 3 versions, plus the organisation.
      'git history (181 commits)',
      'floor: git log --name-status',
      'audit',
    ]);
    for (const result of results) {
      expect(result.note, result.task).toBeUndefined();
      expect(result.seconds, result.task).toBeGreaterThan(0);
    }
  });

  it('reports the peak memory of the Node commands it runs', () => {
    for (const task of ['validate', 'report --year 2026', 'sla', 'audit']) {
      expect(results.find((result) => result.task === task)?.peakBytes, task).toBeGreaterThan(10 * 2 ** 20);
    }
  });

  it('prints a table, says what it skipped, and writes the results as JSON', async () => {
    expect(lines.some((line) => /board build: skipped above --board-max 0/.test(line))).toBe(true);
    const written = JSON.parse(await readFile(join(folder, 'results.json'), 'utf8')) as { results: Measurement[] };
    expect(written.results).toEqual(results);
  });
});
