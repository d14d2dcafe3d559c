import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../src/privacy/contact.ts';
import { gitIn, temporaryFolder } from '../git/git-fixture.ts';
import { complaintFile, complaintText, historyRepository } from '../git/history-fixture.ts';
import { runComplaints } from './run-cli.ts';

const HEADER = '登记时间,渠道,登记人,分类,标题,内容,位置,姓名,电话,受理时间,分派时间,答复时间,答复方式,答复内容,回访时间,是否满意,关闭时间,纠正措施,经验教训,原编号';

/** Rows of a 2025–2026 spreadsheet, deliberately not in order of receipt. */
const ROWS = [
  '2026-01-10 14:00,visit,bob,环境管理,垃圾清运不及时,"3 号垃圾房两天未清运。",3号垃圾房,,,2026-01-10 14:30,,,,,,,,,,纸质-2026-002',
  '2025-03-01 09:30,来电,alice,设备管理,电梯停运,"电梯停运两天，\r\n老人出行不便。",3幢,张三丰,13912345678,2025-03-01 10:00,2025-03-01 11:00,2025-03-02 16:00,电话,已更换控制板,2025-03-04 10:00,是,2025-03-04 11:00,更换控制板,加强巡检,纸质-2025-017',
  '2025-02-11,letter,alice,housing,"外墙渗水，""多次""反映",楼道外墙渗水。,5幢2单元,,,,,,,,,,,,,纸质-2025-009',
];

function csv(rows: readonly string[]): string {
  return `\uFEFF${[HEADER, ...rows].join('\r\n')}\r\n`;
}

async function writeCsv(rows: readonly string[], name = 'archive.csv'): Promise<string> {
  const file = join(await temporaryFolder('complaints-csv-'), name);
  await writeFile(file, csv(rows));
  return file;
}

async function complaintFiles(root: string): Promise<string[]> {
  const entries = await readdir(join(root, 'content/complaints'), { recursive: true });
  return entries.filter((entry) => entry.endsWith('.md')).sort();
}

describe('complaints import', () => {
  it('imports every row in one commit marked as an import, ids in order of receipt, contact encrypted', async () => {
    const keys = await generateKeyPair();
    const repository = await historyRepository({ recipients: [keys.recipient] });
    const file = await writeCsv(ROWS);

    const result = await runComplaints(['import', '--csv', file, '--root', repository.root, '--json']);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const imported = JSON.parse(result.stdout);
    expect(imported.complaints).toEqual([
      { line: 5, id: '2025-0001', path: 'content/complaints/2025/02/2025-0001.md' }, // the row before spans two lines
      { line: 3, id: '2025-0002', path: 'content/complaints/2025/03/2025-0002.md' },
      { line: 2, id: '2026-0001', path: 'content/complaints/2026/01/2026-0001.md' },
    ]);
    const git = gitIn(repository.root);
    expect((await git.raw(['log', '-1', '--format=%s%n%(trailers)'])).trim()).toBe('Import 3 complaints from archive.csv (导入 3 件投诉)\nComplaints-Import: true');
    expect((await git.raw(['show', '--name-only', '--format=', 'HEAD'])).trim().split('\n')).toHaveLength(3);
    expect((await git.raw(['status', '--porcelain'])).trim()).toBe('');
    expect(imported.commit).toBe((await git.raw(['rev-parse', 'HEAD'])).trim());

    expect((await runComplaints(['validate', '--root', repository.root])).code).toBe(0);
    const closed = await readFile(join(repository.root, 'content/complaints/2025/03/2025-0002.md'), 'utf8');
    expect(closed).not.toContain('张三丰');
    expect(closed).not.toContain('13912345678');
    expect(closed).toContain('电梯停运两天，\r\n老人出行不便。');
    const contact = await runComplaints(['contact', '2025-0002', '--root', repository.root, '--json'], { env: { ...process.env, COMPLAINTS_IDENTITY: keys.identity } });
    expect(JSON.parse(contact.stdout)).toEqual({ name: '张三丰', phone: '13912345678' });
    const show = JSON.parse((await runComplaints(['show', '2025-0002', '--root', repository.root, '--json'])).stdout);
    expect(show.complaint).toMatchObject({ state: 'closed', source: { reference: '纸质-2025-017' }, location: '3幢' });

    const audit = JSON.parse((await runComplaints(['audit', '--root', repository.root, '--json'])).stdout);
    expect(audit.findings).toEqual([]);
    expect(audit.imports).toEqual([expect.objectContaining({ commit: imported.commit, complaints: ['2025-0001', '2025-0002', '2026-0001'] })]);
  });

  it('allocates numbers above the ids in the archive and every id ever deleted', async () => {
    const repository = await historyRepository();
    await repository.commit('Register two', '2026-01-02T10:00:00+08:00', {
      [complaintFile('2026-0001', '2026/01')]: complaintText({ id: '2026-0001', received_at: '2026-01-02T09:30:00+08:00' }),
      [complaintFile('2026-0002', '2026/01')]: complaintText({ id: '2026-0002', received_at: '2026-01-02T09:40:00+08:00' }),
    });
    await repository.commit('Delete one', '2026-01-03T10:00:00+08:00', { [complaintFile('2026-0002', '2026/01')]: null });

    const result = await runComplaints(['import', '--csv', await writeCsv([ROWS[0]!]), '--root', repository.root, '--json']);

    expect(JSON.parse(result.stdout).complaints).toEqual([{ line: 2, id: '2026-0003', path: 'content/complaints/2026/01/2026-0003.md' }]);
  });

  it('lists every problem of every row with its CSV line and writes nothing', async () => {
    const repository = await historyRepository();
    const file = await writeCsv([
      '2026-01-10 14:00,fax,bob,环境管理,,"请联系 13800138000",,,,,,,,,,,,,,',
      '2026-01-11 09:00,visit,bob,equipment,电梯异响,张三丰说电梯异响,,张三丰,,,,2026-01-12 10:00,电话,已修复,,,,,,',
      'yesterday,visit,bob,nonsense,标题,内容,,,,,,,,,,,,,,',
    ]);

    const result = await runComplaints(['import', '--csv', file, '--root', repository.root]);

    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('7 problems; nothing was imported（发现 7 个问题，未导入任何投诉）');
    expect(lines.slice(0, -1).map((line) => line.replace(file, 'FILE'))).toEqual([
      'FILE:2: title: required value is missing（标题）',
      'FILE:2: channel: "fax" is not one of online (网上投诉), phone (来电), visit (来访), letter (来信), email (电子邮件), suggestion_box (意见箱), principal_mailbox (书记校长信箱), forwarded (上级转办), media (媒体曝光), other (其他)（渠道）',
      'FILE:2: body: plaintext mobile number 138******00: remove it, or move it into the contact columns (name, phone, email, address), which are encrypted（明文手机号码）（内容）',
      'FILE:3: replied_at: needs assigned_at too（答复时间）',
      "FILE:3: body: plaintext complainant's name 张*丰: remove it, or move it into the contact columns (name, phone, email, address), which are encrypted（明文投诉人姓名）（内容）",
      'FILE:4: received_at: cannot read the time "yesterday"; expected ISO 8601 or "2025-03-05 09:30"（登记时间）',
      'FILE:4: category: "nonsense" is not one of housing (房屋管理), equipment (设备管理), security (安全管理), environment (环境管理), general_service (综合服务), neighbour_dispute (业户纠纷), developer (地产相关), other (其它)（分类）',
    ]);
    expect(await complaintFiles(repository.root)).toEqual([]);
    expect((await gitIn(repository.root).raw(['log', '--format=%s'])).trim()).toBe('Archive');
  });

  it('refuses contact columns when org.yaml has no recipients for the row’s year', async () => {
    const repository = await historyRepository();
    const result = await runComplaints(['import', '--csv', await writeCsv([ROWS[1]!]), '--root', repository.root]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(':2: contact columns are filled but org.yaml lists no recipients for 2025');
    expect(await complaintFiles(repository.root)).toEqual([]);
  });

  it('checks without writing when asked to, and refuses unknown columns and files that are not UTF-8', async () => {
    const keys = await generateKeyPair();
    const repository = await historyRepository({ recipients: [keys.recipient] });
    const check = await runComplaints(['import', '--csv', await writeCsv(ROWS), '--root', repository.root, '--check']);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('3 rows can be imported');
    expect(await complaintFiles(repository.root)).toEqual([]);

    const unknown = join(await temporaryFolder('complaints-csv-'), 'unknown.csv');
    await writeFile(unknown, '登记时间,渠道,登记人,分类,标题,内容,备注\n2026-01-10,visit,bob,housing,t,b,x\n');
    const unknownResult = await runComplaints(['import', '--csv', unknown, '--root', repository.root]);
    expect(unknownResult.code).toBe(1);
    expect(unknownResult.stdout).toContain(':1: unknown column "备注"');

    const gbk = join(await temporaryFolder('complaints-csv-'), 'gbk.csv');
    await writeFile(gbk, Buffer.from([0xb5, 0xc7, 0xbc, 0xc7, 0x0a]));
    const gbkResult = await runComplaints(['import', '--csv', gbk, '--root', repository.root]);
    expect(gbkResult.code).toBe(2);
    expect(gbkResult.stderr).toContain('not UTF-8');
  });
});
