import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOrg, serializeComplaint } from '../../src/archive/archive.ts';
import { checkDraft, draftComplaint, withId, yearOfReceipt } from '../../src/core/complaint/new-complaint.ts';
import { ComplaintPushError, ComplaintRegistrationError, registrationCommitMessage, type RegistrationRequest } from '../../src/git/complaint-registry.ts';
import { gitComplaintRegistry } from '../../src/git/git-complaint-registry.ts';
import { folderComplaintRegistry } from '../../src/git/folder-complaint-registry.ts';
import { openComplaintRegistry } from '../../src/git/open-registry.ts';
import { RETRY_BASE_DELAY_MS } from '../../src/git/retry-timing.ts';
import { gitIn, idsOnMain, localArchiveRepository, readAt, sharedArchive, temporaryFolder, writeArchive, writeAt } from './git-fixture.ts';

/** A registration request for a valid complaint received at `receivedAt`, built the way `complaints new` builds it. */
async function requestFor(root: string, title: string, receivedAt = '2026-10-05T09:30:00+08:00'): Promise<RegistrationRequest> {
  const org = await readOrg(root);
  const year = yearOfReceipt(receivedAt, org.timezone);
  const draft = draftComplaint(
    { title, channel: 'phone', receivedAt, receivedBy: 'alice', project: 'sample_estate', category: 'equipment', body: `${title}。` },
    { org, id: `${year}-0001`, now: new Date(receivedAt) },
  );
  const { complaint, problems } = checkDraft(draft, org);
  if (!complaint) throw new Error(problems.map((problem) => problem.message).join('\n'));
  return {
    year,
    fileFor(id) {
      const renumbered = withId(complaint, id, org.timezone);
      return { path: renumbered.path, text: serializeComplaint(renumbered.data, renumbered.body) };
    },
  };
}

/** A minimal complaint file with only what allocation looks at: its name. */
async function seedComplaintFiles(root: string, paths: string[]): Promise<void> {
  for (const path of paths) await writeAt(root, path, '---\nid: placeholder\n---\n');
}

const noWait = async () => {};

describe('allocating the next id', () => {
  it('follows the highest id of the year of receipt, whatever the month folder', async () => {
    const root = await localArchiveRepository();
    await seedComplaintFiles(root, [
      'content/complaints/2025/12/2025-0040.md',
      'content/complaints/2026/01/2026-0003.md',
      'content/complaints/2026/03/2026-0011.md',
      'content/complaints/2026/02/2026-0009.md',
    ]);
    await gitIn(root).raw(['add', '--all']);
    await gitIn(root).raw(['commit', '--quiet', '-m', 'Seed']);

    const registration = await gitComplaintRegistry(root).register(await requestFor(root, '电梯故障'));

    expect(registration).toMatchObject({ id: '2026-0012', path: 'content/complaints/2026/10/2026-0012.md', committed: true, pushed: false });
  });

  it('never hands out again the id of a complaint file deleted from the history', async () => {
    const root = await localArchiveRepository();
    await seedComplaintFiles(root, ['content/complaints/2026/01/2026-0002.md', 'content/complaints/2026/02/2026-0003.md']);
    await gitIn(root).raw(['add', '--all']);
    await gitIn(root).raw(['commit', '--quiet', '-m', 'Seed']);
    await gitIn(root).raw(['rm', '--quiet', 'content/complaints/2026/02/2026-0003.md']);
    await gitIn(root).raw(['commit', '--quiet', '-m', 'Delete a complaint (forbidden, but it happened)']);

    const registration = await gitComplaintRegistry(root).register(await requestFor(root, '电梯故障'));

    expect(registration.id).toBe('2026-0004');
  });

  it('starts a new year at 0001 even when the old year went on past it', async () => {
    const root = await localArchiveRepository();
    await seedComplaintFiles(root, ['content/complaints/2026/12/2026-0412.md']);
    await gitIn(root).raw(['add', '--all']);
    await gitIn(root).raw(['commit', '--quiet', '-m', 'Seed']);
    const registry = gitComplaintRegistry(root);

    // 16:30 UTC on 31 December is already 1 January in Shanghai: the year of receipt is 2027.
    const newYear = await registry.register(await requestFor(root, '元旦供暖', '2026-12-31T16:30:00Z'));
    const lateOldYear = await registry.register(await requestFor(root, '年末噪音', '2026-12-31T15:30:00Z'));

    expect(newYear).toMatchObject({ id: '2027-0001', path: 'content/complaints/2027/01/2027-0001.md' });
    expect(lateOldYear).toMatchObject({ id: '2026-0413', path: 'content/complaints/2026/12/2026-0413.md' });
  });

  it('writes the id it allocated into the file it names', async () => {
    const root = await localArchiveRepository();
    await seedComplaintFiles(root, ['content/complaints/2026/09/2026-0007.md']);

    const registration = await gitComplaintRegistry(root).register(await requestFor(root, '水压低'));

    expect(registration.id).toBe('2026-0008');
    expect(await readAt(root, registration.path)).toMatch(/^id: 2026-0008$/m);
  });
});

describe('registering in a Git working copy', () => {
  it('commits only the complaint file when the branch has no upstream, with a message free of the title', async () => {
    const root = await localArchiveRepository();
    await writeAt(root, 'notes.txt', 'staged but unrelated');
    await gitIn(root).raw(['add', 'notes.txt']);

    const registration = await gitComplaintRegistry(root).register(await requestFor(root, '张三家楼上漏水'));

    expect(registration).toMatchObject({ id: '2026-0001', committed: true, pushed: false, attempts: 1 });
    expect(registration.notice).toContain('no upstream');
    const git = gitIn(root);
    expect((await git.raw(['log', '-1', '--format=%s'])).trim()).toBe('Register complaint 2026-0001 (登记投诉 2026-0001)');
    expect((await git.raw(['show', '--name-only', '--format=', 'HEAD'])).trim()).toBe(registration.path);
    expect((await git.raw(['diff', '--cached', '--name-only'])).trim()).toBe('notes.txt');
    expect((await git.raw(['log', '--format=%B'])).includes('张三')).toBe(false);
  });

  it('pushes to the upstream when nobody else registered meanwhile', async () => {
    const { bare, clone } = await sharedArchive();
    const root = await clone('alice');

    const registration = await gitComplaintRegistry(root, { sleep: noWait }).register(await requestFor(root, '路灯不亮'));

    expect(registration).toMatchObject({ id: '2026-0001', committed: true, pushed: true, attempts: 1 });
    expect(await idsOnMain(bare)).toEqual(['2026-0001']);
  });

  it('takes the next number when another clone pushed the same number first', async () => {
    const { bare, clone } = await sharedArchive();
    const first = await clone('alice');
    const second = await clone('bob');
    const waits: number[] = [];

    const taken = await gitComplaintRegistry(first, { sleep: noWait }).register(await requestFor(first, '先登记的投诉'));
    const registration = await gitComplaintRegistry(second, { sleep: async (milliseconds) => void waits.push(milliseconds), random: () => 0.5 }).register(
      await requestFor(second, '后登记的投诉'),
    );

    expect(taken.id).toBe('2026-0001');
    expect(registration).toMatchObject({ id: '2026-0002', path: 'content/complaints/2026/10/2026-0002.md', pushed: true, attempts: 2 });
    expect(waits).toEqual([Math.round(0.5 * RETRY_BASE_DELAY_MS)]);
    expect(await idsOnMain(bare)).toEqual(['2026-0001', '2026-0002']);
    const onMain = (path: string) => gitIn(bare).raw(['show', `main:${path}`]);
    expect(await onMain('content/complaints/2026/10/2026-0001.md')).toContain('title: 先登记的投诉');
    expect(await onMain('content/complaints/2026/10/2026-0002.md')).toMatch(/^id: 2026-0002$/m);
    expect(await onMain('content/complaints/2026/10/2026-0002.md')).toContain('title: 后登记的投诉');
    // The second clone's history holds one registration commit, on top of the first one's.
    expect((await gitIn(second).raw(['log', '--format=%s', 'main'])).trim().split('\n').slice(0, 2)).toEqual([
      'Register complaint 2026-0002 (登记投诉 2026-0002)',
      'Register complaint 2026-0001 (登记投诉 2026-0001)',
    ]);
    expect((await gitIn(second).raw(['status', '--porcelain'])).trim()).toBe('');
  });

  it('keeps the id when the race was lost to a complaint of another year', async () => {
    const { bare, clone } = await sharedArchive();
    const first = await clone('alice');
    const second = await clone('bob');

    await gitComplaintRegistry(first, { sleep: noWait }).register(await requestFor(first, '去年的投诉', '2025-12-30T10:00:00+08:00'));
    const registration = await gitComplaintRegistry(second, { sleep: noWait }).register(await requestFor(second, '今年的投诉'));

    expect(registration).toMatchObject({ id: '2026-0001', pushed: true, attempts: 2 });
    expect(await idsOnMain(bare)).toEqual(['2025-0001', '2026-0001']);
  });

  it('keeps the person’s uncommitted edits while it retries', async () => {
    const { clone } = await sharedArchive();
    const first = await clone('alice');
    const second = await clone('bob');
    const orgPath = join(second, 'content/org.yaml');
    const edited = `${await readFile(orgPath, 'utf8')}# an edit in progress\n`;
    await writeFile(orgPath, edited);

    await gitComplaintRegistry(first, { sleep: noWait }).register(await requestFor(first, '甲'));
    const registration = await gitComplaintRegistry(second, { sleep: noWait }).register(await requestFor(second, '乙'));

    expect(registration).toMatchObject({ id: '2026-0002', pushed: true });
    expect(await readFile(orgPath, 'utf8')).toBe(edited);
  });

  it('rebases earlier unpushed commits of the person before trying again', async () => {
    const { bare, clone } = await sharedArchive();
    const first = await clone('alice');
    const second = await clone('bob');
    await writeAt(second, 'docs/handover.md', '交接说明\n');
    await gitIn(second).raw(['add', 'docs/handover.md']);
    await gitIn(second).raw(['commit', '--quiet', '-m', 'Handover notes']);

    await gitComplaintRegistry(first, { sleep: noWait }).register(await requestFor(first, '甲'));
    const registration = await gitComplaintRegistry(second, { sleep: noWait }).register(await requestFor(second, '乙'));

    expect(registration).toMatchObject({ id: '2026-0002', pushed: true, attempts: 2 });
    expect(await idsOnMain(bare)).toEqual(['2026-0001', '2026-0002']);
    expect((await gitIn(bare).raw(['log', '--format=%s', 'main'])).trim().split('\n').slice(0, 3)).toEqual([
      'Register complaint 2026-0002 (登记投诉 2026-0002)',
      'Handover notes',
      'Register complaint 2026-0001 (登记投诉 2026-0001)',
    ]);
  });

  it('gives up after the last attempt and keeps the complaint committed locally', async () => {
    const { bare, clone } = await sharedArchive();
    const rival = await clone('rival');
    const root = await clone('alice');
    await gitComplaintRegistry(rival, { sleep: noWait }).register(await requestFor(rival, '抢先登记'));

    const failure = await gitComplaintRegistry(root, { maxAttempts: 1, sleep: noWait })
      .register(await requestFor(root, '被抢先的投诉'))
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ComplaintPushError);
    const { registration } = failure as ComplaintPushError;
    expect(registration).toMatchObject({ id: '2026-0001', committed: true, pushed: false, attempts: 1 });
    expect((failure as Error).message).toContain('rejected 1 times');
    expect(await readAt(root, registration.path)).toContain('title: 被抢先的投诉');
    expect((await gitIn(root).raw(['log', '-1', '--format=%s'])).trim()).toBe('Register complaint 2026-0001 (登记投诉 2026-0001)');
    expect(await gitIn(bare).raw(['show', 'main:content/complaints/2026/10/2026-0001.md'])).toContain('title: 抢先登记');
  });

  it('does not retry a push that failed for another reason, and keeps the commit', async () => {
    const { bare, clone } = await sharedArchive();
    const root = await clone('alice');
    await rename(bare, `${bare}.moved`);
    let waited = false;

    const failure = await gitComplaintRegistry(root, { sleep: async () => void (waited = true) })
      .register(await requestFor(root, '断网时登记'))
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ComplaintPushError);
    expect((failure as ComplaintPushError).registration).toMatchObject({ id: '2026-0001', committed: true, pushed: false, attempts: 1 });
    expect(waited).toBe(false);
    expect((await gitIn(root).raw(['log', '-1', '--format=%s'])).trim()).toBe('Register complaint 2026-0001 (登记投诉 2026-0001)');
  });

  it('leaves no file behind when the commit fails', async () => {
    const root = await localArchiveRepository();
    await writeAt(root, '.gitignore', 'content/complaints/2026/\n');

    const failure = await gitComplaintRegistry(root).register(await requestFor(root, '被忽略的目录')).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ComplaintRegistrationError);
    await expect(stat(join(root, 'content/complaints/2026/10/2026-0001.md'))).rejects.toThrow(/ENOENT/);
    expect((await gitIn(root).raw(['log', '-1', '--format=%s'])).trim()).toBe('Archive');
  });
});

describe('registering outside Git', () => {
  it('writes the file only and says it is not committed', async () => {
    const root = await temporaryFolder();
    await writeArchive(root);
    await seedComplaintFiles(root, ['content/complaints/2026/09/2026-0002.md']);

    const { registry, git } = await openComplaintRegistry(root);
    const registration = await registry.register(await requestFor(root, '意见箱投诉'));

    expect(git).toBe(false);
    expect(registration).toMatchObject({ id: '2026-0003', committed: false, pushed: false });
    expect(registration.notice).toContain('not a Git repository');
    expect(await readAt(root, registration.path)).toContain('title: 意见箱投诉');
  });

  it('gives concurrent writers in one folder different ids', async () => {
    const root = await temporaryFolder();
    await writeArchive(root);
    const registry = folderComplaintRegistry(root);

    const registrations = await Promise.all(Array.from({ length: 8 }, async (_, index) => registry.register(await requestFor(root, `投诉 ${index}`))));

    expect(new Set(registrations.map((registration) => registration.id)).size).toBe(8);
  });
});

describe('what a registration tells people', () => {
  it('commits with the id in English and Chinese and nothing else', () => {
    expect(registrationCommitMessage('2026-0007')).toMatchInlineSnapshot(`"Register complaint 2026-0007 (登记投诉 2026-0007)"`);
  });

  it('says that a complaint that could not be pushed is kept and what to do', () => {
    const registration = { id: '2026-0007', path: 'content/complaints/2026/10/2026-0007.md', committed: true, pushed: false, attempts: 30 };
    expect(() => {
      throw new ComplaintPushError(registration, 'the push was rejected 30 times because others kept registering at the same time');
    }).toThrowErrorMatchingInlineSnapshot(`[ComplaintPushError: complaint 2026-0007 is committed locally (content/complaints/2026/10/2026-0007.md) but could not be pushed after 30 attempt(s): the push was rejected 30 times because others kept registering at the same time. Nothing is lost; run "git pull --rebase && git push" later, then "complaints validate"（投诉 2026-0007 已在本地提交但推送失败，记录未丢失；请稍后执行 git pull --rebase 和 git push，再运行 complaints validate）]`);
  });
});
