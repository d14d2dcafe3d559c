import { afterEach, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPLAINT_COLUMNS, REPORT_COLUMNS } from '../../src/cli/commands/export.ts';
import { parseCsv } from '../archive/parse-csv.ts';
import { runComplaints } from './run-cli.ts';

const BASIC = fileURLToPath(new URL('../fixtures/report/basic', import.meta.url));
const VALID = fileURLToPath(new URL('../fixtures/valid', import.meta.url));
const BROKEN = fileURLToPath(new URL('../fixtures/broken', import.meta.url));
const MISSING_HOUSEHOLDS = fileURLToPath(new URL('../fixtures/report/missing-households', import.meta.url));
const NOW = '2026-11-23T10:00:00+08:00';

const temporaryFolders: string[] = [];
afterEach(async () => {
  await Promise.all(temporaryFolders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
});

async function copyOf(fixture: string): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'complaints-export-'));
  temporaryFolders.push(folder);
  await cp(fixture, folder, { recursive: true });
  return folder;
}

function exportOf(root: string, ...args: string[]) {
  return runComplaints(['export', '--root', root, '--now', NOW, ...args]);
}

/** CSV records as objects keyed by the header record. */
function csvObjects(text: string): Record<string, string>[] {
  const [headers, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(headers!.map((header, index) => [header, row[index]!])));
}

function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => [key, ...keysOf(item)]);
}

describe('complaints export --what complaints', () => {
  it('writes one CSV row per complaint, UTF-8 with BOM and CRLF, Chinese intact', async () => {
    const result = await exportOf(BASIC, '--format', 'csv');
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('\uFEFFid,title,channel,channelLabel,receivedAt,')).toBe(true);
    expect(result.stdout.replaceAll('\r\n', '')).not.toContain('\n');
    const rows = csvObjects(result.stdout);
    expect(rows.map((row) => row.id)).toEqual(['2025-0040', '2026-0001', '2026-0002', '2026-0003', '2026-0007', '2026-0008']);
    expect(rows[1]).toEqual({
      id: '2026-0001',
      title: '3幢电梯停运 | 两天无人处理',
      channel: 'phone',
      channelLabel: '来电',
      receivedAt: '2026-10-12T09:30:00+08:00',
      project: 'cuiyuan',
      projectName: '翠苑小区',
      category: 'equipment',
      categoryLabel: '设备管理',
      nature: 'machine',
      natureLabel: '机（外观完好性/质量合格性/功能适用性）',
      urgency: 'urgent',
      urgencyLabel: '紧急',
      state: 'closed',
      stateLabel: '已关闭',
      department: 'engineering',
      departmentName: '工程部',
      complainants: '2',
      duplicateOf: '',
      repeatOf: '',
      severity: 'hot',
      severityLabel: '热点投诉',
      repliedAt: '2026-10-12T16:00:00+08:00',
      closedAt: '2026-10-20T10:05:00+08:00',
      satisfied: '',
    });
    expect(rows[4]).toMatchObject({ id: '2026-0007', duplicateOf: '2026-0001', state: 'received' });
  });

  it('quotes a title with quotes, commas and line breaks and neutralises one that starts a formula', async () => {
    const root = await copyOf(BASIC);
    const path = join(root, 'content/complaints/2026/10/2026-0002.md');
    await writeFile(path, (await readFile(path, 'utf8')).replace('title: 楼顶渗水', 'title: "=cmd()|\\"楼顶\\",渗水\\n第二行"'));
    const result = await exportOf(root, '--format', 'csv', '--month', '2026-10');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`2026-0002,"'=cmd()|""楼顶"",渗水\n第二行",online,`);
    expect(csvObjects(result.stdout).find((row) => row.id === '2026-0002')!.title).toBe(`'=cmd()|"楼顶",渗水\n第二行`);
  });

  it('limits the rows to the complaints received in a period', async () => {
    const rows = csvObjects((await exportOf(BASIC, '--format', 'csv', '--month', '2026-09')).stdout);
    expect(rows.map((row) => row.id)).toEqual(['2026-0008']);
  });

  it('never exports contact data, complaint texts or internal notes', async () => {
    for (const format of ['csv', 'json']) {
      const result = await exportOf(VALID, '--format', format);
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(/AGE ENCRYPTED|YWdlLWVuY3J5cHRpb24/);
      expect(result.stdout).not.toContain('老人上下楼很困难');
      expect(result.stdout).not.toContain('控制柜主板烧毁');
      expect(result.stdout).not.toMatch(/contact|body|note/i);
    }
  });

  it('prints a JSON array with camelCase keys, nulls for what is absent', async () => {
    const result = await exportOf(BASIC, '--format', 'json');
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(Object.keys(row)).toEqual([...COMPLAINT_COLUMNS]);
    expect(keysOf(rows).every((key) => /^[a-z][a-zA-Z]*$/.test(key))).toBe(true);
    expect(rows[0]).toMatchObject({ id: '2025-0040', state: 'investigating', closedAt: null, satisfied: null, complainants: 1 });
  });

  it('writes to --out atomically instead of stdout', async () => {
    const root = await copyOf(BASIC);
    const out = join(root, 'export', 'complaints.csv');
    const result = await exportOf(root, '--format', 'csv', '--out', out);
    expect(result).toEqual({ code: 0, stdout: `wrote ${out}: 6 rows（已导出 6 行）\n`, stderr: '' });
    expect(await readFile(out, 'utf8')).toBe((await exportOf(root, '--format', 'csv')).stdout);
  });
});

describe('complaints export --what report', () => {
  it('writes the classification table and the data summary as rows told apart by "table"', async () => {
    const result = await exportOf(BASIC, '--format', 'csv', '--what', 'report', '--month', '2026-10');
    expect(result.code).toBe(0);
    const [headers] = parseCsv(result.stdout);
    expect(headers).toEqual([...REPORT_COLUMNS]);
    const rows = csvObjects(result.stdout);
    const classification = rows.filter((row) => row.table === 'classification');
    expect(classification).toHaveLength(8);
    expect(classification.find((row) => row.category === 'equipment')).toMatchObject({ categoryLabel: '设备管理', categoryCount: '1', id: '2026-0001', closed: 'true' });
    expect(classification.find((row) => row.category === 'security')).toMatchObject({ categoryCount: '0', id: '' });
    const summary = rows.filter((row) => row.table === 'summary');
    expect(summary.map((row) => row.scope)).toEqual(['cuiyuan', 'guomao', 'total']);
    expect(summary[0]).toMatchObject({ scopeName: '翠苑小区', periodCount: '2', cumulativeCount: '3', periodRate: '0.002', periodHandlingRate: '0.5' });
    expect(summary[2]).toMatchObject({ scopeName: '合计', periodCount: '2', periodRate: '', periodHandlingRate: '1' });
  });

  it('prints the same tables as JSON with the period', async () => {
    const result = await exportOf(BASIC, '--format', 'json', '--what', 'report', '--month', '2026-10');
    const document = JSON.parse(result.stdout);
    expect(Object.keys(document)).toEqual(['period', 'label', 'classification', 'summary']);
    expect(document.period).toEqual({ start: '2026-10-01T00:00:00+08:00', end: '2026-11-01T00:00:00+08:00' });
    expect(document.summary.at(-1)).toMatchObject({ scope: 'total', periodCount: 2, periodRate: null, periodHandlingRate: 1 });
    expect(keysOf(document).every((key) => /^[a-z][a-zA-Z]*$/.test(key))).toBe(true);
  });
});

describe('complaints export --format open311', () => {
  it('prints the Open311 GeoReport v2 services and the public complaints as requests, as the board publishes them', async () => {
    const result = await exportOf(VALID, '--format', 'open311');
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as { services: { service_code: string }[]; requests: Record<string, unknown>[] };
    expect(document.services.map((service) => service.service_code)).toEqual(['housing', 'equipment', 'security', 'environment', 'general_service', 'neighbour_dispute', 'developer', 'other']);
    // 2026-0003 (a developer complaint marked public: false) is not a request.
    expect(document.requests.map((request) => request.service_request_id)).toEqual(['2025-0040', '2026-0001', '2026-0002', '2026-0004', '2026-0005', '2026-0006']);
    expect(Object.keys(document.requests[0]!).sort()).toEqual(
      ['address', 'description', 'requested_datetime', 'service_code', 'service_name', 'service_request_id', 'status', 'status_notes', 'updated_datetime'].sort(),
    );
    expect(result.stdout).not.toMatch(/AGE ENCRYPTED|2026-0003/);
  });

  it('refuses to export a report as Open311', async () => {
    expect((await exportOf(VALID, '--format', 'open311', '--what', 'report', '--month', '2026-10')).code).toBe(2);
  });
});

describe('complaints export exit codes', () => {
  it.each([
    ['no format', []],
    ['an unknown format', ['--format', 'xlsx']],
    ['an unknown subject', ['--format', 'csv', '--what', 'people']],
    ['a report without a period', ['--format', 'csv', '--what', 'report']],
    ['two periods', ['--format', 'csv', '--month', '2026-10', '--year', '2026']],
    ['a malformed period', ['--format', 'csv', '--quarter', '2026-10']],
  ])('exits 2 for %s', async (_case, args) => {
    const result = await exportOf(BASIC, ...args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('usage: complaints export');
  });

  it('exits 1 with the problems of an invalid archive', async () => {
    const result = await exportOf(BROKEN, '--format', 'csv');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^content\/complaints\/2026\/10\/2026-00\d\d\.md:\d+: /m);
  });

  it('exits 1 naming the project when a report needs households that are not given', async () => {
    const result = await exportOf(MISSING_HOUSEHOLDS, '--format', 'csv', '--what', 'report', '--month', '2026-10');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('content/org.yaml: project "lanting" has no households');
  });
});
