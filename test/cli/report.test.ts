import { DateTime } from 'luxon';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadArchive, type LoadedArchive } from '../../src/archive/archive.ts';
import { BLOCK_END, generatedBlock, REPORTS_DIR, splitReportFile } from '../../src/archive/report-file.ts';
import { chineseDaysSource } from '../../src/calendar/chinese-days.ts';
import { composeReport, type ReportDocument } from '../../src/cli/commands/report.ts';
import { reportMarkdown } from '../../src/cli/report-tables.ts';
import { workingCalendar } from '../../src/core/calendar.ts';
import { findPersonalData } from '../../src/core/pii.ts';
import { parsePeriod } from '../../src/core/statistics/period.ts';
import { runComplaints } from './run-cli.ts';

const BASIC = fileURLToPath(new URL('../fixtures/report/basic', import.meta.url));
const MISSING_HOUSEHOLDS = fileURLToPath(new URL('../fixtures/report/missing-households', import.meta.url));
const BROKEN = fileURLToPath(new URL('../fixtures/broken', import.meta.url));
const DEMO = fileURLToPath(new URL('../..', import.meta.url));
/** The moment the committed demo reports were generated at. */
const DEMO_NOW = '2026-11-23T10:00:00+08:00';
const NOW = '2026-11-23T10:00:00+08:00';

const temporaryFolders: string[] = [];
afterEach(async () => {
  await Promise.all(temporaryFolders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function copyOf(fixture: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'complaints-report-'));
  temporaryFolders.push(folder);
  await cp(fixture, folder, { recursive: true });
  return folder;
}

function report(root: string, ...args: string[]) {
  return runComplaints(['report', '--root', root, '--now', NOW, ...args]);
}

/** The bytes of a report file outside its generated block, and the block. */
function splitAtBlock(text: string): { outside: string; block: string } {
  const begin = text.indexOf('\n', text.indexOf('<!-- complaints:report:begin')) + 1;
  const end = text.indexOf(BLOCK_END);
  return { outside: `${text.slice(0, begin)}${text.slice(end)}`, block: text.slice(begin, end) };
}

/** Whether every row of every Markdown table in `markdown` has as many cells as its header. */
function tablesAreWellFormed(markdown: string): boolean {
  const cells = (line: string) => line.replace(/\\\|/g, '').split('|').length;
  let header: number | undefined;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      header = undefined;
      continue;
    }
    header ??= cells(line);
    if (cells(line) !== header) return false;
  }
  return true;
}

const TOTALS_KEYS = [
  'periodCount',
  'cumulativeCount',
  'periodClosed',
  'cumulativeClosed',
  'periodHandlingRate',
  'cumulativeHandlingRate',
  'periodRate',
  'cumulativeRate',
  'byCategory',
  'byNature',
  'timeliness',
  'satisfaction',
  'open',
  'major',
  'hot',
];

describe('complaints report --json', () => {
  it('prints { period: {start, end}, total, projects } first, then the other parts of the report', async () => {
    const result = await report(BASIC, '--month', '2026-10', '--json');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const document = JSON.parse(result.stdout) as ReportDocument;
    expect(Object.keys(document)).toEqual([
      'period',
      'total',
      'projects',
      'label',
      'kind',
      'asOf',
      'yearStart',
      'scope',
      'classification',
      'excluded',
      'severe',
      'openComplaints',
      'trend',
      'comparison',
      'departments',
      'notes',
    ]);
    expect(document.period).toEqual({ start: '2026-10-01T00:00:00+08:00', end: '2026-11-01T00:00:00+08:00' });
    expect(Object.keys(document.projects)).toEqual(['cuiyuan', 'guomao']);
    for (const totals of [document.total, ...Object.values(document.projects)]) expect(Object.keys(totals)).toEqual(expect.arrayContaining(TOTALS_KEYS));
    // Two counted complaints this month (the rejected one and the duplicate are listed apart); 2026-0008
    // from September closed in October; 2025-0040 is still open from last year.
    expect(document.total).toMatchObject({ periodCount: 2, cumulativeCount: 4, periodClosed: 2, cumulativeClosed: 2, periodHandlingRate: 1, cumulativeHandlingRate: 0.5 });
    expect(document.projects.cuiyuan).toMatchObject({ periodCount: 2, periodRate: 0.002, periodHandlingRate: 0.5 });
    expect(document.excluded).toEqual([
      { id: '2026-0003', reason: 'rejected' },
      { id: '2026-0007', reason: 'duplicate' },
    ]);
    expect(document.trend).toHaveLength(12);
    expect(document.trend.at(-1)).toMatchObject({ label: '2026-10', periodCount: 2 });
    expect(document.trend[0]!.label).toBe('2025-11');
    expect(document.departments.year).toBe('2026');
    expect(document.departments.assessments.find((assessment) => assessment.department === 'engineering')).toMatchObject({ praise: 1 });
  });

  it('gives a quarter four quarters of trend and a year three years', async () => {
    const quarter = JSON.parse((await report(BASIC, '--quarter', '2026-Q4', '--json')).stdout) as ReportDocument;
    expect(quarter.trend.map((point) => point.label)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    const year = JSON.parse((await report(BASIC, '--year', '2026', '--json')).stdout) as ReportDocument;
    expect(year.trend.map((point) => point.label)).toEqual(['2024', '2025', '2026']);
  });

  it('limits every figure to one project with --project', async () => {
    const document = JSON.parse((await report(BASIC, '--month', '2026-10', '--project', 'guomao', '--json')).stdout) as ReportDocument;
    expect(document.scope).toBe('guomao');
    expect(Object.keys(document.projects)).toEqual(['guomao']);
    expect(document.total).toMatchObject({ periodCount: 0, periodClosed: 1, periodRate: 0 });
  });

  it('gives a month without complaints zeros and null rates, and says why', async () => {
    const result = await report(BASIC, '--month', '2025-06', '--json');
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as ReportDocument;
    expect(document.total).toMatchObject({ periodCount: 0, cumulativeCount: 0, periodClosed: 0, periodHandlingRate: null, cumulativeHandlingRate: null, timeliness: null, satisfaction: null });
    expect(document.projects.cuiyuan).toMatchObject({ periodCount: 0, periodRate: 0, periodHandlingRate: null });
    expect(document.notes).toEqual([expect.stringContaining('本期无投诉')]);

    const human = await report(BASIC, '--month', '2025-06');
    expect(human.stdout).toContain('合计      不适用       不适用       不适用          不适用');
    expect(human.stdout).toContain('· 不适用：本期无投诉，以本期投诉总数为分母的比率为空。');
  });
});

describe('complaints report exit codes', () => {
  it.each([
    ['no period', []],
    ['two periods', ['--month', '2026-10', '--year', '2026']],
    ['a month that is not one', ['--month', '2026-13']],
    ['a quarter given as a month', ['--month', '2026-Q4']],
    ['an unknown project', ['--month', '2026-10', '--project', 'nowhere']],
    ['--write for one project', ['--month', '2026-10', '--project', 'cuiyuan', '--write']],
  ])('exits 2 for %s', async (_case, args) => {
    const result = await report(BASIC, ...args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('usage: complaints report');
  });

  it('prints the problems of an invalid archive as validate does and exits 1', async () => {
    const human = await report(BROKEN, '--month', '2026-10');
    expect(human.code).toBe(1);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/^content\/complaints\/2026\/10\/2026-00\d\d\.md:\d+: /m);
    const json = await report(BROKEN, '--month', '2026-10', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problems: expect.arrayContaining([expect.objectContaining({ file: expect.stringMatching(/^content\/complaints\//) })]) });
  });

  it('exits 1 naming the project and the field when a project has no households', async () => {
    const human = await report(MISSING_HOUSEHOLDS, '--month', '2026-10');
    expect(human.code).toBe(1);
    expect(human.stderr).toMatchInlineSnapshot(`
      "content/org.yaml: project "lanting" has no households in content/org.yaml, so its complaint rate cannot be computed（项目 lanting 缺少入住户数）
      "
    `);
    const json = await report(MISSING_HOUSEHOLDS, '--month', '2026-10', '--json');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, problems: [{ file: 'content/org.yaml', message: expect.stringMatching(/"lanting" has no households/) }] });
  });
});

describe('complaints report for people', () => {
  it('lays the report out as the guideline tables, in zh-CN', async () => {
    const result = await report(BASIC, '--month', '2026-10');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatchInlineSnapshot(`
      "测试物业服务中心 2026年10月客户投诉统计分析报告

      统计期间：2026-10-01 至 2026-10-31（Asia/Shanghai）；累计数自统计年度开始日 2026-01-01 起算。

      一、物业管理客户投诉分类统计表

      投诉分类  件数  人  机  料  法  环  未分类
      --------  ----  --  --  --  --  --  ------
      房屋管理  1     0   0   1   0   0   0
      设备管理  1     0   1   0   0   0   0
      安全管理  0     0   0   0   0   0   0
      环境管理  0     0   0   0   0   0   0
      综合服务  0     0   0   0   0   0   0
      业户纠纷  0     0   0   0   0   0   0
      地产相关  0     0   0   0   0   0   0
      其它      0     0   0   0   0   0   0
      合计      2     0   1   1   0   0   0

      性质：人（服务态度/服务规范/服务技能）、机（外观完好性/质量合格性/功能适用性）、料（耐用性/经济性/准确性）、法（制度与流程）、环（环境）。

      【房屋管理（1 件）】

      编号       项目名称  投诉内容  性质  纠正措施及经验教训  是否关闭
      ---------  --------  --------  ----  ------------------  --------
      2026-0002  翠苑小区  楼顶渗水  料    （未填写）          否

      【设备管理（1 件）】

      编号       项目名称  投诉内容                  性质  纠正措施及经验教训                  是否关闭
      ---------  --------  ------------------------  ----  ----------------------------------  --------
      2026-0001  翠苑小区  3幢电梯停运 | 两天无人处  机    纠正措施：电梯维保单位增加每月一次  是
                           理（投诉人数 3，重复投诉        控制柜检查；经验教训：停运超过4小
                           1 次：2026-0007）               时应主动在业主群通报进展。

      二、本期客户投诉数据概要

      项目      类型    本期投诉总数  累计投诉总数  本期新关闭  累计关闭
      --------  ------  ------------  ------------  ----------  --------
      翠苑小区  住宅    2             3             1           1
      国贸大厦  写字楼  0             1             1           1
      合计              2             4             2           2

      项目      本期投诉率   累计投诉率   本期投诉处理率  累计投诉处理率
      --------  -----------  -----------  --------------  --------------
      翠苑小区  0.20%        0.30%        50.0%           33.3%
      国贸大厦  0.00件/万㎡  0.20件/万㎡  不适用          100.0%
      合计      不适用       不适用       100.0%          50.0%

      · 本期投诉总数：本期受理并予以统计的投诉，不包括上期未关闭投诉；累计投诉总数：统计年度开始至本期末受理的投诉，加上年初仍未关闭且未核销的投诉（包括未关闭投诉）。
      · 投诉率：住宅类 = 投诉总数 ÷ 期间平均已入住户数，以百分比表示（每百户件数）；写字楼及其他物业 = 投诉总数 ÷ 期间平均在管建筑面积，以“件/万㎡”表示（每万平方米件数）。
      · 本期投诉处理率 = 本期新关闭的投诉数 ÷ 本期投诉总数 × 100%（新关闭的投诉包括上期遗留的，因此可能超过 100%）；累计投诉处理率 = 本期止累计关闭的投诉数 ÷ 本期止累计投诉总数 × 100%。
      · 不予受理、撤回及重复投诉不予统计，另列于下文。
      · 不适用：住宅与写字楼分母不同，合计投诉率不适用。
      · 不适用（项目行）：该项目本期或累计无投诉，比率的分母为 0。

      三、处理及时率、办结率与满意度

      项目      及时率  办结率  满意度
      --------  ------  ------  ------
      翠苑小区  71.4%   50.0%   不适用
      国贸大厦  不适用  不适用  不适用
      合计      71.4%   50.0%   不适用

      · 及时率：本期到期或完成的各项处理时限中按时完成的比例；办结率：本期投诉中到期末已关闭的比例；满意度：本期回访中投诉人表示满意的比例。
      · 不适用：本期没有到期或完成的时限、没有投诉或没有回访。

      四、本期重大、热点投诉原因及处理经验教训简述

      · 【重大投诉】2025-0040 翠苑小区 相邻业主装修破坏防水层（处理中）；认定依据：投诉发生 30 天后由于我方原因仍未解决（暂停计时不计）；投诉 7 天后由于我方原因仍未解决（暂停计时不计）；3 个工作日内未能妥善解决（未答复）；原因：（未填写）；经验教训：（未填写）
      · 【热点投诉】2026-0001 翠苑小区 3幢电梯停运 | 两天无人处理（已关闭）；认定依据：30 天内 3 人以上不同投诉人的相同投诉（共 2 件）；原因：（未填写）；经验教训：停运超过4小时应主动在业主群通报进展。

      五、所有未关闭投诉的原因及处理进展简述（包括本期及上期遗留）

      编号       项目名称  投诉内容                受理日期    状态    来源      处理进展
      ---------  --------  ----------------------  ----------  ------  --------  ------------------------
      2025-0040  翠苑小区  相邻业主装修破坏防水层  2025-12-02  处理中  上期遗留  已约双方业主到场协商。

      2026-0002  翠苑小区  楼顶渗水                2026-10-15  已答复  本期      防水层维修中，预计一周完
                                                                                 工。

      六、不予统计的投诉（不予受理、撤回、重复投诉）

      编号       项目名称  投诉内容                原因
      ---------  --------  ----------------------  --------------------------
      2026-0003  国贸大厦  开发商车位销售价格过高  不予受理
      2026-0007  翠苑小区  3幢电梯又坏了           重复投诉（并入 2026-0001）

      七、投诉趋势（近 12 个月）

      期间        投诉总数  新关闭  投诉处理率
      ----------  --------  ------  ----------
      2025年11月  0         0       不适用
      2025年12月  1         0       0.0%
      2026年1月   0         0       不适用
      2026年2月   0         0       不适用
      2026年3月   0         0       不适用
      2026年4月   0         0       不适用
      2026年5月   0         0       不适用
      2026年6月   0         0       不适用
      2026年7月   0         0       不适用
      2026年8月   0         0       不适用
      2026年9月   1         0       0.0%
      2026年10月  2         2       100.0%

      八、同类项目比较

      【住宅类项目】

      项目      本期投诉总数  本期投诉率  本期投诉处理率
      --------  ------------  ----------  --------------
      翠苑小区  2             0.20%       50.0%

      【写字楼类项目】

      项目      本期投诉总数  本期投诉率   本期投诉处理率
      --------  ------------  -----------  --------------
      国贸大厦  0             0.00件/万㎡  不适用

      【建筑面积 10 万㎡以下的项目】

      项目      本期投诉总数  本期投诉率   本期投诉处理率
      --------  ------------  -----------  --------------
      国贸大厦  0             0.00件/万㎡  不适用
      "
    `);
  });

  it('shows control characters in complaint titles as escapes, in the terminal and in the file', async () => {
    const root = await copyOf(BASIC);
    const path = join(root, 'content/complaints/2026/10/2026-0002.md');
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: 楼顶渗水', 'title: "楼顶\\e[2J渗水\\u202e"'));
    const human = await report(root, '--month', '2026-10');
    expect(human.code).toBe(0);
    expect(human.stdout).not.toMatch(/[\u001b\u202e]/);
    expect(human.stdout).toContain('楼顶\\u001b[2J渗水\\u202e');
    await report(root, '--month', '2026-10', '--write');
    const file = await readFile(join(root, REPORTS_DIR, '2026-10.md'), 'utf8');
    expect(file).not.toMatch(/[\u001b\u202e]/);
    expect(file).toContain('楼顶\\\\u001b\\[2J渗水\\\\u202e');
  });
});

describe('complaints report --write', () => {
  it('creates content/reports/YYYY-MM.md as a draft with valid Markdown tables and no personal data', async () => {
    const root = await copyOf(BASIC);
    const result = await report(root, '--month', '2026-10', '--write');
    expect(result).toEqual({ code: 0, stdout: 'wrote content/reports/2026-10.md（已生成报告文件）\n', stderr: '' });
    const text = await readFile(join(root, REPORTS_DIR, '2026-10.md'), 'utf8');
    expect(text.startsWith(`---\nperiod: "2026-10"\ngenerated_at: "${NOW}"\nstatus: draft\n---\n`)).toBe(true);
    const { block } = splitAtBlock(text);
    expect(block).toContain('## 一、物业管理客户投诉分类统计表');
    expect(block).toContain('| 2026-0001 | 翠苑小区 | 3幢电梯停运 \\| 两天无人处理（投诉人数 3，重复投诉 1 次：2026-0007） |');
    expect(tablesAreWellFormed(block)).toBe(true);
    expect(findPersonalData(block)).toEqual([]);
    expect(block).not.toContain('两天了');
  });

  it('writes quarters and years to YYYY-Qn.md and YYYY.md; with --json the document stays alone on stdout', async () => {
    const root = await copyOf(BASIC);
    const quarter = await report(root, '--quarter', '2026-Q4', '--write', '--json');
    expect(quarter.code).toBe(0);
    expect(quarter.stderr).toBe('wrote content/reports/2026-Q4.md（已生成报告文件）\n');
    expect((JSON.parse(quarter.stdout) as ReportDocument).label).toBe('2026-Q4');
    expect((await report(root, '--year', '2026', '--write')).code).toBe(0);
    expect((await readdir(join(root, REPORTS_DIR))).sort()).toEqual(['2026-Q4.md', '2026.md']);
    const year = await readFile(join(root, REPORTS_DIR, '2026.md'), 'utf8');
    expect(year).toContain('部门年度服务质量考核（2026年度）');
    expect(year).toContain('run "complaints report --year 2026 --write"');
  });

  it('on regeneration changes only the generated block and generated_at, keeping the narrative byte for byte', async () => {
    const root = await copyOf(BASIC);
    await report(root, '--month', '2026-10', '--write');
    const path = join(root, REPORTS_DIR, '2026-10.md');
    const written = await readFile(path, 'utf8');
    const narrated = written
      .replace('status: draft', 'status: draft\nreviewed_by: carol')
      .replace('（待撰写。）', '本月电梯故障引起的投诉较多，**已要求维保单位整改**。\r\n')
      .replace(`${BLOCK_END}\n`, `${BLOCK_END}\n\n附：监控部意见——同意。\n`);
    await writeFile(path, narrated);

    // The same data: nothing changes, not even generated_at.
    const again = await runComplaints(['report', '--root', root, '--now', '2026-12-01T09:00:00+08:00', '--month', '2026-10', '--write']);
    expect(again.stdout).toBe('content/reports/2026-10.md is up to date（报告文件无变化）\n');
    expect(await readFile(path, 'utf8')).toBe(narrated);

    // A complaint recorded late for October: the tables change, the narrative does not.
    const complaint = await readFile(join(root, 'content/complaints/2026/10/2026-0002.md'), 'utf8');
    await writeFile(join(root, 'content/complaints/2026/10/2026-0009.md'), complaint.replace('id: 2026-0002', 'id: 2026-0009').replace('title: 楼顶渗水', 'title: 地下室渗水'));
    const regenerated = await runComplaints(['report', '--root', root, '--now', '2026-12-01T09:00:00+08:00', '--month', '2026-10', '--write']);
    expect(regenerated).toEqual({ code: 0, stdout: 'updated the generated tables of content/reports/2026-10.md（已更新报告文件的自动生成部分）\n', stderr: '' });
    const after = await readFile(path, 'utf8');
    const [old, updated] = [splitAtBlock(narrated), splitAtBlock(after)];
    expect(updated.outside).toBe(old.outside.replace(`generated_at: "${NOW}"`, 'generated_at: "2026-12-01T09:00:00+08:00"'));
    expect(updated.block).not.toBe(old.block);
    expect(updated.block).toContain('地下室渗水');
  });

  it('keeps a published status and warns that the published tables changed', async () => {
    const root = await copyOf(BASIC);
    await report(root, '--month', '2026-10', '--write');
    const path = join(root, REPORTS_DIR, '2026-10.md');
    await writeFile(path, (await readFile(path, 'utf8')).replace('status: draft', 'status: published').replace('| 2026-0002 |', '| 2026-0099 |'));
    const result = await report(root, '--month', '2026-10', '--write');
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('warning: content/reports/2026-10.md is published and its tables changed; review it again（已发布的报告数据有变化，请重新审核）\n');
    expect(await readFile(path, 'utf8')).toContain('status: published\n');
  });

  it('refuses a file whose markers are broken and leaves it untouched', async () => {
    const root = await copyOf(BASIC);
    await report(root, '--month', '2026-10', '--write');
    const path = join(root, REPORTS_DIR, '2026-10.md');
    const broken = (await readFile(path, 'utf8')).replace(`${BLOCK_END}\n`, '');
    await writeFile(path, broken);
    const result = await report(root, '--month', '2026-10', '--write');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^content\/reports\/2026-10\.md: the end marker is missing: .*文件未修改）\n$/);
    expect(await readFile(path, 'utf8')).toBe(broken);
    const json = await report(root, '--month', '2026-10', '--write', '--json');
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, problems: [{ file: 'content/reports/2026-10.md', message: expect.stringMatching(/^the end marker is missing/) }] });
  });
});

describe('the committed demo reports', () => {
  let archive: LoadedArchive;
  let files: string[];
  beforeAll(async () => {
    archive = await loadArchive(DEMO);
    files = (await readdir(join(DEMO, REPORTS_DIR))).filter((name) => name.endsWith('.md')).sort();
  });

  it('cover every month from the first complaint to the last', () => {
    const months = archive.complaints.map((complaint) => DateTime.fromISO(complaint.data.received_at, { setZone: true }).setZone(archive.org.timezone).toFormat('yyyy-MM')).sort();
    const expected: string[] = [];
    for (let month = months[0]!; month <= months.at(-1)!; month = nextMonth(month)) expected.push(`${month}.md`);
    expect(files).toEqual(expect.arrayContaining(expected));
  });

  it(`are what regenerating them at ${DEMO_NOW} gives, so they never go stale silently`, async () => {
    const calendar = workingCalendar(archive.org, chineseDaysSource);
    const complaints = archive.complaints.map((complaint) => complaint.data);
    for (const file of files) {
      const label = file.slice(0, -'.md'.length);
      const text = await readFile(join(DEMO, REPORTS_DIR, file), 'utf8');
      const period = parsePeriod(label, archive.org.timezone, archive.org.statistics.yearStart);
      const document = composeReport({ org: archive.org, complaints, period, calendar, now: new Date(DEMO_NOW) });
      const block = splitReportFile(`${REPORTS_DIR}/${file}`, text, label).block;
      expect(block, `${file} is stale: run "complaints report --month ${label} --write --now ${DEMO_NOW}"`).toBe(generatedBlock(reportMarkdown(document, archive.org, complaints)));
      expect(tablesAreWellFormed(block)).toBe(true);
      expect(findPersonalData(block)).toEqual([]);
      expect(block).not.toContain('AGE ENCRYPTED');
    }
  });
});

function nextMonth(label: string): string {
  const [year, month] = label.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}
