import { describe, expect, it } from 'vitest';
import { complaintFile, complaintText, historyRepository } from '../git/history-fixture.ts';
import { runComplaints } from './run-cli.ts';

const received = { at: '2026-10-05T09:30:00+08:00', type: 'received', by: 'alice' } as const;
const accepted = { at: '2026-10-05T10:30:00+08:00', type: 'accepted', by: 'bob' } as const;

async function handledComplaint() {
  const repository = await historyRepository();
  await repository.commit('Register', '2026-10-05T10:00:00+08:00', { [complaintFile('2026-0001')]: complaintText(), [complaintFile('2026-0002')]: complaintText({ id: '2026-0002' }) });
  await repository.commit('Accept', '2026-10-05T11:00:00+08:00', { [complaintFile('2026-0001')]: complaintText({ events: [received, accepted] }) });
  await repository.commit('Change the channel', '2026-10-05T12:00:00+08:00', { [complaintFile('2026-0001')]: complaintText({ channel: 'visit', events: [received, accepted] }) });
  return repository;
}

describe('complaints history', () => {
  it("prints a complaint's trail in zh-CN: commits, authors, fields, states and events, then its findings", async () => {
    const repository = await handledComplaint();

    const result = await runComplaints(['history', '2026-0001', '--root', repository.root]);

    expect(result.code).toBe(0);
    const text = result.stdout.replace(/提交 [0-9a-f]{8}/g, '提交 <hash>').replace(/@ [0-9a-f]{8}/g, '@ <hash>');
    expect(text).toContain('投诉 2026-0001 的处理留痕 audit trail（content/complaints/2026/10/2026-0001.md）');
    expect(text).toContain('2026-10-05 10:00  提交 <hash>  Test Clerk <clerk@example.test>\n  新建投诉文件 added；状态 state：— → 已登记（received）');
    expect(text).toContain(
      '2026-10-05 11:00  提交 <hash>  Test Clerk <clerk@example.test>\n  修改 modified；状态 state：已登记（received） → 已受理（accepted）\n  字段 fields：events（处理记录）\n  + 受理（accepted）2026-10-05 10:30 经办 bob',
    );
    expect(text).toContain('字段 fields：channel（投诉渠道）');
    expect(text).toContain('[immutable_field_changed 不可更改的字段被修改] channel changed from "phone" to "visit"');
    expect(text).not.toContain('2026-0002');
  });

  it('gives the trail and findings as JSON', async () => {
    const repository = await handledComplaint();

    const result = await runComplaints(['history', '2026-0001', '--root', repository.root, '--json']);

    const history = JSON.parse(result.stdout);
    expect(Object.keys(history)).toEqual(['id', 'path', 'trail', 'findings']);
    expect(history.trail.map((entry: { change: string; stateBefore: string | null; stateAfter: string; fields: string[] }) => [entry.change, entry.stateBefore, entry.stateAfter])).toEqual([
      ['added', null, 'received'],
      ['modified', 'received', 'accepted'],
      ['modified', 'accepted', 'accepted'],
    ]);
    expect(history.trail[1]).toMatchObject({ author: { name: 'Test Clerk', email: 'clerk@example.test' }, committedAt: '2026-10-05T11:00:00+08:00', fields: ['events'], eventsAdded: [accepted], import: false });
    expect(history.findings).toEqual([expect.objectContaining({ kind: 'immutable_field_changed', field: 'channel', id: '2026-0001' })]);
  });

  it('exits 1 for a complaint no commit touched, and 2 for something that is not an id', async () => {
    const repository = await handledComplaint();
    expect((await runComplaints(['history', '2026-0099', '--root', repository.root])).code).toBe(1);
    expect((await runComplaints(['history', 'elevator', '--root', repository.root])).code).toBe(2);
  });
});
