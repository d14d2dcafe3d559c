import { describe, expect, it } from 'vitest';
import type { Complaint } from '../../src/core/complaint/schema.ts';
import { DUPLICATE_SIMILARITY, possibleDuplicates, textSimilarity } from '../../src/intake/possible-duplicates.ts';
import { complaintBody } from '../../src/intake/complaint-body.ts';

/** Pairs of complaints as residents write them: one matter in two people's words, or two matters of one category. */
const SAME_MATTER: [string, string][] = [
  ['3号楼电梯又坏了\n3号楼电梯又坏了，停了两天。', '电梯停运\n3号楼的电梯停运两天没人修。'],
  ['东门垃圾\n小区东门垃圾堆了三天没人清理，臭味很大', '垃圾没清\n东门的垃圾三天没清了，味道很臭'],
  ['装修噪音\n楼上装修噪音太大，周末早上七点就开始电钻', '楼上扰民\n楼上周末早上七点就电钻装修，噪音扰民'],
  ['停车场没人巡逻\nB1停车场夜间无人巡逻，车被刮了', '车被刮\n昨晚停在B1停车场的车被刮，保安没有巡逻'],
];
const DIFFERENT_MATTERS: [string, string][] = [
  ['电梯停运\n3号楼电梯停运两天', '路灯不亮\n地下车库路灯不亮'],
  ['垃圾\n垃圾没人清理', '草坪\n草坪很久没修剪，杂草丛生'],
  ['停水\n5号楼停水一整天', '电梯按钮\n3号楼电梯按钮失灵'],
  ['5号楼停电\n5号楼停电了', '3号楼电梯\n3号楼电梯停了'],
  ['物业费\n物业费涨价没有公示', '客服\n客服电话一直打不通'],
];

function complaint(id: string, overrides: Partial<Complaint['data']> = {}, account = '3号楼电梯又坏了，停了两天。'): Complaint {
  return {
    path: `content/complaints/2026/10/${id}.md`,
    body: complaintBody({ description: account, request: '尽快修好', visit: '需要：处理完成后请回访我' }),
    data: {
      id,
      title: '3号楼电梯又坏了',
      channel: 'online',
      received_at: '2026-10-03T10:00:00+08:00',
      received_by: 'issue-intake',
      source: { issue: 4 },
      project: 'cuiyuan',
      category: 'equipment',
      complainants: 1,
      anonymous: false,
      urgency: 'general',
      assignees: [],
      related: [],
      events: [{ at: '2026-10-03T10:00:00+08:00', type: 'received', by: 'issue-intake' }],
      ...overrides,
    },
  };
}

const NEW = { project: 'cuiyuan', category: 'equipment', receivedAt: '2026-10-05T09:30:00+08:00', title: '电梯停运', account: '3号楼的电梯停运两天没人修。' };

describe('possible duplicates', () => {
  it.each(SAME_MATTER)('finds one matter in two people\'s words similar: %j / %j', (a, b) => {
    expect(textSimilarity(a, b)).toBeGreaterThanOrEqual(DUPLICATE_SIMILARITY);
  });

  it.each(DIFFERENT_MATTERS)('finds two matters of one category dissimilar: %j / %j', (a, b) => {
    expect(textSimilarity(a, b)).toBeLessThan(DUPLICATE_SIMILARITY);
  });

  it('lists an open complaint of the same project and category within 30 days, with its issue', () => {
    expect(possibleDuplicates(NEW, [complaint('2026-0001')])).toEqual([{ id: '2026-0001', similarity: expect.any(Number), issue: 4 }]);
  });

  it.each([
    ['another project', { project: 'guomao' }],
    ['another category', { category: 'housing' }],
    ['received more than 30 days before', { received_at: '2026-08-30T10:00:00+08:00', events: [{ at: '2026-08-30T10:00:00+08:00', type: 'received' as const, by: 'x' }] }],
    ['already marked as a duplicate', { duplicate_of: '2026-0002' }],
    [
      'withdrawn',
      { events: [{ at: '2026-10-03T10:00:00+08:00', type: 'received' as const, by: 'x' }, { at: '2026-10-03T11:00:00+08:00', type: 'withdrawn' as const, by: 'x' }] },
    ],
  ])('leaves out a complaint of %s', (_reason, overrides) => {
    expect(possibleDuplicates(NEW, [complaint('2026-0001', overrides)])).toEqual([]);
  });

  it('never lists the complaint itself, and compares accounts without the sections every online complaint shares', () => {
    expect(possibleDuplicates({ ...NEW, id: '2026-0001' }, [complaint('2026-0001')])).toEqual([]);
    expect(possibleDuplicates({ ...NEW, title: '物业费', account: '物业费涨价没有公示' }, [complaint('2026-0002', { title: '客服' }, '客服电话一直打不通')])).toEqual([]);
  });
});
