import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseOrg } from '../../src/archive/archive.ts';
import { chineseDaysSource } from '../../src/calendar/chinese-days.ts';
import { workingCalendar } from '../../src/core/calendar.ts';
import type { ComplaintData } from '../../src/core/complaint/schema.ts';
import { keyDigest, remindersDue, remindersInEffect, type ReminderRecord } from '../../src/reminders/due-reminders.ts';
import { readReminderRecord } from '../../src/reminders/dashboard.ts';
import { runReminders } from '../../src/reminders/run-reminders.ts';
import type { FakeGitHub } from '../github/fake-github.ts';
import { runComplaints } from '../cli/run-cli.ts';
import { archiveRepository, complaint, event, ORG_YAML } from '../check/archive-fixture.ts';
import { githubWorld } from '../sync/github-world.ts';

/**
 * The SLA reminders: the pure rules (which reminders are in effect when, and which are due since the
 * last run) as tables and a property, and the hourly job against the local GitHub stand-in with a
 * fake `now`: run twice at the same moment, then after missed hours, then the next night.
 */

const org = parseOrg(ORG_YAML).org!;
const calendar = workingCalendar(org, chineseDaysSource);

/** Shanghai wall-clock time as a Date. */
function at(local: string): Date {
  return new Date(`${local}:00+08:00`);
}

/** Online, general, assigned to eng-zhao, tracked by #7: reply due the same day at 17:30 (001 §4.6.2), first response within 24 h (003). */
const lift = complaint();
/** Five residents together: a hot complaint (001 §4.6.3.3, ≥ 3-person collective), tracked by #8. */
const collective = complaint({
  id: '2026-0002',
  title: '小区停水',
  complainants: 5,
  source: { issue: 8 },
  events: [{ at: '2026-10-12T09:00:00+08:00', type: 'received', by: 'issue-intake' }, event('accepted', '2026-10-12T09:10', 'eng-zhao')],
  department: 'engineering',
  assignees: [],
});
/** A phone complaint registered by staff, without a tracking issue: its reminders go to the dashboard. */
const phoned = complaint({
  id: '2026-0003',
  title: '车库照明损坏',
  channel: 'phone',
  received_by: 'cs-zheng',
  category: 'environment',
  department: 'customer_service',
  assignees: ['cs-zheng'],
  source: undefined,
  events: [
    { at: '2026-10-12T09:00:00+08:00', type: 'received', by: 'cs-zheng' },
    event('accepted', '2026-10-12T09:05', 'cs-zheng'),
    event('assigned', '2026-10-12T09:06', 'cs-zheng', { department: 'customer_service' }),
  ],
});

function inEffect(complaints: readonly ComplaintData[], now: Date) {
  return remindersInEffect(complaints, org, calendar, now).map((item) => `${item.id} ${item.clock ?? item.duty} ${item.kind} → ${item.audience.join(',')}`);
}

describe('which reminders are in effect', () => {
  it.each([
    { now: '2026-10-12T12:00', expected: [] },
    // The reply window is 09:00–17:30 (8.5 h); due soon after 75 % of it, at 15:22:30.
    { now: '2026-10-12T15:30', expected: ['2026-0001 reply due_soon → eng-zhao'] },
    { now: '2026-10-12T17:31', expected: ['2026-0001 reply overdue → eng-zhao,qa-jiang'] },
    // First response within 24 h: due soon from 03:00; the reply is long overdue (8.5 h past its due time) from 02:00.
    { now: '2026-10-13T03:30', expected: ['2026-0001 first_response due_soon → eng-zhao', '2026-0001 reply overdue → eng-zhao,qa-jiang', '2026-0001 reply long_overdue → gm-shen'] },
  ])('at $now for the lift complaint', ({ now, expected }) => {
    expect(inEffect([lift], at(now)).sort()).toEqual([...expected].sort());
  });

  it('stops reminding once the clock stopped', () => {
    const replied = { ...lift, events: [...lift.events, event('investigated', '2026-10-12T11:00', 'eng-zhao'), event('replied', '2026-10-12T16:00', 'eng-zhao')], reply: { at: '2026-10-12T16:00:00+08:00', by: 'eng-zhao', method: 'phone' as const, summary: '已修复' } };
    expect(inEffect([replied], at('2026-10-12T18:00'))).toEqual([]);
  });

  it('asks the supervisors and leadership for the report of a hot complaint from the moment it became hot', () => {
    const reminders = remindersInEffect([collective], org, calendar, at('2026-10-12T09:30'));
    const report = reminders.find((item) => item.kind === 'report')!;
    expect(report).toMatchObject({ id: '2026-0002', issue: 8, duty: 'hot_report', audience: ['qa-jiang', 'gm-shen'], due: '2026-10-13T17:30:00+08:00' });
    expect(report.text).toContain('热点投诉须在一个工作日内反馈至集团物业管理部（001 §4.6.3.3），最迟 2026年10月13日 17:30');
  });

  it('reminds the department’s handlers when nobody is assigned', () => {
    const unassigned = { ...lift, assignees: [] };
    expect(inEffect([unassigned], at('2026-10-12T15:30'))).toEqual(['2026-0001 reply due_soon → eng-zhao,eng-qian']);
  });

  it('makes a new reminder when an extension moves the due time, and keeps the key otherwise', () => {
    const before = remindersInEffect([lift], org, calendar, at('2026-10-12T17:31')).map((item) => item.key);
    const again = remindersInEffect([lift], org, calendar, at('2026-10-12T18:31')).map((item) => item.key);
    expect(again).toEqual(before);
    const extended = { ...lift, events: [...lift.events, event('extended', '2026-10-12T17:00', 'eng-zhao', { clock: 'reply', due: '2026-10-12T17:45:00+08:00', note: '等待配件', told_complainant: true })] };
    const moved = remindersInEffect([extended], org, calendar, at('2026-10-12T18:31')).map((item) => item.key);
    expect(moved).toEqual(['2026-0001:reply:overdue:20261012t094500z']);
    expect(moved).not.toEqual(before);
  });

  it('due since the last run: every reminder that came into effect, however many runs were missed, each once (property)', () => {
    const start = at('2026-10-12T08:00').getTime();
    const hour = 3_600_000;
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 48 }), { minLength: 1, maxLength: 12 }), (hours) => {
        const runs = [...hours].sort((a, b) => a - b).map((offset) => new Date(start + offset * hour));
        let record: ReminderRecord | undefined;
        const posted: string[] = [];
        for (const now of runs) {
          const effective = remindersInEffect([lift, collective, phoned], org, calendar, now);
          const due = remindersDue(effective, record);
          posted.push(...due.map((item) => item.key));
          // Everything in effect at a run has been posted by the end of that run.
          for (const item of effective) if (!posted.includes(item.key)) return false;
          record = { lastRun: now.toISOString(), inEffect: effective.map((item) => keyDigest(item.key)) };
        }
        return new Set(posted).size === posted.length;
      }),
      { numRuns: 60 },
    );
  });
});

describe('the hourly reminder job on GitHub', () => {
  async function world() {
    const { fake, port } = await githubWorld();
    fake.addIssue({ number: 7, title: '3号楼电梯停运', labels: ['投诉'] });
    fake.addIssue({ number: 8, title: '小区停水', labels: ['投诉'] });
    const root = await archiveRepository([lift, collective, phoned]);
    const run = (now: string) => runReminders({ root, port: port(), now: at(now) });
    return { fake, root, run };
  }

  function dashboardOf(fake: FakeGitHub) {
    return [...fake.issues.values()].find((issue) => issue.labels.includes('时限看板'))!;
  }

  function markers(fake: FakeGitHub, issue: number): string[] {
    return fake.commentsOf(issue).map((comment) => /^<!-- complaints:(remind:[^ ]+) -->/.exec(comment.body)?.[1] ?? comment.body);
  }

  it('opens the dashboard pinned, and pins it only once', async () => {
    const { fake, run } = await world();
    const mutations: { query?: string; variables?: { issueId?: string } }[] = [];
    fake.route('POST', '/graphql', ({ body }) => {
      mutations.push(body);
      return { status: 200, body: { data: { pinIssue: { issue: { number: 0 } } } } };
    });
    await run('2026-10-12T12:00');
    await run('2026-10-12T13:00');
    expect(mutations).toHaveLength(1);
    expect(mutations[0]!.query).toMatch(/pinIssue\(input: \{ issueId: \$issueId \}\)/);
    expect(mutations[0]!.variables).toEqual({ issueId: dashboardOf(fake).extra.node_id });
  });

  it('posts each reminder once: twice at the same time, then after missed hours, then the next night', async () => {
    const { fake, run } = await world();

    // 12:00: only the hot complaint's report is due.
    const first = await run('2026-10-12T12:00');
    expect(first.posted.map((item) => item.key)).toEqual(['2026-0002:hot_report:report:20261013t093000z']);
    expect(markers(fake, 8)).toEqual(['remind:2026-0002:hot_report:report:20261013t093000z']);
    expect(fake.commentsOf(8)[0]!.body).toContain('@qa-jiang @gm-shen');

    // The same hour again (a re-run, an overlapping manual run): nothing is posted; only the dashboard is rewritten.
    const requestsBefore = fake.requests.length;
    const second = await run('2026-10-12T12:00');
    expect(second.posted).toEqual([]);
    expect(fake.requests.slice(requestsBefore).filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path}`)).toEqual([
      `PATCH /repos/${fake.repository}/issues/${dashboardOf(fake).number}`,
    ]);
    expect(markers(fake, 8)).toHaveLength(1);

    // GitHub dropped the runs of 13:00–16:00; at 17:00 the due-soon reminders of 15:22 are caught up.
    const third = await run('2026-10-12T17:00');
    expect(third.posted.map((item) => [item.issue, item.key])).toEqual([
      [7, '2026-0001:reply:due_soon:20261012t093000z'],
      [8, '2026-0002:reply:due_soon:20261012t093000z'],
      [dashboardOf(fake).number, '2026-0003:reply:due_soon:20261012t093000z'],
    ]);
    expect(fake.commentsOf(7)[0]!.body).toContain('⏰ **时限提醒**：投诉 2026-0001 的“答复投诉人”时限（当日）将于 2026年10月12日 17:30 到期。\n\n@eng-zhao');
    // Nobody is assigned to the collective complaint: its department's handlers are reminded.
    expect(fake.commentsOf(8).at(-1)!.body).toContain('@eng-zhao @eng-qian');

    // 19:00: overdue, with 督办 by the supervisor.
    const fourth = await run('2026-10-12T19:00');
    expect(fourth.posted.map((item) => item.key)).toEqual([
      '2026-0001:reply:overdue:20261012t093000z',
      '2026-0002:reply:overdue:20261012t093000z',
      '2026-0003:reply:overdue:20261012t093000z',
    ]);
    const overdue = fake.commentsOf(7).at(-1)!.body;
    expect(overdue).toContain('🔴 **已超时**');
    expect(overdue).toContain('**督办**：@qa-jiang 未按规定的办理期限办结，请督办并提出改进建议（001 篇4 (三)5）。');

    // 03:00 the next night: the replies are long overdue (leadership), the first responses due soon.
    const fifth = await run('2026-10-13T03:00');
    expect(fifth.posted.map((item) => item.key).sort()).toEqual(
      ['2026-0001', '2026-0002', '2026-0003'].flatMap((id) => [`${id}:first_response:due_soon:20261013t010000z`, `${id}:reply:long_overdue:20261012t093000z`]).sort(),
    );
    expect(fake.commentsOf(7).map((comment) => comment.body).find((body) => body.includes('long_overdue'))).toContain('🚨 **严重超时**');
    expect(fake.commentsOf(7).map((comment) => comment.body).find((body) => body.includes('long_overdue'))).toContain('@gm-shen');

    // No reminder was ever posted twice.
    const all = [...fake.issues.keys()].flatMap((issue) => markers(fake, issue)).filter((marker) => marker.startsWith('remind:'));
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(1 + 3 + 3 + 6);
  });

  it('keeps the dashboard up to date with every open clock and when the reminders last ran', async () => {
    const { fake, run } = await world();
    await run('2026-10-12T12:00');
    await run('2026-10-12T19:00');

    const dashboard = dashboardOf(fake);
    expect(dashboard.user.type).toBe('Bot');
    expect(dashboard.body).toMatch(/^<!-- complaints:dashboard -->\n## 投诉处理时限看板/);
    expect(dashboard.body).toContain('- 提醒最近一次运行：**2026年10月12日 19:00**');
    expect(dashboard.body).toContain('- 上一次运行：2026年10月12日 12:00');
    expect(dashboard.body).toContain('⚠️ 两次运行相隔 7 小时');
    expect(dashboard.body).toContain('| 2026-0001 | #7 | 答复投诉人 | 2026年10月12日 17:30 | 🔴 已超时 | `eng-zhao` |');
    expect(dashboard.body).toContain('| 2026-0003 | — | 答复投诉人 | 2026年10月12日 17:30 | 🔴 已超时 | `cs-zheng` |');
    expect(dashboard.body).toContain('| 2026-0002 | #8 | 答复投诉人 | 2026年10月12日 17:30 | 🔴 已超时 | （未分派） |');
    expect(dashboard.body).toContain('| 2026-0001 | #7 | 首次响应 | 2026年10月13日 09:00 | 正常 | `eng-zhao` |');
    expect(dashboard.body).toContain('### 重大、热点投诉的报告义务');
    expect(dashboard.body).toContain('公开仓库连续 60 天没有任何活动');
    expect(dashboard.body).toContain('只在默认分支上运行');
    expect(readReminderRecord(dashboard.body)).toMatchObject({ lastRun: '2026-10-12T11:00:00.000Z' });
    // One dashboard, however many runs.
    expect([...fake.issues.values()].filter((issue) => issue.labels.includes('时限看板'))).toHaveLength(1);
  });

  it('does not post again when the dashboard’s record was lost: the markers say what was posted', async () => {
    const { fake, run } = await world();
    await run('2026-10-12T19:00');
    const before = [...fake.issues.keys()].flatMap((issue) => markers(fake, issue));
    const dashboard = dashboardOf(fake);
    dashboard.body = dashboard.body.replace(/<!-- reminders-record .*? -->/s, '');

    const again = await run('2026-10-12T19:00');

    expect(again.posted).toEqual([]);
    expect(again.alreadyPosted.length).toBeGreaterThan(0);
    expect([...fake.issues.keys()].flatMap((issue) => markers(fake, issue))).toEqual(before);
  });

  it('retries a reminder whose comment failed on the next run', async () => {
    const { fake, run } = await world();
    fake.inject({ status: 422, match: { method: 'POST', path: /\/issues\/8\/comments$/ }, body: { message: 'Validation Failed' } });

    const failing = await run('2026-10-12T12:00');
    expect(failing.failed.map((item) => item.key)).toEqual(['2026-0002:hot_report:report:20261013t093000z']);
    expect(fake.commentsOf(8)).toEqual([]);

    const retried = await run('2026-10-12T13:00');
    expect(retried.posted.map((item) => item.key)).toEqual(['2026-0002:hot_report:report:20261013t093000z']);
    expect(fake.commentsOf(8)).toHaveLength(1);
  });

  it('lists the reminders in effect without GitHub (--dry-run)', async () => {
    const { root } = await world();
    await writeFile(join(root, 'README.md'), 'not part of the archive\n');
    const result = await runComplaints(['remind', '--root', root, '--dry-run', '--now', '2026-10-12T19:00:00+08:00']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2026-0001 #7: 已超时 reply → eng-zhao, qa-jiang (2026-0001:reply:overdue:20261012t093000z)');
  });
});
