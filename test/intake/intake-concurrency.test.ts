import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { describe, expect, it } from 'vitest';
import { validateArchive } from '../../src/archive/archive.ts';
import { BASE_LABELS, complaintLabels } from '../../src/github/complaint-labels.ts';
import { ensureLabels } from '../../src/github/labels.ts';
import { readWorkflowEvent } from '../../src/github/webhook-event.ts';
import { intakeForEvent, intakeSweep, type IntakeOutcome } from '../../src/intake/run-intake.ts';
import { readOrg } from '../../src/archive/archive.ts';
import { spawnCli } from '../cli/spawn-cli.ts';
import { idsOnMain, temporaryFolder } from '../git/git-fixture.ts';
import { issuesEvent } from '../github/webhook-examples.ts';
import { intakeWorld, liftComplaint, type IntakeWorld } from './intake-world.ts';

/**
 * Issue 5 item 9: intake never loses an issue and never archives one twice, whatever runs at the
 * same time. GitHub's `concurrency:` group would drop runs of a burst; these tests run intake with no
 * such help, against one shared bare repository.
 */

/** A pre-receive hook that declines every fifth push it sees, as a flaky server or a ruleset would. */
const DECLINE_EVERY_FIFTH_PUSH = `#!/bin/sh
n=$(( $(cat push-count 2>/dev/null || echo 0) + 1 ))
echo "$n" > push-count
if [ $((n % 5)) -eq 0 ]; then echo "push $n declined" >&2; exit 1; fi
exit 0
`;

const SUBJECTS = ['电梯停运', '楼道灯不亮', '垃圾没人清理', '楼上装修噪音', '车库积水', '门禁坏了', '绿化带被占', '水压太低', '保安不巡逻', '物业费收据'];

/** Files the shared archive holds on main, parsed. */
async function complaintsOnMain(world: IntakeWorld) {
  const folder = join(await temporaryFolder('complaints-result-'), 'archive');
  await simpleGit().clone(world.bare, folder, ['--quiet']);
  const validated = await validateArchive(folder);
  return { folder, validated };
}

function addIssues(world: IntakeWorld, count: number, first = 1): Record<string, any>[] {
  return Array.from({ length: count }, (_, index) => {
    const number = first + index;
    const subject = SUBJECTS[index % SUBJECTS.length]!;
    const payload = issuesEvent(
      'opened',
      { number, title: `[投诉] ${subject} ${number}`, body: liftComplaint({ description: `第 ${number} 位居民反映：${subject}，已经好几天了。` }), labels: ['投诉'] },
      world.fake,
    );
    world.fake.addIssueFromPayload(payload.issue);
    return payload;
  });
}

/** Checks that every issue 1…count is archived exactly once and has exactly one tracking comment naming its id. */
async function expectEveryIssueArchivedOnce(world: IntakeWorld, count: number): Promise<void> {
  const { validated } = await complaintsOnMain(world);
  expect(validated.problems).toEqual([]);
  const expectedIds = Array.from({ length: count }, (_, index) => `2019-${String(index + 1).padStart(4, '0')}`);
  expect(await idsOnMain(world.bare)).toEqual(expectedIds);
  const byIssue = new Map(validated.complaints.map((complaint) => [complaint.data.source!.issue!, complaint.data.id]));
  expect([...byIssue.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, index) => index + 1));
  for (let number = 1; number <= count; number += 1) {
    const comments = world.fake.commentsOf(number);
    expect(comments, `issue #${number}`).toHaveLength(1);
    expect(comments[0]!.body).toContain(`投诉编号：${byIssue.get(number)}`);
    expect(world.fake.issue(number).labels).toContain('状态:已登记');
  }
}

describe('intake under concurrency', () => {
  it('archives 20 issues whose runs start at once against a remote that declines some pushes: 20 distinct ids, nothing lost, no duplicate comments', async () => {
    const world = await intakeWorld({ preReceiveHook: DECLINE_EVERY_FIFTH_PUSH });
    const payloads = addIssues(world, 20);
    const roots = await Promise.all(payloads.map((_, index) => world.clone(`run${index + 1}`)));

    const started = performance.now();
    const outcomes = await Promise.all(payloads.map((payload, index) => intakeForEvent(world.context(roots[index]!), readWorkflowEvent(JSON.stringify(payload)))));
    const concurrentSeconds = (performance.now() - started) / 1000;
    const first = outcomes.flat();
    expect(first.every((outcome) => outcome.outcome === 'registered' || outcome.outcome === 'failed')).toBe(true);
    const declined = first.filter((outcome) => outcome.outcome === 'failed');
    // A declined push fails its run loudly and posts nothing.
    for (const outcome of declined) {
      expect(outcome).toMatchObject({ error: expect.stringContaining('did not land') });
      expect(world.fake.commentsOf(outcome.issue)).toEqual([]);
    }

    // The scheduled sweep picks up what the failed runs left; the remote keeps declining every fifth push.
    const sweeps: IntakeOutcome[][] = [];
    for (let round = 1; round <= 10 && (await idsOnMain(world.bare)).length < 20; round += 1)
      sweeps.push(await intakeSweep(world.context(await world.clone(`sweep${round}`))));
    console.info(
      `20 concurrent intakes took ${concurrentSeconds.toFixed(1)} s; ${declined.length} declined; attempts: ${first.map((outcome) => (outcome.outcome === 'registered' ? outcome.attempts : 'x')).join(' ')}; sweeps needed: ${sweeps.length}`,
    );

    await expectEveryIssueArchivedOnce(world, 20);
  }, 120_000);

  it('archives every issue when 10 intake processes start at once, and the sweep archives an issue whose run never happened', async () => {
    const world = await intakeWorld();
    const payloads = addIssues(world, 10);
    const orphan = addIssues(world, 1, 11)[0]!; // its run was dropped: never started
    const org = await readOrg(await world.clone('labels'));
    // The labels exist from earlier complaints, as in a running repository (creating them is tested elsewhere).
    const expected = [...BASE_LABELS, ...complaintLabels({ category: 'equipment', urgency: 'general', department: 'engineering', events: [{ at: '2019-05-15T23:20:18+08:00', type: 'received', by: 'x' }] } as never, org)];
    await ensureLabels(world.port(), expected);
    const folder = await temporaryFolder('complaints-events-');
    const started = performance.now();
    const env = {
      ...process.env,
      GITHUB_TOKEN: 'test-token',
      GITHUB_REPOSITORY: world.fake.repository,
      GITHUB_API_URL: world.fake.url,
      GITHUB_REF_NAME: 'main',
    };
    const runs = await Promise.all(
      payloads.map(async (payload, index) => {
        const root = await world.clone(`process${index + 1}`);
        const eventFile = join(folder, `event-${index + 1}.json`);
        await writeFile(eventFile, JSON.stringify(payload));
        return spawnCli(['intake', '--event', eventFile, '--root', root, '--json'], { env });
      }),
    );
    console.info(`10 intake processes at once took ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const run of runs) expect(run, run.stderr).toMatchObject({ code: 0 });
    const reported = runs.map((run) => JSON.parse(run.stdout) as { ok: boolean; outcomes: IntakeOutcome[] });
    expect(reported.flatMap((result) => result.outcomes.map((outcome) => outcome.outcome))).toEqual(Array(10).fill('registered'));
    expect(await idsOnMain(world.bare)).toHaveLength(10);
    expect(world.fake.commentsOf(orphan.issue.number)).toEqual([]);

    const swept = await intakeSweep(world.context(await world.clone('sweep')));

    expect(swept).toEqual([expect.objectContaining({ issue: 11, outcome: 'registered', id: '2019-0011' })]);
    await expectEveryIssueArchivedOnce(world, 11);
    // Each process that archived something dispatched the board deploy: pushes with GITHUB_TOKEN start no workflow.
    expect(world.fake.dispatches).toEqual(Array(10).fill({ workflow: 'pages.yml', ref: 'main', inputs: {} }));
  }, 120_000);
});
