import { describe, expect, it } from 'vitest';
import { parseOrg } from '../../src/archive/archive.ts';
import { chineseDaysSource } from '../../src/calendar/chinese-days.ts';
import { workingCalendar } from '../../src/core/calendar.ts';
import { rollCallFor, rollCallText } from '../../src/rollcall/roll-call.ts';
import { runRollCall } from '../../src/rollcall/run-roll-call.ts';
import { runComplaints } from '../cli/run-cli.ts';
import { archiveRepository, complaint, ORG_YAML } from '../check/archive-fixture.ts';
import { githubWorld } from '../sync/github-world.ts';

/**
 * The daily roll-call (日盘点, 001 §4.4.2.4) on the 2026 calendar: 1–7 October is the National Day
 * holiday, Saturday 10 October an adjusted working day (调休), Sunday 11 October a day off.
 */

const org = parseOrg(ORG_YAML).org!;
const calendar = workingCalendar(org, chineseDaysSource);

function received(id: string, at: string, routing: { department?: string; assignees?: string[] } = {}) {
  return complaint({
    id,
    title: `投诉 ${id}`,
    received_at: `${at}:00+08:00`,
    source: { issue: Number(id.slice(-2)) + 20 },
    department: routing.department,
    assignees: routing.assignees ?? [],
    events: [{ at: `${at}:00+08:00`, type: 'received', by: 'issue-intake' }],
  });
}

const onSunday = received('2026-0011', '2026-10-11T20:00');
const mondayRouted = received('2026-0012', '2026-10-12T09:00', { department: 'engineering', assignees: ['eng-zhao'] });
const mondayNobody = received('2026-0013', '2026-10-12T10:00', { department: 'engineering' });
const friday = received('2026-0009', '2026-10-09T10:00', { department: 'engineering', assignees: ['eng-zhao'] });
const onHoliday = received('2026-0001', '2026-10-02T11:00', { department: 'customer_service', assignees: ['cs-zheng'] });
const archive = [onHoliday, friday, onSunday, mondayRouted, mondayNobody];

describe('the roll-call of a day', () => {
  it('on Monday goes over Sunday’s and Monday’s complaints and everything not yet routed', () => {
    const rollCall = rollCallFor(archive, calendar, '2026-10-12')!;

    expect(rollCall.covers).toEqual(['2026-10-11', '2026-10-12']);
    expect(rollCall.received.map((item) => item.id)).toEqual(['2026-0011', '2026-0012', '2026-0013']);
    expect(rollCall.unrouted.map((item) => item.id)).toEqual(['2026-0011', '2026-0013']);
    const text = rollCallText(rollCall, org);
    expect(text).toContain('### 日盘点 2026年10月12日（星期一）');
    expect(text).toContain('本次盘点包括此前的非工作日：2026年10月11日（星期日）。');
    expect(text).toContain('| 2026-0013 | #33 | 投诉 2026-0013 | 10月12日 10:00 | 网上投诉 | 设备管理 | 工程部 | — | 已登记 |');
    expect(text).toContain('| 2026-0011 | #31 | 投诉 2026-0011 | 10月11日 20:00 | 责任部门、处理人 | 已登记 |');
    expect(text).toContain('| 2026-0013 | #33 | 投诉 2026-0013 | 10月12日 10:00 | 处理人 | 已登记 |');
  });

  it.each([
    { date: '2026-10-11', what: 'a Sunday' },
    { date: '2026-10-01', what: 'National Day' },
  ])('is not taken on $what (a non-working day)', ({ date }) => {
    expect(rollCallFor(archive, calendar, date)).toBeUndefined();
  });

  it('is taken on an adjusted working Saturday (调休)', () => {
    expect(rollCallFor(archive, calendar, '2026-10-10')).toMatchObject({ covers: ['2026-10-10'], received: [] });
  });

  it('after the National Day holiday covers the whole holiday', () => {
    const rollCall = rollCallFor(archive, calendar, '2026-10-08')!;
    expect(rollCall.covers).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-08']);
    expect(rollCall.received.map((item) => item.id)).toEqual(['2026-0001']);
  });

  it('leaves out routed, closed and duplicate complaints from the unrouted list', () => {
    const duplicate = { ...received('2026-0014', '2026-10-12T11:00'), duplicate_of: '2026-0011' };
    const rejected = { ...received('2026-0015', '2026-10-12T11:30'), events: [...received('2026-0015', '2026-10-12T11:30').events, { at: '2026-10-12T11:40:00+08:00', type: 'rejected' as const, by: 'cs-zheng', public_note: '不属于物业服务范围，请联系供电公司' }] };
    const rollCall = rollCallFor([...archive, duplicate, rejected], calendar, '2026-10-12')!;
    expect(rollCall.unrouted.map((item) => item.id)).toEqual(['2026-0011', '2026-0013']);
    expect(rollCall.received.map((item) => item.id)).toEqual(['2026-0011', '2026-0012', '2026-0013', '2026-0014', '2026-0015']);
  });
});

describe('the roll-call job on GitHub', () => {
  it('posts one comment per working day on the roll-call issue, and none on a day off', async () => {
    const { fake, port } = await githubWorld();
    const root = await archiveRepository(archive);

    const sunday = await runRollCall({ root, port: port(), now: new Date('2026-10-11T18:05:00+08:00') });
    expect(sunday.rollCall).toBeUndefined();
    expect(fake.issues.size).toBe(0);

    const monday = await runRollCall({ root, port: port(), now: new Date('2026-10-12T18:05:00+08:00') });
    expect(monday).toMatchObject({ date: '2026-10-12', comment: 'created' });
    const issue = fake.issue(monday.issue!);
    expect(issue.labels).toEqual(['日盘点']);
    expect(issue.user.type).toBe('Bot');
    expect(fake.commentsOf(issue.number)).toHaveLength(1);
    expect(fake.commentsOf(issue.number)[0]!.body).toMatch(/^<!-- complaints:rollcall:2026-10-12 -->\n### 日盘点 2026年10月12日（星期一）/);

    const again = await runRollCall({ root, port: port(), now: new Date('2026-10-12T18:40:00+08:00') });
    expect(again.comment).toBe('unchanged');
    const tuesday = await runRollCall({ root, port: port(), now: new Date('2026-10-13T18:05:00+08:00') });
    expect(tuesday).toMatchObject({ issue: issue.number, comment: 'created' });
    expect(fake.commentsOf(issue.number)).toHaveLength(2);
    expect([...fake.issues.values()].filter((item) => item.labels.includes('日盘点'))).toHaveLength(1);
  });

  it('prints a day’s roll-call without GitHub (--dry-run), and says when there is none', async () => {
    const root = await archiveRepository(archive);
    const monday = await runComplaints(['rollcall', '--root', root, '--dry-run', '--date', '2026-10-12']);
    expect(monday.code).toBe(0);
    expect(monday.stdout).toContain('**受理 3 件**');
    const sunday = await runComplaints(['rollcall', '--root', root, '--dry-run', '--now', '2026-10-11T18:05:00+08:00']);
    expect(sunday.stdout).toContain('2026-10-11 is not a working day');
    expect((await runComplaints(['rollcall', '--root', root, '--dry-run', '--date', '2026-13-45'])).code).toBe(2);
  });
});
