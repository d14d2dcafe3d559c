import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { simpleGit } from 'simple-git';
import { describe, expect, it } from 'vitest';
import { parseComplaintFile, validateArchive } from '../../src/archive/archive.ts';
import { readWorkflowEvent } from '../../src/github/webhook-event.ts';
import { dispatchAfterIntake, intakeForEvent, intakeSweep } from '../../src/intake/run-intake.ts';
import { decryptContact } from '../../src/privacy/contact.ts';
import { idsOnMain, temporaryFolder } from '../git/git-fixture.ts';
import { issuesEvent, workflowDispatchEvent } from '../github/webhook-examples.ts';
import { formBody, intakeWorld, liftComplaint, type IntakeWorld } from './intake-world.ts';

/** Runs intake for a payload as the workflow does: the event file's text in, outcomes out. */
async function runEvent(world: IntakeWorld, root: string, payload: unknown) {
  return intakeForEvent(world.context(root), readWorkflowEvent(JSON.stringify(payload)));
}

/** A complaint file as the shared archive holds it on main. */
async function fileOnMain(bare: string, path: string) {
  const text = await simpleGit({ baseDir: bare }).raw(['show', `main:${path}`]);
  return { text, ...parseComplaintFile(path, text) };
}

/** A fresh clone of the shared archive, validated as `complaints validate` would. */
async function validateShared(bare: string) {
  const folder = join(await temporaryFolder('complaints-check-'), 'archive');
  await simpleGit().clone(bare, folder, ['--quiet']);
  return validateArchive(folder);
}

function writes(world: IntakeWorld) {
  return world.fake.requests.filter((request) => request.method !== 'GET').length;
}

describe('intake of a complaint issue', () => {
  it('turns an opened issue (the real webhook payload) into a pushed file, one tracking comment with the time limits, labels and assignees', async () => {
    const world = await intakeWorld();
    const payload = issuesEvent('opened', { number: 7, title: '[投诉] 3号楼电梯停运', body: liftComplaint(), labels: ['投诉'] }, world.fake);
    world.fake.addIssueFromPayload(payload.issue);
    const root = await world.clone('runner');

    const outcomes = await runEvent(world, root, payload);

    expect(outcomes).toEqual([{ issue: 7, outcome: 'registered', id: '2019-0001', path: 'content/complaints/2019/05/2019-0001.md', attempts: 1 }]);
    const file = await fileOnMain(world.bare, 'content/complaints/2019/05/2019-0001.md');
    expect(file.problems).toEqual([]);
    expect(file.complaint!.data).toMatchObject({
      id: '2019-0001',
      title: '3号楼电梯停运',
      channel: 'online',
      // The example issue was created at 2019-05-15T15:20:18Z: 23:20 in Shanghai.
      received_at: '2019-05-15T23:20:18+08:00',
      received_by: 'issue-intake',
      source: { issue: 7, url: `https://github.com/${world.fake.repository}/issues/7` },
      project: 'cuiyuan',
      location: '3 号楼 2 单元',
      category: 'equipment',
      reported_category: 'equipment',
      urgency: 'general',
      department: 'engineering',
      events: [{ type: 'received', at: '2019-05-15T23:20:18+08:00', by: 'issue-intake' }],
    });
    expect(file.complaint!.data.events[0]!.note).toContain('分类“设备管理”由系统根据关键词（电梯）推测');
    expect(file.complaint!.body).toBe(
      '3 号楼 2 单元电梯从 10 月 3 日起停运，老人上下楼很困难，至今无人维修。\n\n## 投诉人诉求\n\n尽快修好电梯。\n\n## 回访意愿\n\n需要：处理完成后请回访我\n',
    );
    const log = await simpleGit({ baseDir: world.bare }).raw(['log', '--format=%s', 'main']);
    expect(log.split('\n')[0]).toBe('Register complaint 2019-0001 (登记投诉 2019-0001)');

    const comments = world.fake.commentsOf(7);
    expect(comments).toHaveLength(1);
    const comment = comments[0]!;
    expect(comment.user.type).toBe('Bot');
    expect(comment.body).toContain('**投诉编号：2019-0001**');
    // 001 §4.5.4: acknowledged within 4 h; an online complaint at 23:20 is answered by the end of the next working day.
    expect(comment.body).toContain('| 网上投诉礼貌回应 | 4 小时 | 2019年5月16日 03:20');
    expect(comment.body).toContain('| 答复投诉人 | 当日 | 2019年5月16日 17:30');
    expect(comment.body).toContain('| 首次响应 | 24 小时 | 2019年5月16日 23:20');
    expect(comment.body).toContain('分类：设备管理（系统根据“电梯”等词推测，工作人员会核实）');
    expect(comment.body).toContain('责任部门：工程部');
    expect(comment.body).toContain('https://example.github.io/complaints/how-to-complain/');

    const issue = world.fake.issue(7);
    expect(new Set(issue.labels)).toEqual(new Set(['投诉', '分类待确认', '分类:设备管理', '紧急程度:一般', '部门:工程部', '状态:已登记']));
    expect(world.fake.labels.get('分类:设备管理')).toEqual({ name: '分类:设备管理', color: 'c5def5', description: '投诉分类' });
    expect(world.fake.labels.get('状态:已登记')?.color).toBe('1d76db');
    expect(issue.assignees).toEqual(expect.arrayContaining(['eng-zhao', 'eng-qian']));

    expect(await dispatchAfterIntake(world.port(), 'main', outcomes)).toEqual([]);
    expect(world.fake.dispatches).toEqual([{ workflow: 'pages.yml', ref: 'main', inputs: {} }]);
    expect((await validateShared(world.bare)).problems).toEqual([]);
  });

  it('does nothing at all when the same opened event is delivered again', async () => {
    const world = await intakeWorld();
    const payload = issuesEvent('opened', { number: 3, title: '[投诉] 电梯停运', body: liftComplaint(), labels: ['投诉'] }, world.fake);
    world.fake.addIssueFromPayload(payload.issue);
    const root = await world.clone('runner');
    await runEvent(world, root, payload);
    const writesBefore = writes(world);

    const again = await runEvent(world, await world.clone('second-runner'), payload);

    expect(again).toEqual([{ issue: 3, outcome: 'already_registered', id: '2019-0001', finished: true }]);
    expect(writes(world)).toBe(writesBefore);
    expect(world.fake.commentsOf(3)).toHaveLength(1);
    expect(await idsOnMain(world.bare)).toEqual(['2019-0001']);
  });

  it('lists every problem of an invalid issue in one zh-CN comment with the 需补充信息 label, and archives it once the body is fixed', async () => {
    const world = await intakeWorld();
    const broken = formBody('complaint', { category: '不确定', urgency: '十万火急', visit: '需要：处理完成后请回访我' });
    const opened = issuesEvent('opened', { number: 11, title: '[投诉] ', body: broken, labels: ['投诉'] }, world.fake);
    world.fake.addIssueFromPayload(opened.issue);
    const root = await world.clone('runner');

    const first = await runEvent(world, root, opened);

    expect(first[0]).toMatchObject({ issue: 11, outcome: 'needs_information' });
    const comments = world.fake.commentsOf(11);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('您好，您的投诉暂时无法登记');
    expect(comments[0]!.body).toContain('1. 请选择“所在项目”，可选：翠苑小区、国贸大厦。');
    expect(comments[0]!.body).toContain('2. “紧急程度”中的“十万火急”不在可选范围内');
    expect(comments[0]!.body).toContain('3. 请填写“发生了什么”');
    expect(world.fake.issue(11).labels).toEqual(['投诉', '需补充信息']);
    expect(await idsOnMain(world.bare)).toEqual([]);

    // A second run (a labelled event, the sweep) edits nothing and adds no comment.
    await intakeSweep(world.context(root));
    expect(world.fake.commentsOf(11)).toHaveLength(1);

    world.fake.editIssueBody(11, liftComplaint({ category: '设备管理' }));
    const edited = issuesEvent('edited', { number: 11, title: '[投诉] ', body: world.fake.issue(11).body, labels: world.fake.issue(11).labels }, world.fake);
    edited.changes = { body: { from: broken } };
    const second = await runEvent(world, root, edited);

    expect(second[0]).toMatchObject({ issue: 11, outcome: 'registered', id: '2019-0001' });
    const after = world.fake.commentsOf(11);
    expect(after).toHaveLength(2);
    expect(after[0]!.body).toContain('以上问题已解决，投诉已登记，编号 2019-0001。');
    expect(after[1]!.body).toContain('投诉编号：2019-0001');
    expect(world.fake.issue(11).labels).not.toContain('需补充信息');
    expect(world.fake.issue(11).labels).not.toContain('分类待确认');
    const file = await fileOnMain(world.bare, 'content/complaints/2019/05/2019-0001.md');
    // The issue's title was only the form's prefix: the title comes from the first words of the text.
    expect(file.complaint!.data.title).toBe('3 号楼 2 单元电梯从 10 月 3 日起停运，老人上下…');
  });

  it('redacts personal data in the archive, keeps the raw text encrypted, and tells the complainant without repeating it', async () => {
    const world = await intakeWorld();
    const phone = '13812345678';
    const idNumber = '11010519491231002X';
    const body = liftComplaint({ description: `电梯停运三天了。我姓王，电话 ${phone}，身份证 ${idNumber}，请尽快联系我。` });
    const payload = issuesEvent('opened', { number: 5, title: `[投诉] 电梯坏了 请回电${phone}`, body, labels: ['投诉'] }, world.fake);
    world.fake.addIssueFromPayload(payload.issue);
    const root = await world.clone('runner');

    const outcomes = await runEvent(world, root, payload);

    expect(outcomes[0]).toMatchObject({ outcome: 'registered', id: '2019-0001' });
    const file = await fileOnMain(world.bare, 'content/complaints/2019/05/2019-0001.md');
    expect(file.text).not.toContain(phone);
    expect(file.text).not.toContain(idNumber);
    expect(file.complaint!.data.title).toBe('电梯坏了 请回电〔已隐去手机号码〕');
    expect(file.complaint!.body).toContain('电话 〔已隐去手机号码〕，身份证 〔已隐去身份证号码〕');
    const contact = await decryptContact('2019-0001', file.complaint!.data.contact!, [world.identity]);
    expect(contact.original).toBe(`[投诉] 电梯坏了 请回电${phone}\n\n${body}`);

    const texts = world.fake.commentsOf(5).map((comment) => comment.body);
    expect(texts).toHaveLength(2);
    const notice = texts.find((text) => text.includes('为保护您的隐私'))!;
    expect(notice).toContain('手机号码、身份证号码');
    expect(notice).toContain('Delete revision from history');
    expect(notice).toContain('@qa-jiang');
    for (const text of texts) {
      expect(text).not.toContain(phone);
      expect(text).not.toMatch(/1[3-9]\d[\d*]{6,}\d/);
      expect(text).not.toContain('1949');
    }
    const issue = world.fake.issue(5);
    expect(issue.body).not.toContain(phone);
    expect(issue.title).toBe('[投诉] 电梯坏了 请回电〔已隐去手机号码〕');
    // The earlier revision stays in GitHub's edit history: that is what the supervisor must delete.
    expect(issue.bodyHistory[0]).toContain(phone);
    expect(issue.labels).toContain('个人信息待处理');
    expect((await validateShared(world.bare)).problems).toEqual([]);
  });

  it('registers a staff form from a staff member with its channel, receipt time, receiver and number of complainants', async () => {
    const world = await intakeWorld();
    const body = formBody('staff', {
      channel: '来电',
      received_at: '2026-10-04 15:20',
      received_by: 'cs-zheng',
      complainants: '3',
      anonymous: '否',
      project: '国贸大厦',
      location: 'B1 停车场',
      category: '安全管理',
      urgency: '一般：服务态度、噪音、卫生等需要尽快处理的问题',
      description: '三位租户来电反映 B1 停车场夜间无人巡逻，车辆被刮。',
    });
    const payload = issuesEvent('opened', { number: 21, title: '[线下登记] 停车场无人巡逻', body, labels: ['投诉', '线下登记'] }, world.fake);
    world.fake.addIssueFromPayload(payload.issue); // the example's author is the repository's OWNER
    const root = await world.clone('runner');

    const outcomes = await runEvent(world, root, payload);

    expect(outcomes[0]).toMatchObject({ outcome: 'registered', id: '2026-0001', path: 'content/complaints/2026/10/2026-0001.md' });
    const file = await fileOnMain(world.bare, 'content/complaints/2026/10/2026-0001.md');
    expect(file.complaint!.data).toMatchObject({
      channel: 'phone',
      received_at: '2026-10-04T15:20:00+08:00',
      received_by: 'cs-zheng',
      complainants: 3,
      project: 'guomao',
      category: 'security',
      department: 'security',
      urgency: 'general',
    });
    expect(world.fake.commentsOf(21)[0]!.body).toMatch(/^<!-- complaints:intake:registered -->\n已登记为投诉，\*\*投诉编号：2026-0001\*\*。/);
    expect(world.fake.issue(21).assignees).toContain('sec-sun');
  });

  it('refuses the staff form from someone who is not staff, with one comment saying so', async () => {
    const world = await intakeWorld();
    const payload = issuesEvent('opened', { number: 4, title: '[线下登记] 冒充', body: formBody('staff', { channel: '来电' }), labels: ['投诉', '线下登记'] }, world.fake);
    payload.issue.author_association = 'NONE';
    payload.issue.user.login = 'stranger';
    world.fake.addIssueFromPayload(payload.issue);

    const outcomes = await runEvent(world, await world.clone('runner'), payload);

    expect(outcomes[0]).toMatchObject({ outcome: 'needs_information', problems: [expect.stringContaining('仅供工作人员使用')] });
    expect(world.fake.commentsOf(4)).toHaveLength(1);
    expect(await idsOnMain(world.bare)).toEqual([]);
  });

  it('lists an open complaint of the same project and category with similar text as a possible duplicate', async () => {
    const world = await intakeWorld();
    const root = await world.clone('runner');
    const first = issuesEvent('opened', { number: 1, title: '[投诉] 3号楼电梯又坏了', body: liftComplaint({ description: '3号楼电梯又坏了，停了两天。' }), labels: ['投诉'] }, world.fake);
    world.fake.addIssueFromPayload(first.issue);
    await runEvent(world, root, first);
    const second = issuesEvent('opened', { number: 2, title: '[投诉] 电梯停运', body: liftComplaint({ description: '3号楼的电梯停运两天没人修。' }), labels: ['投诉'] }, world.fake);
    world.fake.addIssueFromPayload(second.issue);

    const outcomes = await runEvent(world, root, second);

    expect(outcomes[0]).toMatchObject({ outcome: 'registered', id: '2019-0002' });
    const comment = world.fake.commentsOf(2)[0]!.body;
    expect(comment).toContain('可能是同一事项');
    expect(comment).toMatch(/- 2019-0001（#1），相似度 0\.\d\d/);
    expect(world.fake.issue(2).labels).toContain('可能重复');
    expect(world.fake.issue(1).labels).not.toContain('可能重复');
  });

  it('changes nothing when a registered issue is edited, and skips labels other than the complaint label', async () => {
    const world = await intakeWorld();
    const root = await world.clone('runner');
    const opened = issuesEvent('opened', { number: 8, title: '[投诉] 电梯', body: liftComplaint(), labels: ['投诉'] }, world.fake);
    world.fake.addIssueFromPayload(opened.issue);
    await runEvent(world, root, opened);
    const writesBefore = writes(world);

    world.fake.editIssueBody(8, liftComplaint({ description: '补充：今天又停了。' }));
    const edited = await runEvent(world, root, issuesEvent('edited', { number: 8, title: '[投诉] 电梯', body: world.fake.issue(8).body, labels: ['投诉'] }, world.fake));
    const labelled = await runEvent(world, root, issuesEvent('labeled', { number: 8, title: '[投诉] 电梯', body: world.fake.issue(8).body, labels: ['其他'] }, world.fake));

    expect(edited).toEqual([{ issue: 8, outcome: 'already_registered', id: '2019-0001', finished: false }]);
    expect(labelled).toEqual([{ issue: 8, outcome: 'skipped', reason: 'nothing to do for "labeled"' }]);
    expect(writes(world)).toBe(writesBefore);
  });

  it('fails the run when the push is declined, leaves no commit behind, and the sweep archives the issue later', async () => {
    const world = await intakeWorld({ preReceiveHook: '#!/bin/sh\necho "ruleset: pushes are blocked" >&2\nexit 1\n' });
    const payload = issuesEvent('opened', { number: 9, title: '[投诉] 电梯', body: liftComplaint(), labels: ['投诉'] }, world.fake);
    world.fake.addIssueFromPayload(payload.issue);
    const root = await world.clone('runner');

    const failed = await runEvent(world, root, payload);

    expect(failed[0]).toMatchObject({ issue: 9, outcome: 'failed', error: expect.stringContaining('did not land') });
    expect(world.fake.commentsOf(9)).toEqual([]);
    const git = simpleGit({ baseDir: root });
    expect((await git.raw(['rev-parse', 'HEAD'])).trim()).toBe((await git.raw(['rev-parse', 'origin/main'])).trim());
    expect(await git.raw(['status', '--porcelain'])).toBe('');

    await rm(join(world.bare, 'hooks', 'pre-receive'));
    const swept = await intakeForEvent(world.context(await world.clone('scheduled')), readWorkflowEvent(JSON.stringify(workflowDispatchEvent(world.fake))));

    expect(swept).toEqual([expect.objectContaining({ issue: 9, outcome: 'registered', id: '2019-0001' })]);
    expect(world.fake.commentsOf(9)).toHaveLength(1);
  });
});
