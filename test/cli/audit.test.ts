import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { describe, expect, it } from 'vitest';
import { loadArchive, writeComplaint } from '../../src/archive/archive.ts';
import { stateOf } from '../../src/core/complaint/states.ts';
import { temporaryFolder } from '../git/git-fixture.ts';
import { complaintFile, complaintText, datedGit, historyRepository } from '../git/history-fixture.ts';
import { runComplaints } from './run-cli.ts';

/** When the demo archive is generated (its events end before this) and then imported. */
const DEMO_NOW = '2026-11-23T10:00:00+08:00';
const hoursAfter = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * 3_600_000).toISOString().replace('.000Z', 'Z');

describe('complaints audit', () => {
  it('reports nothing on the demo archive imported in one commit and then handled legally', async () => {
    const root = await temporaryFolder('complaints-demo-audit-');
    await simpleGit({ baseDir: root }).init(['--quiet', '--initial-branch=main']);
    expect((await runComplaints(['demo', '--root', root, '--now', DEMO_NOW])).code).toBe(0);
    const importedAt = hoursAfter(DEMO_NOW, 1);
    await datedGit(root, importedAt).raw(['add', '--all']);
    await datedGit(root, importedAt).raw(['commit', '--quiet', '-m', 'Import the demo archive\n\nComplaints-Import: true\n']);

    // Three handling commits: acceptances, assignments and escalations, each recorded within the hour.
    const { complaints } = await loadArchive(root);
    const open = complaints.filter((complaint) => ['received', 'accepted', 'assigned', 'investigating'].includes(stateOf(complaint.data)));
    expect(open.length).toBeGreaterThan(3);
    for (const [round, handledAt] of [hoursAfter(DEMO_NOW, 24), hoursAfter(DEMO_NOW, 30), hoursAfter(DEMO_NOW, 50)].entries()) {
      for (const complaint of open.slice(round * 3, round * 3 + 3)) {
        const state = stateOf(complaint.data);
        const type = state === 'received' ? 'accepted' : state === 'accepted' ? 'assigned' : 'escalated';
        const department = complaint.data.department ?? 'engineering';
        complaint.data.events.push({ at: handledAt, type, by: 'qa-jiang', ...(type === 'assigned' ? { department } : {}) });
        if (type === 'assigned') complaint.data.department = department;
        await writeComplaint(root, complaint);
      }
      const git = datedGit(root, hoursAfter(handledAt, 0.5));
      await git.raw(['add', '--all']);
      await git.raw(['commit', '--quiet', '-m', `Handling round ${round + 1}`]);
    }

    const result = await runComplaints(['audit', '--root', root, '--json']);

    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.findings).toEqual([]);
    expect(result.code).toBe(0);
    expect(report).toMatchObject({ ok: true, since: null, settings: { backdateMarginHours: 24, requireSignedCommits: false }, commits: 4 });
    expect(report.complaints).toHaveLength(240);
    expect(report.imports).toHaveLength(1);
    expect(report.imports[0].complaints).toHaveLength(240);
    const handled = report.complaints.find((complaint: { id: string }) => complaint.id === open[0]!.data.id);
    expect(handled.trail.map((entry: { change: string; import: boolean }) => [entry.change, entry.import])).toEqual([
      ['added', true],
      ['modified', false],
    ]);
  });

  it('exits 1 and prints each finding with its file, commit and author', async () => {
    const repository = await historyRepository();
    await repository.commit('Register a day and a half late', '2026-10-06T21:30:00+08:00', { [complaintFile('2026-0001')]: complaintText() });

    const human = await runComplaints(['audit', '--root', repository.root]);
    const json = await runComplaints(['audit', '--root', repository.root, '--json']);

    expect(human.code).toBe(1);
    expect(human.stdout).toContain('1 findings（1 次提交，1 件投诉，发现 1 个问题）');
    expect(human.stdout).toMatch(/content\/complaints\/2026\/10\/2026-0001\.md @ [0-9a-f]{8} 2026-10-06 21:30 Test Clerk: \[backdated 补录超过时限\] event 1 "received" at 2026-10-05T09:30:00\+08:00 was first recorded 36 h later/);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([
      expect.objectContaining({ kind: 'backdated', id: '2026-0001', path: complaintFile('2026-0001'), committedAt: '2026-10-06T21:30:00+08:00', author: { name: 'Test Clerk', email: 'clerk@example.test' }, hoursLate: 36 }),
    ]);
  });

  it('uses the margin and the signature rule of org.yaml', async () => {
    const repository = await historyRepository({ orgExtra: 'audit:\n  backdateMarginHours: 48\n  requireSignedCommits: true' });
    await repository.commit('Register a day and a half late', '2026-10-06T21:30:00+08:00', { [complaintFile('2026-0001')]: complaintText() });

    const result = await runComplaints(['audit', '--root', repository.root, '--json']);

    const report = JSON.parse(result.stdout);
    expect(report.settings).toEqual({ backdateMarginHours: 48, requireSignedCommits: true, importCommits: [] });
    expect(report.findings.map((finding: { kind: string }) => finding.kind)).toEqual(['unsigned_commit']);
    expect(report.complaints[0].trail[0].signature).toBe('N');
  });

  it('reads only the commits since --since, given as a local date', async () => {
    const repository = await historyRepository();
    await repository.commit('Late in October', '2026-10-07T10:00:00+08:00', { [complaintFile('2026-0001')]: complaintText() });

    const result = await runComplaints(['audit', '--root', repository.root, '--since', '2026-11-01', '--json']);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, since: '2026-11-01T00:00:00+08:00', commits: 0, findings: [] });
  });

  it('refuses an unreadable --since (exit 2) and a folder outside Git (exit 1)', async () => {
    const repository = await historyRepository();
    expect((await runComplaints(['audit', '--root', repository.root, '--since', 'last week'])).code).toBe(2);
    const plain = await temporaryFolder('complaints-plain-');
    await runComplaints(['init', '--root', plain, '--preset', 'property']);
    const result = await runComplaints(['audit', '--root', plain]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not in a Git repository');
  });

  it('refuses a margin that is not a number in org.yaml', async () => {
    const repository = await historyRepository();
    await appendFile(join(repository.root, 'content/org.yaml'), '\naudit: { backdateMarginHours: soon }\n');
    const result = await runComplaints(['audit', '--root', repository.root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('audit.backdateMarginHours');
  });
});
