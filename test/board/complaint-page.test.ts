import { describe, expect, it } from 'vitest';
import { complaintPage, publicTimeline } from '../../src/board/complaint-page.ts';
import { complaintTextOf, paragraphsOf } from '../../src/board/complaint-text.ts';
import { workingCalendar } from '../../src/core/calendar.ts';
import { chineseDaysSource } from '../../src/calendar/chinese-days.ts';
import { closedComplaint, complaint, org } from './board-fixtures.ts';

const calendar = workingCalendar(org, chineseDaysSource);
const now = new Date('2026-11-23T10:00:00+08:00');
const BODY = '电梯一周停了三次，昨晚困住了人。\n\n家里有老人，希望彻底修好。\n\n## 调查核实\n\n内部调查：维保记录缺失两次。\n';

function pageOf(data: ReturnType<typeof closedComplaint>, body = BODY) {
  return complaintPage(data, body, { org, calendar, now, complaints: new Map([[data.id, data]]) });
}

describe('the complaint text of a file body', () => {
  it('is the text before the first handler section, in paragraphs', () => {
    expect(complaintTextOf(BODY)).toBe('电梯一周停了三次，昨晚困住了人。\n\n家里有老人，希望彻底修好。');
    expect(paragraphsOf(complaintTextOf(BODY))).toEqual(['电梯一周停了三次，昨晚困住了人。', '家里有老人，希望彻底修好。']);
  });

  it('keeps a level-3 heading a complainant typed, and takes the whole body when there is no handler section', () => {
    expect(complaintTextOf('### 我的问题\n\n漏水')).toBe('### 我的问题\n\n漏水');
  });
});

describe('the page of a public complaint', () => {
  it('shows the public notes and the state changes, never an internal note, the reply, the visit comment or the corrective action', () => {
    const page = pageOf(closedComplaint('2026-0001'));
    const published = JSON.stringify(page);
    expect(published).toContain('电梯已修复并加密保养。');
    expect(published).toContain('经回访投诉人满意，投诉关闭。');
    for (const hidden of ['内部备注', '派给维保班组长', '内部督办', '门锁触点磨损', '回访满意', '答复内容', '回访意见', '纠正措施', '经验教训', '性质说明', '内部调查', 'alice']) {
      expect(published, hidden).not.toContain(hidden);
    }
  });

  it('lists the timeline with the state each change led to, leaving out events that change nothing and say nothing publicly', () => {
    const timeline = publicTimeline(closedComplaint('2026-0001'), org);
    expect(timeline.map((entry) => [entry.label, entry.state ?? null, entry.publicNote ?? null])).toEqual([
      ['登记投诉', '已登记', null],
      ['受理', '已受理', '已受理，正在处理。'],
      ['分派：工程部', '已分派', null],
      ['调查核实', '处理中', null],
      ['答复投诉人', '已答复', '电梯已修复并加密保养。'],
      ['回访', '已回访', null],
      ['关闭', '已关闭', '经回访投诉人满意，投诉关闭。'],
    ]);
  });

  it('gives the complaint text as paragraphs of plain text and the time limits met or missed', () => {
    const page = pageOf(closedComplaint('2026-0001'));
    expect(page.paragraphs).toEqual(['电梯一周停了三次，昨晚困住了人。', '家里有老人，希望彻底修好。']);
    expect(page.clocks.map((clock) => [clock.label, clock.stateLabel])).toEqual([
      ['答复投诉人', '按时完成'],
      ['首次响应', '按时完成'],
      ['回访', '按时完成'],
    ]);
    expect(page).toMatchObject({ stateLabel: '已关闭', open: false, days: 1, category: '设备管理', project: '翠苑小区', location: '7栋2单元电梯' });
  });

  it('counts the days an open complaint has been open up to now', () => {
    const page = pageOf(complaint('2026-0002', { received_at: '2026-11-20T10:00:00+08:00', events: [{ at: '2026-11-20T10:00:00+08:00', type: 'received', by: 'alice' }] }), '');
    expect(page).toMatchObject({ open: true, days: 3, stateLabel: '已登记' });
  });

  it('links a duplicate to its original only when the original is public', () => {
    const original = complaint('2026-0003', { category: 'general_service' });
    const duplicate = complaint('2026-0004', { duplicate_of: '2026-0003' });
    const page = complaintPage(duplicate, '', { org, calendar, now, complaints: new Map([original, duplicate].map((data) => [data.id, data])) });
    expect(page.duplicateOf).toEqual({ id: '2026-0003', public: false });
    expect(page.open).toBe(false);
  });

  it('refuses to make a page for a complaint that is not public', () => {
    expect(() => pageOf(closedComplaint('2026-0005', { category: 'general_service' }))).toThrow(/not public/);
  });
});
