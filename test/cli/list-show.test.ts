import { afterEach, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareComplaintIds } from '../../src/cli/commands/list.ts';
import { terminalSafe } from '../../src/cli/commands/show.ts';
import { runComplaints } from './run-cli.ts';

const VALID = fileURLToPath(new URL('../fixtures/valid', import.meta.url));
const BROKEN = fileURLToPath(new URL('../fixtures/broken', import.meta.url));

const temporaryFolders: string[] = [];
afterEach(async () => {
  await Promise.all(temporaryFolders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function copyOfValidArchive(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'complaints-list-'));
  temporaryFolders.push(folder);
  await cp(VALID, folder, { recursive: true });
  return folder;
}

async function listIds(args: string[]): Promise<string[]> {
  const result = await runComplaints(['list', '--root', VALID, '--json', ...args]);
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as { complaints: { id: string }[] }).complaints.map((complaint) => complaint.id);
}

describe('complaints list', () => {
  it('prints one line per complaint, sorted by id, with state, category and project labels', async () => {
    const result = await runComplaints(['list', '--root', VALID]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatchInlineSnapshot(`
      "编号 id    状态 state  分类 category  项目 project  受理日期 received  标题 title
      ---------  ----------  -------------  ------------  -----------------  -----------------------
      2025-0040  已核销      业户纠纷       翠苑小区      2025-12-02         相邻业主装修破坏防水层
      2026-0001  已关闭      设备管理       翠苑小区      2026-10-12         3幢电梯停运两天无人处理
      2026-0002  已答复      房屋管理       翠苑小区      2026-10-15         楼顶渗水
      2026-0003  不予受理    地产相关       国贸大厦      2026-10-20         开发商车位销售价格过高
      2026-0004  已登记      环境管理       翠苑小区      2026-11-01         凌晨垃圾清运噪音
      2026-0005  已关闭      安全管理       翠苑小区      2026-10-05         小区东门保安脱岗
      2026-0006  处理中      设备管理       国贸大厦      2026-10-21         地下车库照明不足
      "
    `);
  });

  it('prints { complaints: [{ id, title, state, category, project, department, receivedAt, path }] } with --json', async () => {
    const result = await runComplaints(['list', '--root', VALID, '--json', '--status', 'received']);
    expect(JSON.parse(result.stdout)).toEqual({
      complaints: [
        {
          id: '2026-0004',
          title: '凌晨垃圾清运噪音',
          state: 'received',
          category: 'environment',
          project: 'cuiyuan',
          department: null,
          receivedAt: '2026-10-31T16:10:00Z',
          path: 'content/complaints/2026/11/2026-0004.md',
        },
      ],
    });
  });

  it.each([
    ['--status closed', ['--status', 'closed'], ['2026-0001', '2026-0005']],
    ['--status with the zh-CN label', ['--status', '已关闭'], ['2026-0001', '2026-0005']],
    ['--status open', ['--status', 'open'], ['2026-0002', '2026-0004', '2026-0006']],
    ['--category', ['--category', 'equipment'], ['2026-0001', '2026-0006']],
    ['--category with the zh-CN label', ['--category', '设备管理'], ['2026-0001', '2026-0006']],
    ['--project', ['--project', 'guomao'], ['2026-0003', '2026-0006']],
    ['--department', ['--department', 'customer_service'], ['2025-0040', '2026-0005']],
    ['several filters together', ['--project', 'cuiyuan', '--department', 'engineering', '--status', 'open'], ['2026-0002']],
    ['a filter nothing matches', ['--status', 'withdrawn'], []],
  ])('filters by %s', async (_name, args, expected) => {
    expect(await listIds(args)).toEqual(expected);
  });

  it('lists with --overdue only open complaints with a clock past its due time at --now', async () => {
    // 2026-0002 was replied to on 10-16; its visit was due 3 working days later, 10-21 17:30.
    expect(await listIds(['--overdue', '--now', '2026-10-22T10:00:00+08:00'])).toEqual(['2026-0002']);
    // By 11-10 the online complaint 2026-0004 (received 11-01, never acknowledged) and 2026-0006
    // (reply due 10-30 17:30) are overdue too; closed and rejected complaints never are.
    expect(await listIds(['--overdue', '--now', '2026-11-10T10:00:00+08:00'])).toEqual(['2026-0002', '2026-0004', '2026-0006']);
  });

  it('says so when nothing matches', async () => {
    expect((await runComplaints(['list', '--root', VALID, '--status', 'withdrawn'])).stdout).toBe('no complaints match（没有符合条件的投诉）\n');
  });

  it.each([
    [['--status', 'pending'], '--status must be one of open, received, accepted, assigned, investigating, replied, verified, closed, rejected, withdrawn, written_off, found "pending"'],
    [['--category', 'lifts'], '--category must be one of housing, equipment, security, environment, general_service, neighbour_dispute, developer, other, found "lifts"'],
    [['--project', 'lanting'], '--project must be one of cuiyuan, guomao, found "lanting"'],
    [['--department', 'it'], '--department must be one of engineering, customer_service, found "it"'],
  ])('refuses an unknown filter value %j as bad usage', async (args, message) => {
    const result = await runComplaints(['list', '--root', VALID, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('sorts ids by year and then by sequence as a number', () => {
    expect(['2026-10000', '2026-9999', '2025-0001'].sort(compareComplaintIds)).toEqual(['2025-0001', '2026-9999', '2026-10000']);
  });

  it('lists the readable complaints of a broken archive, says how many problems there are, and exits 1', async () => {
    const result = await runComplaints(['list', '--root', BROKEN, '--json', '--status', 'closed']);
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as { complaints: { id: string }[] }).complaints.map((complaint) => complaint.id)).toEqual(['2026-0001', '2026-0006', '2026-0025']);
    expect(result.stderr).toMatch(/^\d+ problems in \d+ files; run "complaints validate"/);
  });

  it('shows control characters in a title instead of sending them to the terminal', async () => {
    const root = await copyOfValidArchive();
    const path = join(root, 'content/complaints/2026/10/2026-0002.md');
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: 楼顶渗水', 'title: "楼顶渗水\\u001b[2J\\u202e"'));
    const result = await runComplaints(['list', '--root', root, '--project', 'cuiyuan', '--status', 'replied']);
    expect(result.stdout).toContain('楼顶渗水\\u001b[2J\\u202e');
    expect(result.stdout).not.toContain('\u001b');
  });
});

describe('complaints show', () => {
  it('shows the fields with zh-CN labels, the state, the timeline, the records and the text, but not the contact', async () => {
    const result = await runComplaints(['show', '2026-0001', '--root', VALID]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatchInlineSnapshot(`
      "2026-0001  3幢电梯停运两天无人处理
      状态 state: 已关闭 (closed)
      文件 file: content/complaints/2026/10/2026-0001.md
      投诉渠道 channel: 来电 (phone)
      受理时间 received_at: 2026-10-12T09:30:00+08:00
      受理人 received_by: bob
      管理项目 project: 翠苑小区 (cuiyuan)
      位置 location: 3幢1单元
      投诉人数 complainants: 1
      匿名 anonymous: 否 no
      联系方式（加密） contact: （已加密）
      投诉分类 category: 设备管理 (equipment)
      投诉性质 nature: 机（外观完好性/质量合格性/功能适用性） (machine)
      紧急程度 urgency: 紧急 (urgent)
      责任部门 department: 工程部 (engineering)
      处理人 assignees: alice

      处理记录 events:
        2026-10-12T09:30:00+08:00  登记 received  bob
        2026-10-12T09:35:00+08:00  受理 accepted  bob
        2026-10-12T09:40:00+08:00  分派 assigned  bob  部门 工程部 (engineering)
        2026-10-12T10:50:00+08:00  调查核实 investigated  alice  内部备注：控制柜主板烧毁
        2026-10-12T16:00:00+08:00  答复投诉人 replied  alice  公开说明：已更换主板，电梯恢复运行
        2026-10-13T10:00:00+08:00  验证 verified  carol
        2026-10-14T10:00:00+08:00  回访 visited  bob
        2026-10-14T10:05:00+08:00  关闭 closed  carol

      答复 reply: 2026-10-12T16:00:00+08:00  alice  电话 phone：已更换控制柜主板，电梯当天恢复运行。
      回访 visit: 2026-10-14T10:00:00+08:00  电话 phone  满意 satisfied  评分 5
      关闭 closure: 2026-10-14T10:05:00+08:00  回访满意 satisfied
      纠正措施 corrective_action: 电梯维保单位增加每月一次控制柜检查。
      经验教训 lessons: 停运超过4小时应主动在业主群通报进展。

      投诉内容 text:
      3幢1单元的电梯从周六开始停运，物业说在等配件，已经两天了，老人上下楼很困难。

      ## 处理记录

      维保单位当天更换控制柜主板。
      "
    `);
    expect(result.stdout).not.toMatch(/BEGIN AGE|YWdl/);
  });

  it('shows a pause, an extension and a department by name', async () => {
    const result = await runComplaints(['show', '2026-0006', '--root', VALID]);
    expect(result.stdout).toContain('状态 state: 处理中 (investigating)');
    expect(result.stdout).toContain('暂停计时 paused  alice  原因 outside_party；内部备注：等待供电局更换配电箱');
    expect(result.stdout).toContain('延期 extended  alice  时限 答复投诉人 (reply)；新期限 2026-10-30T17:30:00+08:00；已告知投诉人 是；内部备注：灯具需要定制');
  });

  it('prints the complaint as camelCase JSON with its state, and only says that a contact exists', async () => {
    const result = await runComplaints(['show', '2026-0001', '--root', VALID, '--json']);
    expect(result.code).toBe(0);
    const { complaint } = JSON.parse(result.stdout) as { complaint: Record<string, unknown> };
    expect(complaint).toMatchObject({
      id: '2026-0001',
      state: 'closed',
      receivedAt: '2026-10-12T09:30:00+08:00',
      receivedBy: 'bob',
      correctiveAction: '电梯维保单位增加每月一次控制柜检查。',
      contact: { encrypted: true },
      path: 'content/complaints/2026/10/2026-0001.md',
      closure: { at: '2026-10-14T10:05:00+08:00', basis: 'satisfied' },
    });
    expect((complaint.events as object[])[4]).toEqual({ at: '2026-10-12T16:00:00+08:00', type: 'replied', by: 'alice', publicNote: '已更换主板，电梯恢复运行' });
    expect(complaint.body).toMatch(/^3幢1单元的电梯/);
    expect(result.stdout).not.toMatch(/BEGIN AGE|YWdl|received_at/);
  });

  it('exits 1 with a clear message for an unknown id', async () => {
    const result = await runComplaints(['show', '2026-0404', '--root', VALID]);
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'no complaint with id "2026-0404"（找不到编号为 2026-0404 的投诉）\n' });
  });

  it('exits 2 without an id', async () => {
    const result = await runComplaints(['show', '--root', VALID]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('show needs the id of a complaint');
  });

  it('lists the problems of a complaint whose file cannot be read, and exits 1', async () => {
    const result = await runComplaints(['show', '2026-0012', '--root', BROKEN]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatchInlineSnapshot(`
      "content/complaints/2026/10/2026-0012.md:3: malformed YAML: a quoted value starts on this line and is never closed（引号未闭合）
      complaint 2026-0012 cannot be read until the problems above are fixed（投诉 2026-0012 的文件有问题，无法显示）
      "
    `);
  });

  it('shows a complaint whose record has problems, with the problems on stderr, and exits 1', async () => {
    const result = await runComplaints(['show', '2026-0006', '--root', BROKEN]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('状态 state: 已关闭 (closed)');
    expect(result.stderr).toContain('closing needs the corrective action');
  });

  it('makes text safe for a terminal, keeping newlines only in the body', () => {
    expect(terminalSafe('a\u001b[31mb\u0007\nc\u202e')).toBe('a\\u001b[31mb\\u0007 c\\u202e');
    expect(terminalSafe('line\n\tindented\r', { multiline: true })).toBe('line\n\tindented\\u000d');
  });
});
