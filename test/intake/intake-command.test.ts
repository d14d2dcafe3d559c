import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_LABELS } from '../../src/github/complaint-labels.ts';
import { ensureLabels } from '../../src/github/labels.ts';
import { runComplaints } from '../cli/run-cli.ts';
import { temporaryFolder } from '../git/git-fixture.ts';
import { formBody, intakeWorld } from './intake-world.ts';

const ENV = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'octo-org/complaints', GITHUB_API_URL: 'http://127.0.0.1:9' };

describe('complaints intake', () => {
  it.each([
    [[], 'give exactly one of --event FILE, --issue N or --sweep'],
    [['--issue', '3', '--sweep'], 'give exactly one of'],
    [['--issue', 'abc'], '--issue must be an issue number'],
  ])('refuses %j as bad usage', async (args, message) => {
    const result = await runComplaints(['intake', ...args], { env: ENV });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it.each([
    [{ ...ENV, GITHUB_TOKEN: '' }, 'GITHUB_TOKEN is not set'],
    [{ ...ENV, GITHUB_REPOSITORY: 'just-a-name' }, 'GITHUB_REPOSITORY: expected a repository as "owner/name"'],
  ])('refuses to run without a token and a repository (%#)', async (env, message) => {
    const result = await runComplaints(['intake', '--sweep'], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('refuses an event file that is not JSON', async () => {
    const file = join(await temporaryFolder('complaints-event-'), 'event.json');
    await writeFile(file, '{ not json');
    const result = await runComplaints(['intake', '--event', file], { env: ENV });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read the event payload');
  });

  it('takes one issue by number and says what became of it', async () => {
    const world = await intakeWorld();
    await ensureLabels(world.port(), BASE_LABELS);
    world.fake.addIssue({ number: 5, title: '[投诉] ', body: formBody('complaint', {}), labels: ['投诉'] });
    const root = await world.clone('runner');

    const result = await runComplaints(['intake', '--issue', '5', '--root', root], {
      env: { ...process.env, GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: world.fake.repository, GITHUB_API_URL: world.fake.url },
    });

    expect(result.stdout).toBe('#5: not registered, 2 problem(s) commented（待补充信息）\n');
    expect(result.code).toBe(0);
    expect(world.fake.issue(5).labels).toEqual(['投诉', '需补充信息']);
    expect(world.fake.dispatches).toEqual([]);
  });
});
