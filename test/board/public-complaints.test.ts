import { describe, expect, it } from 'vitest';
import { complaintSchema, type ComplaintData, type ComplaintInput } from '../../src/core/complaint/schema.ts';
import { orgSchema } from '../../src/core/org/schema.ts';
import { isPublicComplaint, publicComplaintRows, PublishedPersonalDataError } from '../../src/board/public-complaints.ts';

const org = orgSchema.parse({
  name: '测试物业服务中心',
  preset: 'property',
  projects: [
    { key: 'cuiyuan', name: '翠苑小区', type: 'residential', households: 1200 },
    { key: 'guomao', name: '国贸大厦', type: 'office', area: 85000 },
  ],
  departments: [{ key: 'engineering', name: '工程部', handlers: ['alice'], categories: ['housing', 'equipment'] }],
});

function complaint(id: string, overrides: Partial<ComplaintInput> = {}): ComplaintData {
  const receivedAt = overrides.received_at ?? '2026-10-12T09:30:00+08:00';
  return complaintSchema.parse({
    id,
    title: `投诉 ${id}`,
    channel: 'phone',
    received_at: receivedAt,
    received_by: 'alice',
    project: 'cuiyuan',
    category: 'equipment',
    events: [{ at: receivedAt, type: 'received', by: 'alice' }],
    ...overrides,
  });
}

describe('which complaints the board publishes (001 §4.6.1)', () => {
  it.each([
    ['a complaint in a public category', { category: 'equipment' }, true],
    ['a complaint in a private category', { category: 'general_service' }, false],
    ['a private-category complaint marked public', { category: 'general_service', public: true }, true],
    ['a public-category complaint marked not public', { category: 'neighbour_dispute', public: false }, false],
    ['a complaint in a category the organisation does not have', { category: 'catering' }, false],
  ] as const)('%s → %s', (_description, fields, expected) => {
    expect(isPublicComplaint(complaint('2026-0001', fields), org)).toBe(expected);
  });
});

describe('the rows of the public list', () => {
  it('lists only public complaints, newest first, with labels instead of keys', () => {
    const rows = publicComplaintRows(
      [
        complaint('2026-0001', { received_at: '2026-10-01T10:00:00+08:00' }),
        complaint('2026-0002', { received_at: '2026-10-03T10:00:00+08:00', category: 'general_service', title: '物业费发票开错' }),
        complaint('2026-0003', {
          received_at: '2026-10-05T10:00:00+08:00',
          project: 'guomao',
          category: 'housing',
          events: [
            { at: '2026-10-05T10:00:00+08:00', type: 'received', by: 'alice' },
            { at: '2026-10-05T10:05:00+08:00', type: 'accepted', by: 'alice' },
          ],
        }),
      ],
      org,
    );
    expect(rows).toEqual([
      { id: '2026-0003', title: '投诉 2026-0003', category: '房屋管理', project: '国贸大厦', state: '已受理', received: '2026-10-05' },
      { id: '2026-0001', title: '投诉 2026-0001', category: '设备管理', project: '翠苑小区', state: '已登记', received: '2026-10-01' },
    ]);
  });

  it("gives the day of receipt in the organisation's time zone", () => {
    const [row] = publicComplaintRows([complaint('2026-0001', { received_at: '2026-10-31T17:30:00Z' })], org);
    expect(row?.received).toBe('2026-11-01');
  });

  it('carries no field that could hold contact data, the complaint text or internal notes', () => {
    const [row] = publicComplaintRows(
      [complaint('2026-0001', { location: '5栋2单元', events: [{ at: '2026-10-12T09:30:00+08:00', type: 'received', by: 'alice', note: '内部备注' }] })],
      org,
    );
    expect(Object.keys(row!).sort()).toEqual(['category', 'id', 'project', 'received', 'state', 'title']);
  });

  it('refuses to publish a title that looks like it holds a phone number', () => {
    expect(() => publicComplaintRows([complaint('2026-0001', { title: '请回电 13912345678' })], org)).toThrowErrorMatchingInlineSnapshot(
      `[PublishedPersonalDataError: complaint 2026-0001: its title looks like it holds personal data and would be published on the board（公示内容疑似含个人信息）]`,
    );
    expect(() => publicComplaintRows([complaint('2026-0001', { title: '请回电 13912345678' })], org)).toThrow(PublishedPersonalDataError);
  });
});
