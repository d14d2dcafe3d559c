import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { serializeComplaint } from '../../src/archive/archive.ts';
import { complaintPath } from '../../src/core/complaint/paths.ts';
import { complaintSchema, type ComplaintInput } from '../../src/core/complaint/schema.ts';
import { gitIn, TEST_IDENTITY, temporaryFolder, writeArchive, writeAt } from './git-fixture.ts';

/**
 * Real Git histories for the audit: a working copy with the archive, and commits made with explicit
 * author and committer dates (the committer date is when Git says a change was recorded).
 */

/** Commit dates for simple-git, which passes them on only when allowed (`datedGit`). */
export function datedEnv(date: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
}

/** simple-git in `root` with the test identity, allowed to pass explicit author and committer dates to git. */
export function datedGit(root: string, date: string): SimpleGit {
  return simpleGit({ baseDir: root, config: TEST_IDENTITY, allowEnvironment: ['GIT_AUTHOR_DATE', 'GIT_COMMITTER_DATE'] }).env(datedEnv(date));
}

/** A received complaint on the property template's project; fields can be overridden. */
export function complaintText(overrides: Partial<ComplaintInput> = {}, body = '电梯停运两天，影响老人出行。\n'): string {
  const id = overrides.id ?? '2026-0001';
  const receivedAt = overrides.received_at ?? '2026-10-05T09:30:00+08:00';
  const data = complaintSchema.parse({
    id,
    title: '电梯停运',
    channel: 'phone',
    received_at: receivedAt,
    received_by: 'alice',
    project: 'sample_estate',
    category: 'equipment',
    department: 'engineering',
    events: [{ at: receivedAt, type: 'received', by: 'alice' }],
    ...overrides,
  });
  return serializeComplaint(data, body);
}

/** `content/complaints/2026/10/<id>.md` */
export function complaintFile(id: string, month = '2026/10'): string {
  return `content/complaints/${month}/${id}.md`;
}

export interface HistoryRepository {
  root: string;
  /**
   * Writes (text) or deletes (null) files and commits them at `recordedAt` (author and committer
   * date); returns the commit hash. `trailers` are appended to the message.
   */
  commit(subject: string, recordedAt: string, files: Record<string, string | null>, options?: { trailers?: string[]; config?: string[]; sign?: boolean }): Promise<string>;
}

/** A working copy on main with org.yaml (property template, optional recipients) committed. */
export async function historyRepository(options: { recipients?: string[]; orgExtra?: string } = {}): Promise<HistoryRepository> {
  const root = await temporaryFolder('complaints-history-');
  await simpleGit({ baseDir: root }).init(['--quiet', '--initial-branch=main']);
  await writeArchive(root, options.recipients ? { recipients: options.recipients } : {});
  if (options.orgExtra) {
    const { appendFile } = await import('node:fs/promises');
    await appendFile(join(root, 'content/org.yaml'), `\n${options.orgExtra}\n`);
  }
  const setup = datedGit(root, '2026-01-01T08:00:00+08:00');
  await setup.raw(['add', '--all']);
  await setup.raw(['commit', '--quiet', '-m', 'Archive']);
  return {
    root,
    async commit(subject, recordedAt, files, commitOptions = {}) {
      for (const [path, text] of Object.entries(files)) {
        if (text === null) await rm(join(root, path));
        else await writeAt(root, path, text);
      }
      const git = datedGit(root, recordedAt);
      await git.raw(['add', '--all']);
      const message = commitOptions.trailers ? `${subject}\n\n${commitOptions.trailers.join('\n')}\n` : subject;
      const config = (commitOptions.config ?? []).flatMap((setting) => ['-c', setting]);
      await git.raw([...config, 'commit', '--quiet', ...(commitOptions.sign ? ['-S'] : ['--no-gpg-sign']), '-m', message]);
      return (await git.raw(['rev-parse', 'HEAD'])).trim();
    },
  };
}

/**
 * A history of `complaints` complaints written in one `git fast-import` process, each received and
 * then handled over `commitsEach` commits (received, accepted, assigned, investigated …), every event
 * recorded an hour after it happened. Fast enough to build hundreds of commits in a test.
 */
export async function bulkHistory(complaints: number, commitsEach: number): Promise<string> {
  const root = await temporaryFolder('complaints-bulk-');
  await simpleGit({ baseDir: root }).init(['--quiet', '--initial-branch=main']);
  await writeArchive(root);
  const steps = [
    { type: 'accepted', minutes: 30 },
    { type: 'assigned', minutes: 60, department: 'engineering' },
    { type: 'investigated', minutes: 240 },
    { type: 'plan', minutes: 300 },
    { type: 'escalated', minutes: 360 },
  ] as const;
  const chunks: Buffer[] = [];
  const text = (value: string) => Buffer.from(value, 'utf8');
  const data = (value: string) => {
    const bytes = text(value);
    chunks.push(text(`data ${bytes.length}\n`), bytes, text('\n'));
  };
  let mark = 0;
  const base = Date.parse('2026-03-02T09:00:00+08:00');
  for (let index = 0; index < complaints; index += 1) {
    const id = `2026-${String(index + 1).padStart(4, '0')}`;
    const receivedAt = base + index * 3 * 60 * 60 * 1000;
    const iso = (time: number) => new Date(time).toISOString().replace('.000Z', 'Z');
    const events: ComplaintInput['events'] = [{ at: iso(receivedAt), type: 'received', by: 'alice' }];
    for (let step = 0; step < commitsEach; step += 1) {
      if (step > 0) {
        const next = steps[step - 1]!;
        events.push({ at: iso(receivedAt + next.minutes * 60_000), type: next.type, by: 'alice', ...('department' in next ? { department: next.department } : {}) });
      }
      const recordedAt = Math.floor((Date.parse(events.at(-1)!.at) + 60 * 60 * 1000) / 1000);
      const file = complaintText({ id, received_at: events[0]!.at, events: [...events] });
      mark += 1;
      chunks.push(text(`commit refs/heads/main\nmark :${mark}\n`));
      chunks.push(text(`author Clerk <clerk@example.test> ${recordedAt} +0800\ncommitter Clerk <clerk@example.test> ${recordedAt} +0800\n`));
      data(`Record ${id} step ${step}`);
      if (mark === 1) chunks.push(text(`from refs/heads/main^0\n`));
      chunks.push(text(`M 100644 inline ${complaintPath(id, events[0]!.at, 'Asia/Shanghai')}\n`));
      data(file);
    }
  }
  const setup = datedGit(root, '2026-01-01T08:00:00+08:00');
  await setup.raw(['add', '--all']);
  await setup.raw(['commit', '--quiet', '-m', 'Archive']);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet'], { cwd: root, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import failed: ${stderr}`))));
    child.stdin.end(Buffer.concat(chunks));
  });
  await gitIn(root).raw(['reset', '--quiet', '--hard', 'main']);
  return root;
}
