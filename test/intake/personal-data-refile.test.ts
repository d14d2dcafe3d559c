import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { describe, expect, it } from 'vitest';
import { parseComplaintFile, validateArchive } from '../../src/archive/archive.ts';
import { BASE_LABELS } from '../../src/github/complaint-labels.ts';
import { ensureLabels } from '../../src/github/labels.ts';
import { readWorkflowEvent } from '../../src/github/webhook-event.ts';
import { refiledFrom } from '../../src/intake/personal-data-refile.ts';
import { intakeForEvent, intakeSweep, type IntakeContext } from '../../src/intake/run-intake.ts';
import { decryptContact } from '../../src/privacy/contact.ts';
import { runComplaints } from '../cli/run-cli.ts';
import { idsOnMain, temporaryFolder } from '../git/git-fixture.ts';
import type { FakeGitHub } from '../github/fake-github.ts';
import { issuesEvent } from '../github/webhook-examples.ts';
import { intakeWorld, liftComplaint, type IntakeWorld } from './intake-world.ts';

/**
 * Issue 5 item 11 with an App token allowed to delete issues: an issue with personal data is re-filed
 * as a redacted copy that mentions the complainant, archived against the copy, and deleted through
 * GraphQL's `deleteIssue` — against the fake GitHub server, a real octokit and a real bare remote.
 */

const PHONE = '13812345678';
const ID_NUMBER = '11010519491231002X';
const NODE_ID = 'I_kwDOfake00000005';
const PATH = 'content/complaints/2019/05/2019-0001.md';

interface RecordedMutation {
  query: string;
  variables: { issueId?: string };
}

/** POST /graphql on the fake: the `deleteIssue` mutation, as GitHub answers it; every request recorded. */
function serveDeleteIssue(fake: FakeGitHub): RecordedMutation[] {
  const mutations: RecordedMutation[] = [];
  fake.route('POST', '/graphql', ({ body }) => {
    mutations.push(body);
    const issueId = body?.variables?.issueId;
    const issue = [...fake.issues.values()].find((candidate) => candidate.extra.node_id === issueId);
    if (!/deleteIssue\(input: \{ issueId: \$issueId \}\)/.test(String(body?.query)) || !issue)
      return { status: 200, body: { data: null, errors: [{ type: 'NOT_FOUND', message: `Could not resolve to a node with the global id of '${issueId}'` }] } };
    fake.issues.delete(issue.number);
    for (const comment of fake.commentsOf(issue.number)) fake.comments.splice(fake.comments.indexOf(comment), 1);
    return { status: 200, body: { data: { deleteIssue: { clientMutationId: null } } } };
  });
  return mutations;
}

/** An opened issue #5 whose title and body hold a mobile number and an ID-card number. */
function openIssueWithPersonalData(world: IntakeWorld) {
  const body = liftComplaint({ description: `电梯停运三天了。电话 ${PHONE}，身份证 ${ID_NUMBER}，请联系我。` });
  const payload = issuesEvent('opened', { number: 5, title: `[投诉] 电梯坏了 请回电${PHONE}`, body, labels: ['投诉'] }, world.fake);
  payload.issue.node_id = NODE_ID;
  world.fake.addIssueFromPayload(payload.issue);
  return { payload, body, complainant: payload.issue.user.login as string };
}

function withAppToken(world: IntakeWorld, root: string): IntakeContext {
  return { ...world.context(root), appPort: world.port() };
}

async function fileOnMain(bare: string) {
  const text = await simpleGit({ baseDir: bare }).raw(['show', `main:${PATH}`]);
  return { text, ...parseComplaintFile(PATH, text) };
}

function writes(world: IntakeWorld): number {
  return world.fake.requests.filter((request) => request.method !== 'GET').length;
}

/** Every request body the fake received, as one text. */
function everythingSent(world: IntakeWorld): string {
  return JSON.stringify(world.fake.requests.map((request) => request.body ?? null));
}

async function validateShared(bare: string) {
  const folder = join(await temporaryFolder('complaints-check-'), 'archive');
  await simpleGit().clone(bare, folder, ['--quiet']);
  return validateArchive(folder);
}

describe('re-filing an issue with personal data when an App token may delete issues', () => {
  it('files a redacted copy that mentions the complainant, archives against it, deletes the original, and keeps the raw text decryptable', async () => {
    const world = await intakeWorld();
    const mutations = serveDeleteIssue(world.fake);
    const { payload, body, complainant } = openIssueWithPersonalData(world);

    const outcomes = await intakeForEvent(withAppToken(world, await world.clone('runner')), readWorkflowEvent(JSON.stringify(payload)));

    expect(outcomes).toEqual([expect.objectContaining({ issue: 5, outcome: 'registered', id: '2019-0001' })]);
    expect(world.fake.issues.has(5)).toBe(false);
    expect(mutations).toEqual([{ query: expect.stringContaining('deleteIssue(input: { issueId: $issueId })'), variables: { issueId: NODE_ID } }]);
    expect([...world.fake.issues.keys()]).toEqual([6]);
    const copy = world.fake.issue(6);
    expect(copy.user.type).toBe('Bot');
    expect(copy.title).toBe('[投诉] 电梯坏了 请回电〔已隐去手机号码〕');
    const [marker, firstLine] = copy.body.split('\n');
    expect(marker).toBe('<!-- complaints:intake:refiled-from:5 -->');
    expect(firstLine).toMatch(new RegExp(`^@${complainant} 您好：您提交的议题 #5 含有个人信息，为保护您的隐私，原议题已删除`));
    expect(firstLine).toContain('您的投诉在本议题继续处理');
    expect(copy.body).toContain('电话 〔已隐去手机号码〕，身份证 〔已隐去身份证号码〕');
    expect(new Set(copy.labels)).toEqual(new Set(['投诉', '分类待确认', '分类:设备管理', '紧急程度:一般', '部门:工程部', '状态:已登记']));
    const comments = world.fake.commentsOf(6);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('**投诉编号：2019-0001**');

    const file = await fileOnMain(world.bare);
    expect(file.complaint!.data.source).toEqual({ issue: 6, url: `https://github.com/${world.fake.repository}/issues/6` });
    // Received when the complainant opened the original issue, not when the copy was filed.
    expect(file.complaint!.data.received_at).toBe('2019-05-15T23:20:18+08:00');
    expect(file.text).not.toContain(PHONE);
    const contact = await decryptContact('2019-0001', file.complaint!.data.contact!, [world.identity]);
    expect(contact.original).toBe(`[投诉] 电梯坏了 请回电${PHONE}\n\n${body}`);

    const sent = everythingSent(world);
    expect(sent).not.toContain(PHONE);
    expect(sent).not.toContain(ID_NUMBER);
    expect(sent).not.toMatch(/1[3-9]\d{9}/);
    expect((await validateShared(world.bare)).problems).toEqual([]);
  });

  it('does nothing more on a second run: the sweep, the original event delivered again, or the copy opened event', async () => {
    const world = await intakeWorld();
    await ensureLabels(world.port(), BASE_LABELS); // the sweep creates the base labels a fresh repository lacks
    const mutations = serveDeleteIssue(world.fake);
    const { payload } = openIssueWithPersonalData(world);
    await intakeForEvent(withAppToken(world, await world.clone('runner')), readWorkflowEvent(JSON.stringify(payload)));
    const writesBefore = writes(world);

    const root = await world.clone('second-runner');
    const swept = await intakeSweep(withAppToken(world, root));
    const redelivered = await intakeForEvent(withAppToken(world, root), readWorkflowEvent(JSON.stringify(payload)));
    const copyOpened = issuesEvent('opened', { number: 6, title: world.fake.issue(6).title, body: world.fake.issue(6).body, labels: world.fake.issue(6).labels }, world.fake);
    const ofCopy = await intakeForEvent(withAppToken(world, root), readWorkflowEvent(JSON.stringify(copyOpened)));

    expect(swept).toEqual([]);
    expect(redelivered).toEqual([{ issue: 5, outcome: 'skipped', reason: 'the issue no longer exists (HTTP 404)' }]);
    expect(ofCopy).toEqual([{ issue: 6, outcome: 'already_registered', id: '2019-0001', finished: true }]);
    expect(writes(world)).toBe(writesBefore);
    expect(mutations).toHaveLength(1);
    expect([...world.fake.issues.keys()]).toEqual([6]);
    expect(world.fake.commentsOf(6)).toHaveLength(1);
    expect(await idsOnMain(world.bare)).toEqual(['2019-0001']);
  });

  it('when the delete is refused, fails the run and the sweep later deletes the original without filing a second copy', async () => {
    const world = await intakeWorld();
    const mutations = serveDeleteIssue(world.fake);
    const { payload } = openIssueWithPersonalData(world);
    world.fake.inject({ status: 403, match: { method: 'POST', path: /^\/graphql$/ }, body: { message: 'Resource not accessible by integration' } });

    const failed = await intakeForEvent(withAppToken(world, await world.clone('runner')), readWorkflowEvent(JSON.stringify(payload)));

    expect(failed).toEqual([expect.objectContaining({ issue: 5, outcome: 'failed', error: expect.stringContaining('archived as 2019-0001, but the issue could not be updated') })]);
    expect(world.fake.issues.has(5)).toBe(true);

    const swept = await intakeSweep(withAppToken(world, await world.clone('scheduled')));

    expect(swept).toEqual([{ issue: 5, outcome: 'already_registered', id: '2019-0001', finished: true }]);
    expect(mutations.map((mutation) => mutation.variables.issueId)).toEqual([NODE_ID]);
    expect([...world.fake.issues.keys()]).toEqual([6]);
    expect(world.fake.commentsOf(6)).toHaveLength(1);
    expect(await idsOnMain(world.bare)).toEqual(['2019-0001']);
    expect((await fileOnMain(world.bare)).complaint!.data.source?.issue).toBe(6);
  });

  it('without an App token keeps the issue, redacts it in place and labels it for a supervisor', async () => {
    const world = await intakeWorld();
    const mutations = serveDeleteIssue(world.fake);
    const { payload } = openIssueWithPersonalData(world);

    const outcomes = await intakeForEvent(world.context(await world.clone('runner')), readWorkflowEvent(JSON.stringify(payload)));

    expect(outcomes).toEqual([expect.objectContaining({ issue: 5, outcome: 'registered', id: '2019-0001' })]);
    expect(mutations).toEqual([]);
    expect([...world.fake.issues.keys()]).toEqual([5]);
    expect(world.fake.issue(5).title).toBe('[投诉] 电梯坏了 请回电〔已隐去手机号码〕');
    expect(world.fake.issue(5).labels).toContain('个人信息待处理');
    expect((await fileOnMain(world.bare)).complaint!.data.source?.issue).toBe(5);
  });

  it('complaints intake re-files with COMPLAINTS_APP_TOKEN from the environment', async () => {
    const world = await intakeWorld();
    const mutations = serveDeleteIssue(world.fake);
    openIssueWithPersonalData(world);
    const root = await world.clone('runner');
    const env = { ...process.env, GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: world.fake.repository, GITHUB_API_URL: world.fake.url };

    const result = await runComplaints(['intake', '--issue', '5', '--skip-dispatch', '--root', root], { env: { ...env, COMPLAINTS_APP_TOKEN: 'test-token' } });

    expect(result.stdout).toBe('#5: registered 2019-0001 (content/complaints/2019/05/2019-0001.md)（已登记）\n');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('issue #5: deleted, edit history included（原议题已删除）');
    expect(mutations.map((mutation) => mutation.variables.issueId)).toEqual([NODE_ID]);
    expect([...world.fake.issues.keys()]).toEqual([6]);
  });
});

describe('recognising a re-filed copy', () => {
  it.each([
    ['a bot issue starting with the marker', { type: 'Bot', body: '<!-- complaints:intake:refiled-from:12 -->\n@resident 您好' }, 12],
    ['a person who typed the marker', { type: 'User', body: '<!-- complaints:intake:refiled-from:12 -->\n电梯' }, undefined],
    ['a bot issue with the marker further down', { type: 'Bot', body: '每日盘点\n<!-- complaints:intake:refiled-from:12 -->' }, undefined],
    ['a bot issue naming issue zero', { type: 'Bot', body: '<!-- complaints:intake:refiled-from:0 -->' }, undefined],
  ])('%s', (_case, { type, body }, expected) => {
    expect(refiledFrom({ author: { login: 'someone', type }, body })).toBe(expected);
  });
});
