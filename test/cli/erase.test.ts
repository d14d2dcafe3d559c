import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseComplaintFile } from '../../src/archive/archive.ts';
import { generateKeyPair } from '../../src/privacy/contact.ts';
import { gitIn, localArchiveRepository } from '../git/git-fixture.ts';
import { runComplaints } from './run-cli.ts';

/** Registers a complaint now (the real clock, so Git's dates agree with the file's) and returns its id and path. */
async function register(root: string, flags: string[]): Promise<{ id: string; path: string }> {
  const result = await runComplaints([
    'new', '--root', root, '--json', '--title', '楼道灯不亮', '--channel', 'phone', '--received-by', 'alice', '--category', 'equipment', ...flags,
  ]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { id: string; path: string };
}

async function complaintAt(root: string, path: string) {
  return parseComplaintFile(path, await readFile(join(root, path), 'utf8')).complaint!;
}

describe('complaints erase', () => {
  it("removes the contact and the marked text, finds the contact's own name, records it, and leaves the statistics and the audit clean", async () => {
    const keys = await generateKeyPair();
    const root = await localArchiveRepository({ recipients: [keys.recipient] });
    const env = { ...process.env, COMPLAINTS_IDENTITY: keys.identity };
    const target = await register(root, ['--body', '王小明反映三楼楼道灯不亮，住3幢1单元302室。', '--location', '3幢1单元302室', '--name', '王小明', '--phone', '13912345678']);
    await register(root, ['--body', '五楼楼道灯闪烁。', '--name', '李华']);
    const before = await complaintAt(root, target.path);
    const month = DateTime.fromISO(before.data.received_at, { setZone: true }).setZone('Asia/Shanghai').toFormat('yyyy-MM');
    const reportAt = new Date(Date.now() + 60_000).toISOString();
    const reportBefore = await runComplaints(['report', '--month', month, '--root', root, '--json', '--now', reportAt]);

    const result = await runComplaints(['erase', target.id, '--by', 'dpo-he', '--text', '3幢1单元302室', '--root', root, '--json'], { env });

    expect(result.code, result.stderr).toBe(0);
    const erased = JSON.parse(result.stdout);
    expect(erased).toMatchObject({ id: target.id, path: target.path, contactRemoved: true, committed: true, replaced: [{ text: '3********', count: 2 }, { text: '王**', count: 1 }] });
    expect(result.stdout).not.toContain('王小明');
    const after = await complaintAt(root, target.path);
    expect(after.data.contact).toBeUndefined();
    expect(after.body).toBe('〔已删除〕反映三楼楼道灯不亮，住〔已删除〕。\n');
    expect(after.data.location).toBe('〔已删除〕');
    expect(after.data.events.at(-1)).toMatchObject({ type: 'erased', by: 'dpo-he', note: expect.stringContaining('删除请求') });
    for (const field of ['id', 'received_at', 'channel', 'category', 'project', 'department', 'urgency', 'complainants'] as const) expect(after.data[field]).toEqual(before.data[field]);
    expect((await runComplaints(['report', '--month', month, '--root', root, '--json', '--now', reportAt])).stdout).toBe(reportBefore.stdout);
    expect((await runComplaints(['validate', '--root', root])).code).toBe(0);
    expect((await gitIn(root).raw(['log', '-1', '--format=%s'])).trim()).toBe(`Erase personal data of complaint ${target.id} (删除投诉 ${target.id} 的个人信息)`);
    expect((await gitIn(root).raw(['status', '--porcelain'])).trim()).toBe('');
    const audit = JSON.parse((await runComplaints(['audit', '--root', root, '--json'])).stdout);
    expect(audit.findings).toEqual([]);
    expect(audit.complaints.find((complaint: { id: string }) => complaint.id === target.id).trail.at(-1)).toMatchObject({ fields: expect.arrayContaining(['contact', 'location', 'events', 'body']), eventsAdded: [{ type: 'erased', by: 'dpo-he' }] });
  });

  it('changes nothing when a marked text does not occur in the complaint', async () => {
    const keys = await generateKeyPair();
    const root = await localArchiveRepository({ recipients: [keys.recipient] });
    const target = await register(root, ['--body', '三楼楼道灯不亮。', '--name', '王小明']);
    const text = await readFile(join(root, target.path), 'utf8');
    const head = (await gitIn(root).raw(['rev-parse', 'HEAD'])).trim();

    const result = await runComplaints(['erase', target.id, '--by', 'dpo-he', '--text', '赵大海', '--root', root]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('occur nowhere');
    expect(result.stderr).not.toContain('赵大海');
    expect(await readFile(join(root, target.path), 'utf8')).toBe(text);
    expect((await gitIn(root).raw(['rev-parse', 'HEAD'])).trim()).toBe(head);
  });

  it('refuses when there is nothing to erase, a text too short to erase, or no handle', async () => {
    const root = await localArchiveRepository();
    const target = await register(root, ['--body', '三楼楼道灯不亮。', '--anonymous']);
    expect((await runComplaints(['erase', target.id, '--by', 'dpo-he', '--root', root])).code).toBe(1);
    expect((await runComplaints(['erase', target.id, '--by', 'dpo-he', '--text', '灯', '--root', root])).code).toBe(2);
    expect((await runComplaints(['erase', target.id, '--text', '楼道', '--root', root])).code).toBe(2);
    expect((await runComplaints(['erase', '2026-9999', '--by', 'dpo-he', '--root', root])).code).toBe(1);
  });
});
