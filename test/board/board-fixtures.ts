import { complaintSchema, type ComplaintData, type ComplaintInput } from '../../src/core/complaint/schema.ts';
import { orgSchema } from '../../src/core/org/schema.ts';

/** A small property organisation and complaint records for the board's pure tests. */
export const org = orgSchema.parse({
  name: '测试物业服务中心',
  preset: 'property',
  projects: [
    { key: 'cuiyuan', name: '翠苑小区', type: 'residential', households: 1200 },
    { key: 'guomao', name: '国贸大厦', type: 'office', area: 85000 },
  ],
  departments: [
    { key: 'engineering', name: '工程部', handlers: ['alice'], categories: ['housing', 'equipment'] },
    { key: 'service', name: '客户服务中心', handlers: ['bob'], categories: ['general_service'] },
  ],
});

/** A complaint received at `received_at` (default 2026-10-12 09:30), with the given fields. */
export function complaint(id: string, overrides: Partial<ComplaintInput> = {}): ComplaintData {
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

/** A public complaint handled all the way to closing, with internal and public notes at every step. */
export function closedComplaint(id: string, overrides: Partial<ComplaintInput> = {}): ComplaintData {
  return complaint(id, {
    title: '7栋电梯频繁停运',
    location: '7栋2单元电梯',
    department: 'engineering',
    events: [
      { at: '2026-10-12T09:30:00+08:00', type: 'received', by: 'alice' },
      { at: '2026-10-12T09:40:00+08:00', type: 'accepted', by: 'alice', note: '内部备注：投诉人语气激动', public_note: '已受理，正在处理。' },
      { at: '2026-10-12T10:00:00+08:00', type: 'assigned', by: 'alice', department: 'engineering', note: '派给维保班组长' },
      { at: '2026-10-12T11:00:00+08:00', type: 'escalated', by: 'alice', note: '内部督办：维保单位响应慢' },
      { at: '2026-10-12T11:30:00+08:00', type: 'investigated', by: 'alice', note: '门锁触点磨损' },
      { at: '2026-10-12T16:00:00+08:00', type: 'replied', by: 'alice', public_note: '电梯已修复并加密保养。' },
      { at: '2026-10-13T10:00:00+08:00', type: 'visited', by: 'alice', note: '回访满意' },
      { at: '2026-10-13T11:00:00+08:00', type: 'closed', by: 'alice', public_note: '经回访投诉人满意，投诉关闭。' },
    ],
    reply: { at: '2026-10-12T16:00:00+08:00', by: 'alice', method: 'phone', summary: '答复内容：已更换门锁触点，给您添麻烦了' },
    visit: { at: '2026-10-13T10:00:00+08:00', method: 'phone', satisfied: true, score: 5, comment: '回访意见：师傅态度很好' },
    closure: { at: '2026-10-13T11:00:00+08:00', basis: 'satisfied' },
    corrective_action: '纠正措施：加密保养',
    lessons: '经验教训：维保监督不到位',
    nature: 'machine',
    nature_detail: '性质说明：门锁触点磨损',
    ...overrides,
  });
}
