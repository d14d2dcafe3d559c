import { chmod, readFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditHistory, type AuditReport } from '../../src/core/audit.ts';
import { readComplaintHistory, NotAGitRepositoryError } from '../../src/git/history.ts';
import { gitIn, temporaryFolder } from './git-fixture.ts';
import { bulkHistory, complaintFile, complaintText, datedGit, historyRepository } from './history-fixture.ts';

const SETTINGS = { backdateMarginHours: 24, requireSignedCommits: false };

async function auditOf(root: string, settings = SETTINGS, options: { env?: NodeJS.ProcessEnv } = {}): Promise<AuditReport> {
  const history = await readComplaintHistory(root, { signatures: settings.requireSignedCommits, ...(options.env ? { env: options.env } : {}) });
  return auditHistory(history, settings);
}

const found = (report: AuditReport) => report.findings.map((finding) => `${finding.kind} ${finding.id ?? '-'}`);

const RECEIVED_AT = '2026-10-05T09:30:00+08:00';
const event = (type: string, at: string, extra: Record<string, unknown> = {}) => ({ at, type, by: 'alice', ...extra }) as never;
const received = event('received', RECEIVED_AT);

describe('reading the Git history of the complaint files', () => {
  it('reports exactly the findings planted in a real history, and nothing for legal handling or an import', async () => {
    const repository = await historyRepository();
    const closedEvents = [
      received,
      event('accepted', '2026-10-05T09:40:00+08:00'),
      event('assigned', '2026-10-05T09:45:00+08:00', { department: 'engineering' }),
      event('investigated', '2026-10-05T09:50:00+08:00'),
      event('replied', '2026-10-05T09:55:00+08:00'),
      event('closed', '2026-10-05T09:58:00+08:00'),
    ];
    const closedFields = {
      reply: { at: '2026-10-05T09:55:00+08:00', by: 'alice', method: 'phone' as const, summary: '已修复' },
      no_visit: { reason: 'on_the_spot' as const },
      closure: { at: '2026-10-05T09:58:00+08:00', basis: 'no_repeat_7d' as const },
      corrective_action: '更换控制板',
      lessons: '加强巡检',
    };
    const ids = ['2026-0001', '2026-0002', '2026-0003', '2026-0004', '2026-0005', '2026-0006'];
    await repository.commit('Register six complaints', '2026-10-05T10:00:00+08:00', {
      ...Object.fromEntries(ids.map((id) => [complaintFile(id), complaintText({ id })])),
      [complaintFile('2026-0007')]: complaintText({ id: '2026-0007', events: closedEvents, ...closedFields }),
    });
    await repository.commit('Accept and assign 0001', '2026-10-05T17:00:00+08:00', {
      [complaintFile('2026-0001')]: complaintText({ id: '2026-0001', events: [received, event('accepted', '2026-10-05T10:30:00+08:00'), event('assigned', '2026-10-05T16:00:00+08:00', { department: 'engineering' })] }),
    });
    await repository.commit('Reply to 0002 without handling it', '2026-10-06T10:00:00+08:00', {
      [complaintFile('2026-0002')]: complaintText({ id: '2026-0002', events: [received, event('replied', '2026-10-06T09:00:00+08:00')] }),
    });
    await repository.commit('Change the channel of 0003', '2026-10-06T11:00:00+08:00', { [complaintFile('2026-0003')]: complaintText({ id: '2026-0003', channel: 'visit' }) });
    await repository.commit('Record an acceptance two days late', '2026-10-07T10:00:00+08:00', {
      [complaintFile('2026-0004')]: complaintText({ id: '2026-0004', events: [received, event('accepted', '2026-10-05T10:00:00+08:00')] }),
    });
    await repository.commit('Delete 0005', '2026-10-07T11:00:00+08:00', { [complaintFile('2026-0005')]: null });
    await repository.commit('Move 0006', '2026-10-07T12:00:00+08:00', { [complaintFile('2026-0006')]: null, [complaintFile('2026-0006', '2026/11')]: complaintText({ id: '2026-0006' }) });
    const { closure: _closure, ...reopenedFields } = closedFields;
    await repository.commit('Take back the closing of 0007', '2026-10-08T10:00:00+08:00', {
      [complaintFile('2026-0007')]: complaintText({ id: '2026-0007', events: closedEvents.slice(0, -1), ...reopenedFields }),
    });
    const importCommit = await repository.commit(
      'Import the 2025 paper archive',
      '2026-10-09T10:00:00+08:00',
      { [complaintFile('2025-0100', '2025/03')]: complaintText({ id: '2025-0100', received_at: '2025-03-01T10:00:00+08:00', events: [event('received', '2025-03-01T10:00:00+08:00'), event('accepted', '2025-03-01T11:00:00+08:00')] }) },
      { trailers: ['Complaints-Import: true'] },
    );

    const report = await auditOf(repository.root);

    expect(found(report)).toEqual([
      'illegal_transition 2026-0002',
      'immutable_field_changed 2026-0003',
      'backdated 2026-0004',
      'deleted 2026-0005',
      'renamed 2026-0006',
      'events_rewritten 2026-0007',
      'reopened_without_event 2026-0007',
    ]);
    expect(report.findings.find((finding) => finding.kind === 'backdated')).toMatchObject({ event: { type: 'accepted', at: '2026-10-05T10:00:00+08:00' }, hoursLate: 48 });
    expect(report.findings.find((finding) => finding.kind === 'renamed')).toMatchObject({ path: complaintFile('2026-0006', '2026/11') });
    expect(report.imports).toEqual([{ commit: importCommit, committedAt: '2026-10-09T10:00:00+08:00', author: { name: 'Test Clerk', email: 'clerk@example.test' }, complaints: ['2025-0100'] }]);
    expect(report.commits).toBe(9);
    const first = report.complaints.find((complaint) => complaint.id === '2026-0001')!;
    expect(first.trail.map((entry) => [entry.change, entry.stateBefore, entry.stateAfter, entry.fields])).toEqual([
      ['added', null, 'received', expect.arrayContaining(['id', 'events', 'body'])],
      ['modified', 'received', 'assigned', ['events']],
    ]);
  });

  it('reads a file moved into the archive as added and one moved out of it as deleted, and ignores files elsewhere', async () => {
    const repository = await historyRepository();
    const text = complaintText({ id: '2026-0008' });
    await repository.commit('Draft outside the archive', '2026-10-05T10:00:00+08:00', { 'drafts/2026-0008.md': text, 'docs/notes.md': '# 备忘\n' });
    await repository.commit('File the draft', '2026-10-05T11:00:00+08:00', { 'drafts/2026-0008.md': null, [complaintFile('2026-0008')]: text });
    await repository.commit('Move it out again', '2026-10-06T11:00:00+08:00', { [complaintFile('2026-0008')]: null, 'drafts/2026-0008.md': text });
    const history = await readComplaintHistory(repository.root);
    expect(history.changes.map((change) => [change.kind, change.path, change.before.length, change.after !== undefined])).toEqual([
      ['added', complaintFile('2026-0008'), 0, true],
      ['deleted', complaintFile('2026-0008'), 1, false],
    ]);
    expect(history.commits.map((commit) => commit.hash)).toHaveLength(2);
  });

  it('does not report a branch merged days later, but reports an event a merge itself adds late', async () => {
    const repository = await historyRepository();
    const path = complaintFile('2026-0001');
    await repository.commit('Register', '2026-10-05T10:00:00+08:00', { [path]: complaintText({ events: [received] }, '第一行。\n\n第二行。\n\n第三行。\n') });
    const git = gitIn(repository.root);
    await git.raw(['checkout', '--quiet', '-b', 'handling']);
    await repository.commit('Accept on a branch', '2026-10-05T11:00:00+08:00', { [path]: complaintText({ events: [received, event('accepted', '2026-10-05T10:30:00+08:00')] }, '第一行。\n\n第二行。\n\n第三行。\n') });
    await git.raw(['checkout', '--quiet', 'main']);
    await repository.commit('Fix the text on main', '2026-10-05T12:00:00+08:00', { [path]: complaintText({ events: [received] }, '第一行。\n\n第二行。\n\n第三行（已核实）。\n') });
    const mergeDate = '2026-10-09T10:00:00+08:00';
    await datedGit(repository.root, mergeDate).raw(['merge', '--quiet', '--no-edit', 'handling']);
    expect(await readFile(join(repository.root, path), 'utf8')).toContain('accepted');

    expect(found(await auditOf(repository.root))).toEqual([]);

    await git.raw(['checkout', '--quiet', '-b', 'late']);
    await repository.commit('Note on a branch', '2026-10-09T11:00:00+08:00', { [path]: complaintText({ location: '3幢', events: [received, event('accepted', '2026-10-05T10:30:00+08:00')] }, '第一行。\n\n第二行。\n\n第三行（已核实）。\n') });
    await git.raw(['checkout', '--quiet', 'main']);
    await repository.commit('Text on main', '2026-10-09T12:00:00+08:00', { [path]: complaintText({ events: [received, event('accepted', '2026-10-05T10:30:00+08:00')] }, '第一行（补充）。\n\n第二行。\n\n第三行（已核实）。\n') });
    const evilDate = '2026-10-12T10:00:00+08:00';
    const evil = datedGit(repository.root, evilDate);
    await evil.raw(['merge', '--quiet', '--no-commit', '--no-ff', 'late']);
    // The merge also slips in an assignment dated a week earlier.
    const assigned = event('assigned', '2026-10-05T11:00:00+08:00', { department: 'engineering' });
    await writeFile(
      join(repository.root, path),
      complaintText({ location: '3幢', events: [received, event('accepted', '2026-10-05T10:30:00+08:00'), assigned] }, '第一行（补充）。\n\n第二行。\n\n第三行（已核实）。\n'),
    );
    await evil.raw(['commit', '--quiet', '--no-edit', '-a']);

    const report = await auditOf(repository.root);
    expect(found(report)).toEqual(['backdated 2026-0001']);
    expect(report.findings[0]).toMatchObject({ event: { type: 'assigned' }, committedAt: evilDate });
  });

  it('reports unsigned commits when signatures are required, and counts a signature git cannot check here as signed', async () => {
    const folder = await temporaryFolder('complaints-keys-');
    const known = join(folder, 'known');
    const other = join(folder, 'other');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', known]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const repository = await historyRepository();
    const signWith = (key: string) => ['gpg.format=ssh', `user.signingkey=${key}`];
    const unsigned = await repository.commit('Unsigned', '2026-10-05T10:00:00+08:00', { [complaintFile('2026-0001')]: complaintText({ id: '2026-0001' }) });
    await repository.commit('Signed by a known key', '2026-10-05T10:05:00+08:00', { [complaintFile('2026-0002')]: complaintText({ id: '2026-0002' }) }, { sign: true, config: signWith(known) });
    await repository.commit('Signed by another key', '2026-10-05T10:10:00+08:00', { [complaintFile('2026-0003')]: complaintText({ id: '2026-0003' }) }, { sign: true, config: signWith(other) });
    const required = { ...SETTINGS, requireSignedCommits: true };

    const unverifiable = await auditOf(repository.root, required);
    expect(found(unverifiable)).toEqual(['unsigned_commit -']);
    expect(unverifiable.findings[0]!.commit).toBe(unsigned);
    expect(unverifiable.complaints.map((complaint) => complaint.trail[0]!.signature)).toEqual(['N', 'E', 'E']);

    const allowed = join(folder, 'allowed_signers');
    await writeFile(allowed, `clerk@example.test ${(await readFile(`${known}.pub`, 'utf8')).trim()}\n`);
    await gitIn(repository.root).raw(['config', 'gpg.ssh.allowedSignersFile', allowed]);
    const verified = await auditOf(repository.root, required);
    expect(found(verified)).toEqual(['unsigned_commit -']);
    expect(verified.complaints.map((complaint) => complaint.trail[0]!.signature)).toEqual(['N', 'G', 'U']);
  });

  it('reads only commits since a date when asked', async () => {
    const repository = await historyRepository();
    await repository.commit('Late in October', '2026-10-07T10:00:00+08:00', { [complaintFile('2026-0001')]: complaintText({ id: '2026-0001' }) });
    await repository.commit('November', '2026-11-02T10:00:00+08:00', {
      [complaintFile('2026-0002', '2026/11')]: complaintText({ id: '2026-0002', received_at: '2026-11-02T09:00:00+08:00' }),
    });
    const all = auditHistory(await readComplaintHistory(repository.root), SETTINGS);
    const since = auditHistory(await readComplaintHistory(repository.root, { since: '2026-11-01T00:00:00+08:00' }), SETTINGS);
    expect(found(all)).toEqual(['backdated 2026-0001']);
    expect(found(since)).toEqual([]);
    expect(since.complaints.map((complaint) => complaint.id)).toEqual(['2026-0002']);
  });

  it('refuses a folder that is not a Git repository, and finds nothing in a repository without commits', async () => {
    const folder = await temporaryFolder('complaints-plain-');
    await expect(readComplaintHistory(folder)).rejects.toBeInstanceOf(NotAGitRepositoryError);
    execFileSync('git', ['init', '--quiet', folder]);
    expect(await readComplaintHistory(folder)).toEqual({ commits: [], changes: [] });
  });
});

describe('the cost of reading the history', () => {
  /** A `git` in front of the real one on PATH that logs every invocation, to count processes. */
  async function countingGit(): Promise<{ env: NodeJS.ProcessEnv; count: () => Promise<number> }> {
    const folder = await temporaryFolder('complaints-git-wrapper-');
    const log = join(folder, 'calls.log');
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const wrapper = join(folder, 'git');
    await writeFile(wrapper, `#!/bin/sh\necho "$1 $2 $3 $4 $5" >> '${log}'\nexec '${realGit}' "$@"\n`);
    await chmod(wrapper, 0o755);
    await writeFile(log, '');
    return {
      env: { ...process.env, PATH: `${folder}:${process.env.PATH ?? ''}` },
      count: async () => (await readFile(log, 'utf8')).split('\n').filter(Boolean).length,
    };
  }

  it('spawns two git processes whether the history holds 10 or 240 complaints', async () => {
    const counts: number[] = [];
    for (const complaints of [10, 240]) {
      const root = await bulkHistory(complaints, 4);
      const git = await countingGit();
      const report = await auditOf(root, SETTINGS, { env: git.env });
      expect(report.complaints).toHaveLength(complaints);
      expect(report.commits).toBe(complaints * 4);
      expect(report.findings).toEqual([]);
      counts.push(await git.count());
    }
    expect(counts).toEqual([2, 2]);
  });
});
