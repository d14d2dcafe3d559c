import { describe, expect, it } from 'vitest';
import { limitSchema, orgSchema } from '../../../src/core/org/schema.ts';

const MINIMAL = {
  name: '示例物业服务中心',
  preset: 'property',
  projects: [{ key: 'cuiyuan', name: '翠苑小区', type: 'residential', households: 1200 }],
  departments: [{ key: 'engineering', name: '工程部', handlers: ['alice'], categories: ['housing', 'equipment'] }],
};

describe('org.yaml with its preset filled in', () => {
  it('takes categories, clocks and severity rules from the preset, and the defaults of SPEC §5a', () => {
    const org = orgSchema.parse(MINIMAL);
    expect(org.categories.map((category) => category.label)).toEqual(['房屋管理', '设备管理', '安全管理', '环境管理', '综合服务', '业户纠纷', '地产相关', '其它']);
    expect(org.timezone).toBe('Asia/Shanghai');
    expect(org.workday).toEqual({ start: '08:30', end: '17:30' });
    expect(org.severity.major).toEqual({ complainants: 10, openDays: 30 });
    expect(org.clocks.filter((rule) => rule.clock === 'reply').map((rule) => rule.limit)).toEqual([
      { kind: 'same_day' },
      { kind: 'same_day' },
      { kind: 'working_days', days: 2 },
    ]);
  });

  it('replaces all of the preset’s rules for a clock that org.yaml names, and keeps the others', () => {
    const org = orgSchema.parse({ ...MINIMAL, clocks: [{ clock: 'reply', limit: '1 working day' }] });
    expect(org.clocks.filter((rule) => rule.clock === 'reply')).toEqual([{ clock: 'reply', limit: { kind: 'working_days', days: 1 } }]);
    expect(org.clocks.some((rule) => rule.clock === 'ack')).toBe(true);
  });

  it('overrides single severity thresholds', () => {
    const org = orgSchema.parse({ ...MINIMAL, severity: { hot: { complainants: 5, sameComplaintComplainants: 3, sameComplaintWithinDays: 30, openDays: 7 } } });
    expect(org.severity.hot.complainants).toBe(5);
    expect(org.severity.major.complainants).toBe(10);
  });

  it.each([
    ['4 h', { kind: 'hours', hours: 4 }],
    ['48h', { kind: 'hours', hours: 48 }],
    ['same day', { kind: 'same_day' }],
    ['1 working day', { kind: 'working_days', days: 1 }],
    ['15 working days', { kind: 'working_days', days: 15 }],
    ['15 days', { kind: 'days', days: 15 }],
    ['deadline', { kind: 'deadline' }],
  ])('reads the limit "%s"', (text, limit) => {
    expect(limitSchema.parse(text)).toEqual(limit);
  });

  it('refuses a limit it cannot read, saying what it expects', () => {
    expect(limitSchema.safeParse('two days').error?.issues[0]?.message).toMatchInlineSnapshot(`"expected a limit such as "4 h", "same day", "2 working days", "15 days" or "deadline", found "two days""`);
  });

  it('refuses praise for a department that does not exist', () => {
    const result = orgSchema.safeParse({ ...MINIMAL, praise: [{ department: 'cleaning', date: '2026-10-01', note: '业主送锦旗' }] });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['praise.0.department', 'unknown department "cleaning"']]);
  });
});
