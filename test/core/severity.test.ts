import { describe, expect, it } from 'vitest';
import { chineseDaysSource } from '../../src/calendar/chinese-days.ts';
import { workingCalendar } from '../../src/core/calendar.ts';
import { assessSeverity, type SeverityAssessment } from '../../src/core/severity.ts';
import { complaintSchema, type ComplaintData, type ComplaintInput } from '../../src/core/complaint/schema.ts';
import { orgSchema } from '../../src/core/org/schema.ts';

// Thresholds of the property preset (001 §4.6.3): major ≥ 10 people or unresolved > 30 days; hot ≥ 3
// different complainants within 30 days, a collective of ≥ 3 or unresolved > 7 days; important: no
// reply within 3 working days. Calendar: Asia/Shanghai, 08:30–17:30, chinese-days 2026.

type EventInput = ComplaintInput['events'][number];

const org = orgSchema.parse({
  name: '测试物业服务中心',
  preset: 'property',
  projects: [{ key: 'cuiyuan', name: '翠苑小区', type: 'residential', households: 1200 }],
  departments: [{ key: 'engineering', name: '工程部', handlers: ['alice'] }],
});
const calendar = workingCalendar(org, chineseDaysSource);

function event(type: EventInput['type'], at: string, extra: Partial<EventInput> = {}): EventInput {
  return { type, at, by: 'alice', ...extra };
}

function complaint(fields: Partial<ComplaintInput> & Pick<ComplaintInput, 'received_at'>, events: EventInput[] = []): ComplaintData {
  return complaintSchema.parse({
    id: '2026-0001',
    title: '地下车库漏水',
    channel: 'phone',
    received_by: 'alice',
    project: 'cuiyuan',
    category: 'housing',
    department: 'engineering',
    ...fields,
    events: [event('received', fields.received_at), ...events],
  });
}

/** Events that answer a complaint at `repliedAt` (accepted, assigned and investigated an hour before). */
function answered(repliedAt: string): EventInput[] {
  const at = Date.parse(repliedAt);
  const before = (minutes: number) => new Date(at - minutes * 60 * 1000).toISOString();
  return [event('accepted', before(60)), event('assigned', before(45)), event('investigated', before(30)), event('replied', repliedAt)];
}

function assess(data: ComplaintData, now: string, archive: ComplaintData[] = []): SeverityAssessment {
  return assessSeverity(data, [data, ...archive], org, calendar, new Date(now));
}

const rules = (assessment: SeverityAssessment) => assessment.reasons.map((reason) => reason.rule);
const MONDAY = '2026-09-14T10:00:00+08:00';

describe('major complaints (重大投诉)', () => {
  it('are major once a lawsuit is filed, with an immediate report, weekly flash reports and a special report after closing', () => {
    const assessment = assess(complaint({ received_at: MONDAY, severity: { flags: ['lawsuit'] } }), '2026-09-15T10:00:00+08:00');
    expect(assessment.level).toBe('major');
    expect(assessment.label).toBe('重大投诉');
    expect(assessment.reasons).toEqual([{ rule: 'lawsuit', level: 'major', text: '已引发法律诉讼' }]);
    // A flag carries no time: the level counts from receipt.
    expect(assessment.since).toBe('2026-09-14T10:00:00+08:00');
    expect(assessment.duties).toEqual([
      { duty: 'immediate_report', level: 'major', label: '即时反馈至集团物业管理部', due: '2026-09-14T10:00:00+08:00', afterClosing: false },
      // A week after it became major.
      { duty: 'weekly_flash_report', level: 'major', label: '处理过程中每周快报', due: '2026-09-21T10:00:00+08:00', afterClosing: false },
      { duty: 'special_report', level: 'major', label: '处理完毕后的详细专题报告', afterClosing: true },
    ]);
  });

  it('are major once exposed by the media', () => {
    expect(rules(assess(complaint({ received_at: MONDAY, severity: { flags: ['media'] } }), '2026-09-15T10:00:00+08:00'))).toEqual(['media']);
  });

  it('count the next weekly flash report from the last report made', () => {
    const reported = complaint({ received_at: MONDAY, severity: { flags: ['lawsuit'] } }, [event('escalated', '2026-09-16T09:00:00+08:00', { note: '已上报集团' })]);
    const weekly = assess(reported, '2026-09-16T10:00:00+08:00').duties.find((duty) => duty.duty === 'weekly_flash_report');
    // 09-16 09:00 + 7 days.
    expect(weekly?.due).toBe('2026-09-23T09:00:00+08:00');
  });

  it('are major from the receipt that brings the people raising it to 10, duplicates included', () => {
    // 4 people on Tue 09-01, then 2 + 2 + 2 in duplicates: 10 with the third duplicate, on 09-04.
    const original = complaint({ received_at: '2026-09-01T10:00:00+08:00', complainants: 4 });
    const duplicate = (id: string, day: string, complainants: number) =>
      complaint({ id, received_at: `2026-09-${day}T10:00:00+08:00`, complainants, duplicate_of: '2026-0001' });
    const duplicates = [duplicate('2026-0002', '02', 2), duplicate('2026-0003', '03', 2), duplicate('2026-0004', '04', 2)];
    // At 12:00 on 09-04 the 3 working days to answer (09-02, 09-03, 09-04 until 17:30) have not run out.
    const assessment = assess(original, '2026-09-04T12:00:00+08:00', duplicates);
    expect(rules(assessment)).toEqual(['major_complainants', 'same_complaint', 'hot_collective']);
    expect(assessment.reasons[0]).toEqual({ rule: 'major_complainants', level: 'major', text: '10 人以上投诉（含重复投诉共 10 人）', since: '2026-09-04T10:00:00+08:00' });
    expect([assessment.level, assessment.since]).toEqual(['major', '2026-09-04T10:00:00+08:00']);
    // Nine people are not enough.
    const nine = [...duplicates.slice(0, 2), duplicate('2026-0004', '04', 1)];
    expect(assess(original, '2026-09-04T12:00:00+08:00', nine).level).toBe('hot');
  });

  it('are major when unresolved for more than 30 days for our reasons, paused time not counting', () => {
    // Received Mon 08-03 10:00 and never answered; paused 08-06 10:00 – 08-11 10:00 (5 days).
    // Hot after 7 + 5 days: 08-15 10:00. Major after 30 + 5 days: 09-07 10:00.
    const waiting = complaint({ received_at: '2026-08-03T10:00:00+08:00' }, [
      event('paused', '2026-08-06T10:00:00+08:00', { reason: 'outside_party', note: '等待开发商维修' }),
      event('resumed', '2026-08-11T10:00:00+08:00'),
    ]);
    const before = assess(waiting, '2026-09-07T09:59:00+08:00');
    expect(before.level).toBe('hot');
    expect(before.reasons.find((reason) => reason.rule === 'hot_open')?.since).toBe('2026-08-15T10:00:00+08:00');
    const after = assess(waiting, '2026-09-07T10:01:00+08:00');
    expect(after.level).toBe('major');
    expect(after.reasons.find((reason) => reason.rule === 'major_open')?.since).toBe('2026-09-07T10:00:00+08:00');
  });

  it('counts the time a reopened complaint waits again for an answer', () => {
    // Answered after 5 days (08-03 → 08-08), reopened on 08-20, unanswered since: 5 + 3 days > 7 on 08-22 10:00.
    const reopened = complaint({ received_at: '2026-08-03T10:00:00+08:00' }, [
      ...answered('2026-08-08T10:00:00+08:00'),
      event('reopened', '2026-08-20T10:00:00+08:00', { note: '回访不满意' }),
    ]);
    expect(rules(assess(reopened, '2026-08-22T09:00:00+08:00'))).not.toContain('hot_open');
    expect(assess(reopened, '2026-08-22T11:00:00+08:00').reasons.find((reason) => reason.rule === 'hot_open')?.since).toBe('2026-08-22T10:00:00+08:00');
  });
});

describe('hot complaints (热点投诉)', () => {
  it.each([['possible_lawsuit'], ['possible_media']] as const)('are hot when flagged %s, with a report due within 1 working day', (flag) => {
    const assessment = assess(complaint({ received_at: MONDAY, severity: { flags: [flag] } }), '2026-09-14T11:00:00+08:00');
    expect([assessment.level, rules(assessment)]).toEqual(['hot', [flag]]);
    // Became hot Mon 09-14 → the end of the next working day, Tue 09-15 17:30.
    expect(assessment.duties).toEqual([
      { duty: 'hot_report', level: 'hot', label: '一个工作日内反馈至集团物业管理部', due: '2026-09-15T17:30:00+08:00', afterClosing: false },
      { duty: 'case_report', level: 'hot', label: '处理完毕后一周内的专题案例报告', afterClosing: true },
    ]);
  });

  it('are hot when three different complainants raise the same complaint within 30 days', () => {
    const original = complaint({ received_at: '2026-09-01T10:00:00+08:00' }, answered('2026-09-01T16:00:00+08:00'));
    const duplicate = (id: string, receivedAt: string) => complaint({ id, received_at: receivedAt, duplicate_of: '2026-0001' });
    const inMonth = [duplicate('2026-0002', '2026-09-10T10:00:00+08:00'), duplicate('2026-0003', '2026-09-20T10:00:00+08:00')];
    const assessment = assess(original, '2026-09-20T12:00:00+08:00', inMonth);
    expect(rules(assessment)).toEqual(['same_complaint']);
    expect(assessment.reasons[0]?.since).toBe('2026-09-20T10:00:00+08:00');
    // The third one 34 days after the first is outside the window.
    const late = [inMonth[0] as ComplaintData, duplicate('2026-0003', '2026-10-05T10:00:00+08:00')];
    expect(assess(original, '2026-10-05T12:00:00+08:00', late).level).toBe('normal');
  });

  it('are hot as a collective complaint of three people, not of two', () => {
    expect(rules(assess(complaint({ received_at: MONDAY, complainants: 3 }), '2026-09-14T11:00:00+08:00'))).toEqual(['hot_collective']);
    expect(assess(complaint({ received_at: MONDAY, complainants: 2 }), '2026-09-14T11:00:00+08:00').level).toBe('normal');
  });

  it('have the case report due a week after closing', () => {
    const closed = complaint(
      { received_at: MONDAY, complainants: 3, closure: { at: '2026-09-20T10:00:00+08:00', basis: 'satisfied' } },
      [...answered('2026-09-14T16:00:00+08:00'), event('visited', '2026-09-16T10:00:00+08:00'), event('closed', '2026-09-20T10:00:00+08:00')],
    );
    // Closed 09-20: the end of 09-20 + 7 days.
    expect(assess(closed, '2026-09-21T10:00:00+08:00').duties.find((duty) => duty.duty === 'case_report')?.due).toBe('2026-09-27T23:59:59+08:00');
  });
});

describe('important complaints (重要投诉)', () => {
  it('are important when a complaint comes back after closure, both the repeat and the original', () => {
    const original = complaint(
      { received_at: '2026-09-01T10:00:00+08:00', closure: { at: '2026-09-10T10:00:00+08:00', basis: 'satisfied' } },
      [...answered('2026-09-01T16:00:00+08:00'), event('visited', '2026-09-03T10:00:00+08:00'), event('closed', '2026-09-10T10:00:00+08:00')],
    );
    const repeat = complaint({ id: '2026-0009', received_at: '2026-09-12T10:00:00+08:00', repeat_of: '2026-0001' });
    expect(rules(assess(repeat, '2026-09-12T11:00:00+08:00', [original]))).toEqual(['repeat']);
    const originalAssessment = assess(original, '2026-09-12T11:00:00+08:00', [repeat]);
    expect([originalAssessment.level, rules(originalAssessment), originalAssessment.reasons[0]?.since]).toEqual([
      'important',
      ['repeat'],
      '2026-09-12T10:00:00+08:00',
    ]);
    // Reported within a week of closing on 09-10.
    expect(originalAssessment.duties).toEqual([
      { duty: 'closing_report', level: 'important', label: '处理完毕后一周内反馈至集团物业管理部', due: '2026-09-17T23:59:59+08:00', afterClosing: true },
    ]);
  });

  it('are important when group resources are needed; the report has no due time until closing', () => {
    const assessment = assess(complaint({ received_at: MONDAY, severity: { flags: ['group_resources'] } }), '2026-09-14T11:00:00+08:00');
    expect([assessment.level, rules(assessment)]).toEqual(['important', ['group_resources']]);
    expect(assessment.duties).toEqual([{ duty: 'closing_report', level: 'important', label: '处理完毕后一周内反馈至集团物业管理部', afterClosing: true }]);
  });

  it('are important when not answered within 3 working days', () => {
    // Mon 09-14: Tue (1), Wed (2), Thu 09-17 (3) until 17:30.
    const silent = complaint({ received_at: MONDAY });
    expect(assess(silent, '2026-09-17T17:30:00+08:00').level).toBe('normal');
    const late = assess(silent, '2026-09-17T17:30:01+08:00');
    expect([late.level, late.reasons[0]?.since]).toEqual(['important', '2026-09-17T17:30:00+08:00']);
    expect(assess(complaint({ received_at: MONDAY }, answered('2026-09-17T17:00:00+08:00')), '2026-09-18T10:00:00+08:00').level).toBe('normal');
  });

  it('give the 3 working days back for the working time paused', () => {
    // Paused Tue 09:00–11:00 (2 working hours): Thu 17:30 + 2 h → Fri 10:30.
    const paused = complaint({ received_at: MONDAY }, [
      event('paused', '2026-09-15T09:00:00+08:00', { reason: 'complainant', note: '等待业主开门' }),
      event('resumed', '2026-09-15T11:00:00+08:00'),
    ]);
    expect(assess(paused, '2026-09-18T10:29:00+08:00').level).toBe('normal');
    expect(assess(paused, '2026-09-18T10:31:00+08:00').reasons[0]?.since).toBe('2026-09-18T10:30:00+08:00');
  });
});

describe('overrides and duplicates', () => {
  it('lets a supervisor override the computed level, with the reason and name kept', () => {
    const overridden = complaint({
      received_at: MONDAY,
      severity: { flags: ['lawsuit'], override: 'important', reason: '诉讼已撤回，经核实为个案', by: 'carol' },
    });
    const assessment = assess(overridden, '2026-09-14T11:00:00+08:00');
    expect([assessment.level, assessment.computed]).toEqual(['important', 'major']);
    expect(assessment.override).toEqual({ level: 'important', reason: '诉讼已撤回，经核实为个案', by: 'carol' });
    expect(assessment.duties.map((duty) => duty.duty)).toEqual(['closing_report']);
  });

  it('takes an override upwards from receipt when no rule says when', () => {
    const raised = complaint({ received_at: MONDAY, severity: { flags: [], override: 'hot', reason: '涉及多户业主的安全隐患', by: 'carol' } });
    const assessment = assess(raised, '2026-09-14T11:00:00+08:00');
    expect([assessment.level, assessment.computed, assessment.since]).toEqual(['hot', 'normal', '2026-09-14T10:00:00+08:00']);
    expect(assessment.duties[0]?.due).toBe('2026-09-15T17:30:00+08:00');
  });

  it('assesses a duplicate through its original: it has no reasons of its own', () => {
    const duplicate = complaint({ id: '2026-0002', received_at: MONDAY, duplicate_of: '2026-0001', severity: { flags: ['lawsuit'] } });
    const assessment = assess(duplicate, '2026-09-30T10:00:00+08:00');
    expect([assessment.level, assessment.reasons, assessment.duties]).toEqual(['normal', [], []]);
  });
});

describe('assessing a whole archive through its links', () => {
  it('gives every complaint of the demo archive the same assessment as the archive itself does', async () => {
    const { generateDemoArchive } = await import('../../src/demo/generate.ts');
    const { complaintLinks } = await import('../../src/core/severity.ts');
    const { orgSchema: schema } = await import('../../src/core/org/schema.ts');
    const { workingCalendar: calendarOf } = await import('../../src/core/calendar.ts');
    const { chineseDaysSource: source } = await import('../../src/calendar/chinese-days.ts');
    const now = new Date('2026-11-23T10:00:00+08:00');
    const demo = generateDemoArchive({ seed: 20261123, count: 240, now });
    const org = schema.parse(demo.org);
    const calendar = calendarOf(org, source);
    const archive = demo.complaints.map((complaint) => complaint.data);
    const links = complaintLinks(archive);
    for (const data of archive) expect(assessSeverity(data, links, org, calendar, now)).toEqual(assessSeverity(data, archive, org, calendar, now));
    // The demo has duplicates and repeats, so the links are exercised.
    expect([...links.duplicatesOf.values()].flat().length).toBeGreaterThan(0);
    expect([...links.repeatsOf.values()].flat().length).toBeGreaterThan(0);
  });
});
