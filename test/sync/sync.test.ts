import { describe, expect, it } from 'vitest';
import type { ComplaintData } from '../../src/core/complaint/schema.ts';
import { readSyncEvent } from '../../src/sync/push-event.ts';
import { runSync, SYNC_RECORD_KIND } from '../../src/sync/run-sync.ts';
import type { FakeGitHub } from '../github/fake-github.ts';
import { workflowDispatchEvent } from '../github/webhook-examples.ts';
import { runComplaints } from '../cli/run-cli.ts';
import { archiveRepository, commitAll, complaint, event, writeComplaintFile } from '../check/archive-fixture.ts';
import { githubWorld, pushEvent, writes } from './github-world.ts';

/**
 * The sync against the local GitHub stand-in (real octokit) with real `push` payload shapes: pushes
 * to main in a real repository, the tracking issues' comments, labels and open/closed state after
 * each run, re-runs that write nothing, and a run that catches up on a push whose own run was dropped.
 */

const lift = complaint();
const leak = complaint({
  id: '2026-0002',
  title: '楼顶渗水',
  category: 'equipment',
  reported_category: 'equipment',
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
});

const INTERNAL_NOTE = '内部：控制板型号 XK-3，供应商报价待批';
const BODY_TEXT = '电梯停运，老人上下楼困难。';

/** The lift complaint answered: investigated, replied (with a public note and an internal one). */
const liftReplied: ComplaintData = {
  ...lift,
  events: [
    ...lift.events,
    event('investigated', '2026-10-12T11:00', 'eng-zhao', { note: INTERNAL_NOTE }),
    event('replied', '2026-10-12T15:00', 'eng-zhao', { public_note: '已更换电梯控制板，电梯恢复运行。', note: INTERNAL_NOTE }),
  ],
  reply: { at: '2026-10-12T15:00:00+08:00', by: 'eng-zhao', method: 'online', summary: '已更换控制板' },
};

/** …visited (satisfied) and closed. */
const liftClosed: ComplaintData = {
  ...liftReplied,
  events: [...liftReplied.events, event('visited', '2026-10-13T10:00', 'eng-zhao'), event('closed', '2026-10-13T10:30', 'eng-zhao', { public_note: '回访满意，投诉办结。' })],
  visit: { at: '2026-10-13T10:00:00+08:00', method: 'phone', satisfied: true, score: 5 },
  closure: { at: '2026-10-13T10:30:00+08:00', basis: 'satisfied' },
  corrective_action: '每月检查电梯控制板',
  lessons: '备件库存不足会拖延维修',
};

/** …and reopened after the complainant said the lift stopped again. */
const liftReopened: ComplaintData = {
  ...liftClosed,
  events: [...liftClosed.events, event('reopened', '2026-10-14T09:00', 'qa-jiang', { public_note: '电梯再次停运，重新处理。' })],
  closure: undefined,
};

const INTAKE_LABELS = ['投诉', '分类:设备管理', '紧急程度:一般', '部门:工程部', '状态:已分派'];

async function world() {
  const { fake, port } = await githubWorld();
  fake.addIssue({ number: 7, title: '3号楼电梯停运', labels: [...INTAKE_LABELS, '业主群反映'], assignees: ['eng-zhao'] });
  fake.addIssue({ number: 8, title: '楼顶渗水', labels: ['投诉', '分类:设备管理', '分类待确认', '紧急程度:一般', '状态:已登记'] });
  fake.addIssue({ number: 9, title: '小区夜间噪音', labels: ['投诉', '分类:环境管理', '紧急程度:一般', '部门:客户服务中心', '状态:已分派'] });
  const root = await archiveRepository([lift, leak, noise]);
  const log: string[] = [];
  const sync = async (payload: Record<string, any>) => runSync({ root, port: port(), log: (line) => log.push(line) }, { event: readSyncEvent(JSON.stringify(payload)) });
  return { fake, root, sync, log };
}

async function push(root: string, message: string, ...complaints: ComplaintData[]): Promise<string> {
  for (const data of complaints) await writeComplaintFile(root, data);
  return commitAll(root, message);
}

function botComments(fake: FakeGitHub, issue: number): string[] {
  return fake.commentsOf(issue).map((comment) => comment.body);
}

describe('the sync on push to main', () => {
  it('comments the public part of the change, sets the labels the state calls for, and records what it synced', async () => {
    const { fake, root, sync } = await world();
    const before = await commitAll(root, 'nothing yet');
    const after = await push(
      root,
      'Handle 2026-0001 and 2026-0002',
      liftReplied,
      { ...leak, category: 'housing', department: 'engineering', assignees: ['eng-zhao'], events: [...leak.events, event('accepted', '2026-10-12T10:00', 'eng-zhao'), event('assigned', '2026-10-12T10:05', 'eng-zhao', { department: 'engineering' })] },
    );

    const result = await sync(pushEvent(fake, before, after));

    expect(result.outcomes.map((outcome) => [outcome.issue, outcome.outcome])).toEqual([
      [7, 'updated'],
      [8, 'updated'],
    ]);
    const [comment] = botComments(fake, 7);
    expect(botComments(fake, 7)).toHaveLength(1);
    expect(comment).toBe(
      [
        '<!-- complaints:sync:2026-0001:5 -->',
        '**投诉 2026-0001 处理进展**',
        '',
        '状态：已分派 → 已答复',
        '',
        '新的处理记录：',
        '',
        '- 2026年10月12日 11:00 调查核实',
        '- 2026年10月12日 15:00 答复投诉人：已更换电梯控制板，电梯恢复运行。',
        '',
      ].join('\n'),
    );
    expect(comment).not.toContain(INTERNAL_NOTE);
    expect(comment).not.toContain(BODY_TEXT);
    expect(comment).not.toContain('eng-zhao');
    // Labels follow the file; the label people added by hand stays.
    expect(fake.issue(7).labels.sort()).toEqual(['业主群反映', '投诉', '分类:设备管理', '紧急程度:一般', '状态:已答复', '部门:工程部'].sort());
    // A handler set the category: the guess label goes, the category and department labels follow.
    expect(fake.issue(8).labels.sort()).toEqual(['投诉', '分类:房屋管理', '紧急程度:一般', '状态:已分派', '部门:工程部'].sort());
    expect(fake.issue(7).state).toBe('open');
    expect(result.recorded).toBe(after);
    const dashboard = [...fake.issues.values()].find((issue) => issue.labels.includes('时限看板'))!;
    expect(dashboard.user.type).toBe('Bot');
    expect(botComments(fake, dashboard.number)).toEqual([expect.stringContaining(`<!-- complaints:${SYNC_RECORD_KIND} -->`)]);
    expect(botComments(fake, dashboard.number)[0]).toContain(`<!-- synced-commit ${after} -->`);
  });

  it('writes nothing when run again for the same push', async () => {
    const { fake, root, sync } = await world();
    const before = await commitAll(root, 'nothing yet');
    const after = await push(root, 'Reply', liftReplied);
    await sync(pushEvent(fake, before, after));
    const written = writes(fake);

    const again = await sync(pushEvent(fake, before, after));

    expect(again.outcomes).toEqual([]);
    expect(writes(fake)).toBe(written);
    expect(botComments(fake, 7)).toHaveLength(1);
  });

  it('a re-run after the record was lost updates nothing twice', async () => {
    const { fake, root, sync } = await world();
    const before = await commitAll(root, 'nothing yet');
    const after = await push(root, 'Reply', liftReplied);
    await sync(pushEvent(fake, before, after));
    const dashboard = [...fake.issues.values()].find((issue) => issue.labels.includes('时限看板'))!;
    fake.comments.splice(fake.comments.findIndex((item) => item.issue === dashboard.number), 1);
    const written = writes(fake);

    const again = await sync(pushEvent(fake, before, after));

    expect(again.outcomes.map((outcome) => outcome.outcome)).toEqual(['unchanged']);
    // Only the record is written again.
    expect(writes(fake)).toBe(written + 1);
    expect(botComments(fake, 7)).toHaveLength(1);
  });

  it('closes the issue when the complaint closes and reopens it when the complaint is reopened', async () => {
    const { fake, root, sync } = await world();
    const start = await commitAll(root, 'nothing yet');
    const replied = await push(root, 'Reply', liftReplied);
    await sync(pushEvent(fake, start, replied));
    const closed = await push(root, 'Close', liftClosed);

    await sync(pushEvent(fake, replied, closed));

    expect(fake.issue(7).state).toBe('closed');
    expect(fake.issue(7).labels).toContain('状态:已关闭');
    expect(botComments(fake, 7).at(-1)).toContain('状态：已答复 → 已关闭');
    expect(botComments(fake, 7).at(-1)).toContain('本投诉已办结，本页随之关闭');
    expect(botComments(fake, 7).at(-1)).toContain('- 2026年10月13日 10:30 关闭：回访满意，投诉办结。');

    const reopened = await push(root, 'Reopen', liftReopened);
    await sync(pushEvent(fake, closed, reopened));

    expect(fake.issue(7).state).toBe('open');
    expect(fake.issue(7).labels).toContain('状态:处理中');
    expect(botComments(fake, 7).at(-1)).toContain('本投诉已重新处理，本页重新打开。');
    expect(botComments(fake, 7)).toHaveLength(3);
  });

  it('leaves an issue a person closed alone while its complaint does not change state', async () => {
    const { fake, root, sync } = await world();
    const start = await commitAll(root, 'nothing yet');
    fake.issue(9).state = 'closed';
    const changed = await push(root, 'Note', { ...noise, events: [...noise.events, event('escalated', '2026-10-12T16:00', 'qa-jiang', { public_note: '主管督办' })] });

    await sync(pushEvent(fake, start, changed));

    expect(fake.issue(9).state).toBe('closed');
    expect(botComments(fake, 9)).toEqual([expect.stringContaining('状态：已分派（未变）')]);
  });

  it('catches up on a push whose own run was cancelled while pending', async () => {
    const { fake, root, sync } = await world();
    const start = await commitAll(root, 'nothing yet');
    const first = await push(root, 'Reply', liftReplied);
    await sync(pushEvent(fake, start, first));
    const second = await push(root, 'Close 2026-0001', liftClosed);
    // The run for the second push was cancelled by the concurrency group; the third push's run comes next.
    const third = await push(root, 'Withdraw 2026-0003', { ...noise, events: [...noise.events, event('withdrawn', '2026-10-13T11:00', 'cs-zheng', { public_note: '投诉人撤回' })] });

    const result = await sync(pushEvent(fake, second, third));

    expect(result.from).toBe(first);
    expect(result.outcomes.map((outcome) => outcome.issue).sort()).toEqual([7, 9]);
    expect(fake.issue(7).state).toBe('closed');
    expect(fake.issue(9).state).toBe('closed');
    expect(fake.issue(9).labels).toContain('状态:已撤回');
  });

  it('records a starting point on a manual run with no record and no range, and syncs from it later', async () => {
    const { fake, root, sync } = await world();
    const start = await commitAll(root, 'nothing yet');
    const dispatched = await sync(workflowDispatchEvent(fake));
    expect(dispatched.recorded).toBe(start);
    expect(dispatched.outcomes).toEqual([]);
    const later = await push(root, 'Reply', liftReplied);

    const result = await sync(workflowDispatchEvent(fake));

    expect(result.from).toBe(start);
    expect(result.to).toBe(later);
    expect(botComments(fake, 7)).toHaveLength(1);
  });

  it('previews a range without GitHub (--dry-run)', async () => {
    const { root } = await world();
    const start = await commitAll(root, 'nothing yet');
    await push(root, 'Reply', liftReplied);

    const result = await runComplaints(['sync', '--root', root, '--base', start, '--dry-run']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('#7 2026-0001: labels 分类:设备管理, 紧急程度:一般, 部门:工程部, 状态:已答复');
    expect(result.stdout).toContain('    状态：已分派 → 已答复');
  });
});
