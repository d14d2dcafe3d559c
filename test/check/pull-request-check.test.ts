import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../src/check/pull-request-check.ts';
import type { ComplaintData } from '../../src/core/complaint/schema.ts';
import { gitIn, temporaryFolder } from '../git/git-fixture.ts';
import { runComplaints } from '../cli/run-cli.ts';
import { startFakeGitHub, type FakeGitHub } from '../github/fake-github.ts';
import { webhookExample } from '../github/webhook-examples.ts';
import { archiveRepository, branchFromMain, commitAll, complaint, event, ORG_YAML, pathOf, removeFile, writeComplaintFile } from './archive-fixture.ts';

/**
 * The pull-request check on real Git repositories: a base commit on main, a head commit on a branch,
 * `complaints check --base main --head <branch>` as a handler would run it, and with the real
 * `pull_request` payload shape against the local GitHub stand-in for the summary comment.
 */

/** Noon on Monday 2026-10-12 in Shanghai, when the tests say the check runs. */
const NOW = '2026-10-12T12:00:00+08:00';

const lift = complaint();
const leak = complaint({
  id: '2026-0002',
  title: '楼顶渗水',
  category: 'housing',
  department: undefined,
  assignees: [],
  source: { issue: 8 },
  events: [{ at: '2026-10-12T09:00:00+08:00', type: 'received', by: 'issue-intake' }],
});
const noise = complaint({
  id: '2026-0003',
  title: '小区夜间噪音',
  category: 'environment',
  department: 'customer_service',
  assignees: ['cs-zheng'],
  source: { issue: 9 },
  events: [
    { at: '2026-10-12T09:00:00+08:00', type: 'received', by: 'issue-intake' },
    event('accepted', '2026-10-12T09:20', 'cs-zheng'),
    event('assigned', '2026-10-12T09:25', 'cs-zheng', { department: 'customer_service' }),
  ],
});

async function repository(): Promise<string> {
  return archiveRepository([lift, leak, noise]);
}

/** Makes a branch from main with `change` applied and committed. */
async function pullRequest(root: string, branch: string, change: () => Promise<unknown>): Promise<void> {
  await branchFromMain(root, branch);
  await change();
  await commitAll(root, `Change on ${branch}`);
}

async function check(root: string, branch: string, author?: string): Promise<{ code: number; report: CheckReport; stderr: string }> {
  const result = await runComplaints(['check', '--root', root, '--base', 'main', '--head', branch, '--now', NOW, '--json', ...(author ? ['--author', author] : [])]);
  return { code: result.code, report: JSON.parse(result.stdout) as CheckReport, stderr: result.stderr };
}

function kinds(report: CheckReport): string[] {
  return report.problems.map((problem) => problem.kind);
}

function withEvents(data: ComplaintData, ...events: ComplaintData['events']): ComplaintData {
  return { ...data, events: [...data.events, ...events] };
}

describe('the pull-request check on a Git repository', () => {
  it('passes a handler’s legal next step and lists the state change, the new event and the remaining clocks', async () => {
    const root = await repository();
    await pullRequest(root, 'investigate', () => writeComplaintFile(root, withEvents(lift, event('investigated', '2026-10-12T11:00', 'eng-zhao'))));

    const { code, report } = await check(root, 'investigate', 'eng-zhao');

    expect(code).toBe(0);
    expect(report.problems).toEqual([]);
    expect(report.changes).toHaveLength(1);
    expect(report.changes[0]).toMatchObject({
      path: 'content/complaints/2026/10/2026-0001.md',
      change: 'modified',
      id: '2026-0001',
      stateBefore: 'assigned',
      stateAfter: 'investigating',
      addedEvents: [{ type: 'investigated', by: 'eng-zhao' }],
    });
    // 001 §4.6.2 (online, same day) and 003 §(二)2 (general, 24 h): the reply clock still runs; first_response stopped at "investigated".
    expect(report.changes[0]!.clocks.map((clock) => [clock.clock, clock.due, clock.state])).toEqual([['reply', '2026-10-12T17:30:00+08:00', 'ok']]);

    const human = await runComplaints(['check', '--root', root, '--base', 'main', '--head', 'investigate', '--now', NOW, '--author', 'eng-zhao']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('✅ 检查通过');
    expect(human.stdout).toContain('#### 2026-0001 3号楼电梯停运（修改）');
    expect(human.stdout).toContain('- 状态：已分派 → 处理中');
    expect(human.stdout).toContain('  - 2026年10月12日 11:00 调查核实（eng-zhao）');
    expect(human.stdout).toContain('| 答复投诉人 | 当日 | 2026年10月12日 17:30 | 正常 |');
  });

  it('refuses a head file that does not validate, with its line', async () => {
    const root = await repository();
    await pullRequest(root, 'bad-category', () => writeComplaintFile(root, { ...lift, category: 'lifts' }));

    const { code, report } = await check(root, 'bad-category', 'eng-zhao');

    expect(code).toBe(1);
    const lines = (await readFile(join(root, pathOf(lift)), 'utf8')).split('\n');
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'invalid', file: pathOf(lift), line: lines.indexOf('category: lifts') + 1, message: expect.stringContaining('unknown category "lifts"') }),
    ]);
  });

  it('refuses an appended event the state machine does not allow, reported once as a transition', async () => {
    const root = await repository();
    await pullRequest(root, 'close-early', () => writeComplaintFile(root, withEvents(lift, event('closed', '2026-10-12T11:00', 'eng-zhao'))));

    const { code, report } = await check(root, 'close-early', 'eng-zhao');

    expect(code).toBe(1);
    const transitions = report.problems.filter((problem) => problem.kind === 'transition');
    expect(transitions.map((problem) => problem.message)).toEqual([expect.stringContaining('illegal transition: "closed" cannot follow state "assigned"')]);
    expect(report.problems.filter((problem) => problem.message === transitions[0]!.message)).toHaveLength(1);
  });

  it.each([
    {
      name: 'a rewritten event',
      change: (data: ComplaintData) => ({ ...data, events: data.events.map((item, index) => (index === 1 ? { ...item, at: '2026-10-12T09:10:00+08:00' } : item)) }),
      message: 'the recorded event events.1 ("accepted" at 2026-10-12T09:30:00+08:00) was changed',
    },
    {
      name: 'a removed event',
      change: (data: ComplaintData) => ({ ...data, events: data.events.slice(0, 2), department: 'engineering' }),
      message: '1 recorded event(s) from events.2 on were removed',
    },
  ])('refuses $name: the handling record is only appended to', async ({ change, message }) => {
    const root = await repository();
    await pullRequest(root, 'rewrite', () => writeComplaintFile(root, change(lift)));

    const { code, report } = await check(root, 'rewrite', 'eng-zhao');

    expect(code).toBe(1);
    expect(report.problems.filter((problem) => problem.kind === 'transition').map((problem) => problem.message)).toEqual([expect.stringContaining(message)]);
  });

  it('accepts the same instant written with another offset as an unchanged event', async () => {
    const root = await repository();
    const rewritten = { ...lift, events: lift.events.map((item, index) => (index === 1 ? { ...item, at: '2026-10-12T01:30:00Z' } : item)) };
    await pullRequest(root, 'utc', () => writeComplaintFile(root, withEvents(rewritten, event('investigated', '2026-10-12T11:00', 'eng-zhao'))));

    expect((await check(root, 'utc', 'eng-zhao')).report.problems).toEqual([]);
  });

  it('refuses deleting a complaint file', async () => {
    const root = await repository();
    await pullRequest(root, 'delete', () => removeFile(root, pathOf(noise)));

    const { code, report } = await check(root, 'delete', 'cs-zheng');

    expect(code).toBe(1);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'deleted', file: pathOf(noise), message: expect.stringContaining('never deleted') })]);
    expect(report.changes).toEqual([expect.objectContaining({ change: 'deleted', id: '2026-0003', stateBefore: 'assigned' })]);
  });

  it('refuses moving a complaint file, and names where it went', async () => {
    const root = await repository();
    const moved = 'content/complaints/2026/11/2026-0001.md';
    await pullRequest(root, 'move', async () => {
      await removeFile(root, pathOf(lift));
      await writeComplaintFile(root, lift, undefined, moved);
    });

    const { code, report } = await check(root, 'move', 'eng-zhao');

    expect(code).toBe(1);
    expect(kinds(report)).toContain('renamed');
    expect(report.problems.find((problem) => problem.kind === 'renamed')!.message).toContain(`moved to ${moved}`);
    expect(report.changes).toEqual([expect.objectContaining({ change: 'renamed', path: pathOf(lift), renamedTo: moved })]);
    // The moved file's path no longer matches its month of receipt: validate says so too.
    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'invalid', file: moved, message: expect.stringContaining('does not match its id and month of receipt') }));
  });

  it.each([
    { field: 'channel', value: 'phone', label: '投诉渠道：登记后不可修改' },
    { field: 'received_by', value: 'someone-else', label: '受理人：登记后不可修改' },
    { field: 'received_at', value: '2026-10-12T08:00:00+08:00', label: '受理时间：登记后不可修改' },
    { field: 'id', value: '2026-0099', label: '投诉编号：登记后不可修改' },
  ])('refuses an edit of the immutable field $field', async ({ field, value, label }) => {
    const root = await repository();
    await pullRequest(root, 'immutable', () => writeComplaintFile(root, { ...lift, [field]: value } as ComplaintData, undefined, pathOf(lift)));

    const { code, report } = await check(root, 'immutable', 'eng-zhao');

    expect(code).toBe(1);
    const immutable = report.problems.filter((problem) => problem.kind === 'immutable');
    expect(immutable).toEqual([expect.objectContaining({ file: pathOf(lift), message: expect.stringContaining(label) })]);
    expect(immutable[0]!.message).toContain(`${field}: changed from`);
  });

  it('refuses a change by someone who is neither a handler of the department nor a supervisor', async () => {
    const root = await repository();
    await pullRequest(root, 'outsider', () => writeComplaintFile(root, withEvents(lift, event('investigated', '2026-10-12T11:00', 'cs-zheng'))));

    const { code, report } = await check(root, 'outsider', 'cs-zheng');

    expect(code).toBe(1);
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'permission', file: pathOf(lift), message: expect.stringContaining('"cs-zheng", who is neither a handler of 工程部 (engineering) nor a supervisor') }),
    ]);
  });

  it.each([
    { who: 'a supervisor', author: 'qa-jiang' },
    { who: 'a handler of the department, whatever the case of the login', author: 'ENG-Qian' },
  ])('accepts the change when made by $who', async ({ author }) => {
    const root = await repository();
    await pullRequest(root, 'allowed', () => writeComplaintFile(root, withEvents(lift, event('investigated', '2026-10-12T11:00', 'eng-qian'))));

    expect((await check(root, 'allowed', author)).report.problems).toEqual([]);
  });

  it('lets the handlers of the department a category is routed to take a complaint no department has yet', async () => {
    const root = await repository();
    const accepted = { ...withEvents(leak, event('accepted', '2026-10-12T10:00', 'eng-zhao'), event('assigned', '2026-10-12T10:05', 'eng-zhao', { department: 'engineering' })), department: 'engineering', assignees: ['eng-zhao'] };
    await pullRequest(root, 'take', () => writeComplaintFile(root, accepted));

    expect((await check(root, 'take', 'eng-zhao')).report.problems).toEqual([]);
    expect(kinds((await check(root, 'take', 'cs-zheng')).report)).toEqual(['permission']);
  });

  it('lets either side of a transfer make it', async () => {
    const root = await repository();
    const transferred = { ...withEvents(lift, event('transferred', '2026-10-12T11:00', 'eng-zhao', { department: 'customer_service' })), department: 'customer_service', assignees: ['cs-zheng'] };
    await pullRequest(root, 'transfer', () => writeComplaintFile(root, transferred));

    expect((await check(root, 'transfer', 'eng-zhao')).report.problems).toEqual([]);
    expect((await check(root, 'transfer', 'cs-zheng')).report.problems).toEqual([]);
  });

  it('judges permissions by the base’s org.yaml, so a pull request cannot make its author a handler', async () => {
    const root = await repository();
    await pullRequest(root, 'self-appoint', async () => {
      await writeFile(join(root, 'content/org.yaml'), ORG_YAML.replace('handlers: [eng-zhao, eng-qian]', 'handlers: [eng-zhao, eng-qian, cs-zheng]'));
      await writeComplaintFile(root, withEvents(lift, event('investigated', '2026-10-12T11:00', 'cs-zheng')));
    });

    const { report } = await check(root, 'self-appoint', 'cs-zheng');

    expect(report.organisationChanged).toBe(true);
    expect(report.problems.map((problem) => [problem.kind, problem.file])).toEqual([
      ['permission', 'content/complaints/2026/10/2026-0001.md'],
      ['permission', 'content/org.yaml'],
    ]);
  });

  it('validates a complaint registered in the pull request and needs a handler of its routed department', async () => {
    const root = await repository();
    const phoned = complaint({
      id: '2026-0004',
      title: '车库照明损坏',
      channel: 'phone',
      received_by: 'eng-zhao',
      category: 'equipment',
      department: undefined,
      assignees: [],
      source: undefined,
      received_at: '2026-10-12T10:00:00+08:00',
      events: [{ at: '2026-10-12T10:00:00+08:00', type: 'received', by: 'eng-zhao' }],
    });
    await pullRequest(root, 'register', () => writeComplaintFile(root, phoned));

    const byHandler = await check(root, 'register', 'eng-zhao');
    expect(byHandler.code).toBe(0);
    expect(byHandler.report.changes).toEqual([expect.objectContaining({ change: 'added', id: '2026-0004', stateAfter: 'received' })]);
    expect(kinds((await check(root, 'register', 'cs-zheng')).report)).toEqual(['permission']);
  });

  it('refuses a new file whose id is already taken (the archive-wide checks run on the head)', async () => {
    const root = await repository();
    await pullRequest(root, 'clash', () => writeComplaintFile(root, { ...leak, id: '2026-0001' }, undefined, 'content/complaints/2026/10/2026-0001-copy.md'));

    const { report } = await check(root, 'clash', 'eng-zhao');

    expect(report.problems).toContainEqual(expect.objectContaining({ kind: 'invalid', file: 'content/complaints/2026/10/2026-0001-copy.md', message: expect.stringContaining('duplicate id "2026-0001"') }));
  });

  it('measures the pull request from where it branched: later commits on main are not its changes', async () => {
    const root = await repository();
    await pullRequest(root, 'feature', () => writeComplaintFile(root, withEvents(lift, event('investigated', '2026-10-12T11:00', 'eng-zhao'))));
    await gitIn(root).raw(['checkout', '--quiet', 'main']);
    await removeFile(root, pathOf(noise));
    await commitAll(root, 'A deletion on main');

    const { report } = await check(root, 'feature', 'eng-zhao');

    expect(report.problems).toEqual([]);
    expect(report.changes.map((change) => change.id)).toEqual(['2026-0001']);
  });

  it('without an author says that permissions were not checked', async () => {
    const root = await repository();
    await pullRequest(root, 'anonymous', () => writeComplaintFile(root, withEvents(lift, event('investigated', '2026-10-12T11:00', 'cs-zheng'))));

    const result = await runComplaints(['check', '--root', root, '--base', 'main', '--head', 'anonymous', '--now', NOW]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('本次未检查修改权限');
  });

  it('ignores files that are not complaint changes, and refuses other files among the complaints', async () => {
    const root = await repository();
    await pullRequest(root, 'stray', async () => {
      await mkdir(join(root, 'content/reports'), { recursive: true });
      await writeFile(join(root, 'content/reports/2026-10.md'), '# 报告\n');
      await writeFile(join(root, 'content/complaints/2026/10/notes.txt'), 'scratch\n');
    });

    const { report } = await check(root, 'stray', 'eng-zhao');

    expect(report.problems).toEqual([expect.objectContaining({ kind: 'invalid', file: 'content/complaints/2026/10/notes.txt' })]);
    expect(report.changes).toEqual([]);
  });

  it('is bad usage (exit 2) for a commit that does not exist', async () => {
    const root = await repository();
    const result = await runComplaints(['check', '--root', root, '--base', 'main', '--head', 'no-such-branch']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('rev-parse no-such-branch');
  });
});

describe('the pull-request check on GitHub', () => {
  const fakes: FakeGitHub[] = [];
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
  });

  /** The real `pull_request.opened` payload, adapted in the fields the check reads: number, author, base and head. */
  async function payloadFile(root: string, fake: FakeGitHub, number: number, author: string, branch: string): Promise<string> {
    const payload = webhookExample('pull_request', 'opened');
    const git = gitIn(root);
    payload.number = number;
    payload.pull_request.number = number;
    payload.pull_request.user.login = author;
    payload.pull_request.base.sha = (await git.raw(['rev-parse', 'main'])).trim();
    payload.pull_request.head.sha = (await git.raw(['rev-parse', branch])).trim();
    payload.repository.full_name = fake.repository;
    const file = join(await temporaryFolder('complaints-event-'), 'event.json');
    await writeFile(file, JSON.stringify(payload));
    return file;
  }

  it('posts one summary comment on the pull request and edits it on the next push', async () => {
    const fake = await startFakeGitHub({ token: 'test-token' });
    fakes.push(fake);
    fake.addIssue({ number: 12, title: '处理 2026-0001', pullRequest: true, user: { login: 'eng-zhao', type: 'User' } });
    const env = { ...process.env, GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: fake.repository, GITHUB_API_URL: fake.url };
    const root = await repository();
    await pullRequest(root, 'pr-12', () => writeComplaintFile(root, withEvents(lift, event('closed', '2026-10-12T11:00', 'eng-zhao'))));

    const first = await runComplaints(['check', '--root', root, '--event', await payloadFile(root, fake, 12, 'eng-zhao', 'pr-12'), '--now', NOW], { env });
    expect(first.code).toBe(1);
    expect(fake.commentsOf(12)).toHaveLength(1);
    expect(fake.commentsOf(12)[0]!.body).toMatch(/^<!-- complaints:check:summary -->\n### 投诉档案检查\n\n❌ 发现 \d+ 个问题/);
    expect(fake.commentsOf(12)[0]!.body).toContain('**处理记录**');

    // The handler fixes the record; the same pull request is checked again.
    await writeComplaintFile(root, withEvents(lift, event('investigated', '2026-10-12T11:00', 'eng-zhao')));
    await commitAll(root, 'Fix the record');
    const second = await runComplaints(['check', '--root', root, '--event', await payloadFile(root, fake, 12, 'eng-zhao', 'pr-12'), '--now', NOW], { env });
    expect(second.code).toBe(0);
    expect(fake.commentsOf(12)).toHaveLength(1);
    expect(fake.commentsOf(12)[0]!.body).toContain('✅ 检查通过');
    const again = await runComplaints(['check', '--root', root, '--event', await payloadFile(root, fake, 12, 'eng-zhao', 'pr-12'), '--now', NOW], { env });
    expect(again.code).toBe(0);
    expect(fake.requests.filter((request) => request.method === 'PATCH' || request.method === 'POST').length).toBe(2);
  });

  it('still reports the result when the token cannot comment (a fork’s read-only token)', async () => {
    const fake = await startFakeGitHub({ token: 'test-token' });
    fakes.push(fake);
    fake.addIssue({ number: 13, title: 'fork', pullRequest: true });
    fake.inject({ status: 403, match: { method: 'POST', path: /\/comments$/ }, body: { message: 'Resource not accessible by integration' }, times: 10 });
    const env = { ...process.env, GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: fake.repository, GITHUB_API_URL: fake.url };
    const root = await repository();
    await pullRequest(root, 'fork', () => writeComplaintFile(root, withEvents(lift, event('investigated', '2026-10-12T11:00', 'eng-zhao'))));

    const result = await runComplaints(['check', '--root', root, '--event', await payloadFile(root, fake, 13, 'eng-zhao', 'fork'), '--now', NOW], { env });

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('could not post the summary on #13');
    expect(await readFile(join(root, 'content/org.yaml'), 'utf8')).toBe(ORG_YAML);
  });
});
