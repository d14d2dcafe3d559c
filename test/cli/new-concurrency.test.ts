import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listComplaintFiles, parseComplaintFile } from '../../src/archive/archive.ts';
import { runCli } from '../../src/cli/main.ts';
import { gitIn, idsOnMain, sharedArchive, temporaryFolder } from '../git/git-fixture.ts';
import { spawnCli } from './spawn-cli.ts';

const REGISTRATIONS = 20;

describe('complaints new under concurrency', () => {
  it(
    `registers ${REGISTRATIONS} complaints from ${REGISTRATIONS} processes in separate clones at once with distinct ids and none lost`,
    async () => {
      const { bare, clone } = await sharedArchive();
      const clones = await Promise.all(Array.from({ length: REGISTRATIONS }, (_, index) => clone(`clerk${index}`)));
      const titles = clones.map((_, index) => `并发登记测试 concurrent registration ${index}`);

      const started = performance.now();
      const runs = await Promise.all(
        clones.map((root, index) =>
          spawnCli([
            'new',
            '--root', root,
            '--json',
            '--now', '2026-10-05T09:30:00+08:00',
            '--title', titles[index]!,
            '--channel', 'phone',
            '--received-by', `clerk${index}`,
            '--category', 'equipment',
            '--body', `第 ${index} 位来电：楼道灯不亮。`,
          ]),
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      const attempts = runs.map((run) => Number(/attempt (\d+)/.exec(run.stderr)?.[1] ?? 1));
      console.info(`${REGISTRATIONS} concurrent registrations took ${seconds.toFixed(1)} s; attempts per registration: ${attempts.join(' ')}`);

      for (const run of runs) expect(run, run.stderr).toMatchObject({ code: 0 });
      const reported = runs.map((run) => JSON.parse(run.stdout) as { id: string; pushed: boolean; committed: boolean });
      expect(reported.every((result) => result.pushed && result.committed)).toBe(true);
      const expectedIds = Array.from({ length: REGISTRATIONS }, (_, index) => `2026-${String(index + 1).padStart(4, '0')}`);
      expect(reported.map((result) => result.id).sort()).toEqual(expectedIds);
      expect(await idsOnMain(bare)).toEqual(expectedIds);

      const fresh = join(await temporaryFolder('complaints-fresh-'), 'archive');
      await gitIn(bare).clone(bare, fresh, ['--quiet']);
      const files = await listComplaintFiles(fresh);
      expect(files).toHaveLength(REGISTRATIONS);
      const stored = await Promise.all(
        files.map(async (file) => parseComplaintFile(file, await readFile(join(fresh, file), 'utf8')).complaint!),
      );
      expect(stored.map((complaint) => complaint.data.title).sort()).toEqual([...titles].sort());
      for (const complaint of stored) {
        const index = titles.indexOf(complaint.data.title);
        expect(complaint.data.id).toBe(reported[index]!.id);
        expect(complaint.body).toContain(`第 ${index} 位来电`);
      }

      const registrationCommits = (await gitIn(fresh).raw(['log', '--format=%s', 'main'])).split('\n').filter((subject) => subject.startsWith('Register complaint'));
      expect(registrationCommits).toHaveLength(REGISTRATIONS);

      let output = '';
      expect(await runCli(['validate', '--root', fresh], { stdout: (text) => (output += text), stderr: (text) => (output += text) })).toBe(0);
      expect(output).toContain(`${REGISTRATIONS} complaints`);
    },
    120_000,
  );
});
