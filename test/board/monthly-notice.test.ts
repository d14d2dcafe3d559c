import { describe, expect, it } from 'vitest';
import { csvParse } from 'd3-dsv';
import { monthlyNotice, reportFor, trendPeriods } from '../../src/board/monthly-notice.ts';
import { reportCsv, REPORT_CSV_HEADERS } from '../../src/board/report-csv.ts';
import { open311Request, open311Services, safeJson } from '../../src/board/open311.ts';
import { complaintPage } from '../../src/board/complaint-page.ts';
import { createBoard, monthsBetween, statisticsYearOf, boardNow, BoardNowError } from '../../src/board/board.ts';
import { feedItems } from '../../src/board/feed-items.ts';
import { workingCalendar } from '../../src/core/calendar.ts';
import { chineseDaysSource } from '../../src/calendar/chinese-days.ts';
import { parsePeriod } from '../../src/core/statistics/period.ts';
import { closedComplaint, complaint, org } from './board-fixtures.ts';

const calendar = workingCalendar(org, chineseDaysSource);
const now = new Date('2026-11-23T10:00:00+08:00');
const PRIVATE_TITLE = '我家物业费账单多收了钱';
const complaints = [
  closedComplaint('2026-0001'),
  complaint('2026-0002', { title: '4栋楼道灯不亮', category: 'housing', received_at: '2026-10-20T10:00:00+08:00', events: [{ at: '2026-10-20T10:00:00+08:00', type: 'received', by: 'alice' }] }),
  complaint('2026-0003', { title: PRIVATE_TITLE, category: 'general_service', received_at: '2026-10-21T10:00:00+08:00', events: [{ at: '2026-10-21T10:00:00+08:00', type: 'received', by: 'alice' }] }),
  complaint('2026-0004', { title: '车库进水（不公示）', category: 'equipment', public: false, received_at: '2026-10-22T10:00:00+08:00', events: [{ at: '2026-10-22T10:00:00+08:00', type: 'received', by: 'alice' }] }),
];
const input = { org, complaints, calendar, now };

describe('the monthly notice', () => {
  const notice = monthlyNotice('2026-10', input);

  it('counts private complaints but names only public ones', () => {
    expect(notice.totals).toEqual({ count: 4, closed: 1, open: 3, publicCount: 2 });
    const equipment = notice.categories.find((row) => row.key === 'equipment')!;
    expect(equipment).toMatchObject({ count: 2, closed: 1, open: 1, privateCount: 1 });
    expect(equipment.items.map((item) => item.id)).toEqual(['2026-0001']);
    const published = JSON.stringify(notice);
    for (const hidden of [PRIVATE_TITLE, '车库进水', '2026-0003', '2026-0004']) expect(published, hidden).not.toContain(hidden);
  });

  it('takes every figure of the data summary from the statistics core', () => {
    const report = reportFor('2026-10', input);
    const total = notice.columns.findIndex((column) => column.key === 'total');
    for (const row of notice.summary) expect(row.values[total], row.key).toBe(report.total[row.key]);
    const cuiyuan = notice.columns.findIndex((column) => column.key === 'cuiyuan');
    expect(notice.summary.find((row) => row.key === 'periodRate')!.texts[cuiyuan]).toBe(`${((4 / 1200) * 100).toFixed(2)}%`);
    expect(notice.summary.find((row) => row.key === 'periodRate')!.texts[total]).toBe('—');
    expect(notice.mixedBasis).toBe(true);
  });

  it('shows the trend of the twelve months up to the notice', () => {
    expect(notice.trend.map((point) => point.label)).toEqual(trendPeriods(parsePeriod('2026-10', org.timezone), org).map((period) => period.label));
    expect(notice.trend).toHaveLength(12);
    expect(notice.trend.at(-1)).toMatchObject({ label: '2026-10', periodCount: 4, periodClosed: 1 });
  });
});

describe('the downloads and feeds', () => {
  const notice = monthlyNotice('2026-10', input);

  it('writes the notice as a CSV with a byte order mark that parses back to its figures', () => {
    const csv = reportCsv(notice);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const rows = csvParse(csv.slice(1));
    expect(rows.columns).toEqual([...REPORT_CSV_HEADERS]);
    expect(rows.find((row) => row['行'] === '合计' && row['指标'] === '投诉数')?.['数值']).toBe('4');
    expect(rows.find((row) => row['表格'] === '本期客户投诉数据概要' && row['行'] === '翠苑小区' && row['指标'] === '本期投诉总数')?.['数值']).toBe('4');
    expect(csv).not.toContain(PRIVATE_TITLE);
  });

  it('describes every category as an Open311 service', () => {
    expect(open311Services(org)[0]).toEqual({
      service_code: 'housing',
      service_name: '房屋管理',
      description: '房屋管理类投诉',
      metadata: false,
      type: 'realtime',
      keywords: '房屋管理,housing,投诉',
      group: '物业管理服务',
    });
  });

  it('describes a public complaint as an Open311 request with its title, never its text', () => {
    const data = closedComplaint('2026-0001');
    const page = complaintPage(data, '电梯一周停了三次。', { org, calendar, now, complaints: new Map([[data.id, data]]) });
    expect(open311Request(page)).toEqual({
      service_request_id: '2026-0001',
      status: 'closed',
      status_notes: '经回访投诉人满意，投诉关闭。',
      service_name: '设备管理',
      service_code: 'equipment',
      description: '7栋电梯频繁停运',
      requested_datetime: '2026-10-12T09:30:00+08:00',
      updated_datetime: '2026-10-13T11:00:00+08:00',
      address: '翠苑小区 7栋2单元电梯',
    });
  });

  it('escapes markup characters in JSON so a title stays inert', () => {
    const json = safeJson({ title: '<script>window.__pwned=1</script> & more' });
    expect(json).not.toMatch(/[<>&]/);
    expect(JSON.parse(json)).toEqual({ title: '<script>window.__pwned=1</script> & more' });
  });

  it('puts notices and public status changes into the feed, HTML-escaped, and nothing of private complaints', () => {
    const board = createBoard({ org, complaints: complaints.map((data) => ({ data, body: '' })), reportFiles: [], now });
    const items = feedItems(board);
    expect(items.some((item) => item.path === 'reports/2026-10/')).toBe(true);
    expect(items.some((item) => item.title.startsWith('2026-0001 7栋电梯频繁停运：已关闭'))).toBe(true);
    const published = JSON.stringify(items);
    for (const hidden of [PRIVATE_TITLE, '2026-0003', '2026-0004']) expect(published, hidden).not.toContain(hidden);
    const payload = createBoard({ org, complaints: [{ data: complaint('2026-0009', { title: '<b>灯</b>' }) }], reportFiles: [], now });
    expect(feedItems(payload).find((item) => item.path.includes('2026-0009'))?.description).not.toContain('<');
  });
});

describe('the board as a whole', () => {
  const board = createBoard({ org, complaints: complaints.map((data) => ({ data, body: '' })), reportFiles: [], now });

  it('lists public complaints only, and the open ones longest open first', () => {
    expect(board.publicRows.map((row) => row.id)).toEqual(['2026-0002', '2026-0001']);
    expect(board.openRows.map((row) => [row.id, row.days])).toEqual([['2026-0002', 34]]);
    expect(board.counts).toEqual({ all: 4, public: 2 });
  });

  it('knows the months with complaints and the continuous range for the statistics', () => {
    expect(board.months).toEqual(['2026-10']);
    expect(monthsBetween('2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(statisticsYearOf('2026-03', '04-01')).toBe('2025');
    expect(statisticsYearOf('2026-04', '04-01')).toBe('2026');
  });

  it('leaves out what had not happened yet at BOARD_NOW', () => {
    const earlier = createBoard({ org, complaints: complaints.map((data) => ({ data })), reportFiles: [], now: new Date('2026-10-12T12:00:00+08:00') });
    expect(earlier.publicRows.map((row) => row.id)).toEqual(['2026-0001']);
    expect(earlier.complaintPage('2026-0001').stateLabel).toBe('处理中');
    expect(JSON.stringify(earlier.complaintPage('2026-0001'))).not.toContain('电梯已修复');
  });

  it('takes its moment from BOARD_NOW, else the build time, and refuses a malformed one', () => {
    const buildTime = new Date('2026-01-01T00:00:00Z');
    expect(boardNow({}, buildTime)).toBe(buildTime);
    expect(boardNow({ BOARD_NOW: '2026-11-23T10:00:00+08:00' }, buildTime).toISOString()).toBe('2026-11-23T02:00:00.000Z');
    expect(() => boardNow({ BOARD_NOW: 'tomorrow' }, buildTime)).toThrow(BoardNowError);
  });
});
