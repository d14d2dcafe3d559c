import { readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listComplaintFiles, parseComplaintFile } from '../../src/archive/archive.ts';
import { AGE_ARMOR_HEADER } from '../../src/core/complaint/schema.ts';
import { generateKeyPair } from '../../src/privacy/contact.ts';
import { gitIn, idsOnMain, localArchiveRepository, readAt, sharedArchive, temporaryFolder, writeArchive } from '../git/git-fixture.ts';
import { runComplaints, terminalInput } from './run-cli.ts';
import { spawnCli } from './spawn-cli.ts';

const NOW = '2026-10-05T09:30:00+08:00';

/** The flags of a complete phone registration. */
function phoneCall(root: string, extra: string[] = []): string[] {
  return [
    'new',
    '--root', root,
    '--now', NOW,
    '--title', '3号楼电梯停运',
    '--channel', 'phone',
    '--received-by', 'alice',
    '--category', 'equipment',
    '--body', '早上起电梯一直停在 5 楼。',
    ...extra,
  ];
}

async function complaintAt(root: string, path: string) {
  const result = parseComplaintFile(path, await readAt(root, path));
  expect(result.problems).toEqual([]);
  return result.complaint!;
}

describe('complaints new', () => {
  it('registers a complaint, pushes it and prints its tracking number', async () => {
    const { bare, clone } = await sharedArchive();
    const root = await clone('alice');

    const result = await runComplaints(phoneCall(root));

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('已登记，投诉编号 2026-0001');
    expect(await idsOnMain(bare)).toEqual(['2026-0001']);
    const complaint = await complaintAt(root, 'content/complaints/2026/10/2026-0001.md');
    expect(complaint.data).toMatchObject({
      id: '2026-0001',
      channel: 'phone',
      received_at: NOW,
      received_by: 'alice',
      project: 'sample_estate',
      category: 'equipment',
      department: 'engineering',
      assignees: [],
      events: [{ at: NOW, type: 'received', by: 'alice' }],
    });
    expect(complaint.body).toBe('早上起电梯一直停在 5 楼。\n');
    expect((await gitIn(root).raw(['log', '-1', '--format=%an <%ae>%n%s'])).trim()).toBe('Clerk alice <alice@example.test>\nRegister complaint 2026-0001 (登记投诉 2026-0001)');
    expect((await runComplaints(['validate', '--root', root])).code).toBe(0);
  });

  it('prints {id, path, pushed, committed} with --json', async () => {
    const { clone } = await sharedArchive();
    const root = await clone('alice');

    const result = await runComplaints(phoneCall(root, ['--json']));

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ id: '2026-0001', path: 'content/complaints/2026/10/2026-0001.md', pushed: true, committed: true });
  });

  it('records every optional field it is given', async () => {
    const root = await localArchiveRepository();
    const bodyFile = join(await temporaryFolder(), 'letter.md');
    await writeFile(bodyFile, '# 来信\n\n小区东门积水三天无人处理。\n');

    const result = await runComplaints([
      'new', '--root', root, '--now', NOW, '--json',
      '--title', '东门积水', '--channel', 'forwarded', '--received-by', 'bob', '--category', 'environment',
      '--received-at', '2026-10-04 16:00', '--location', '东门', '--reported-category', 'housing', '--urgency', 'urgent',
      '--complainants', '3', '--anonymous', '--department', 'engineering', '--forwarded-by', '区住建局', '--deadline', '2026-10-20',
      '--body-file', bodyFile,
    ]);

    expect(result.code).toBe(0);
    const complaint = await complaintAt(root, JSON.parse(result.stdout).path);
    expect(complaint.data).toMatchObject({
      received_at: '2026-10-04T16:00:00+08:00',
      location: '东门',
      category: 'environment',
      reported_category: 'housing',
      urgency: 'urgent',
      complainants: 3,
      anonymous: true,
      department: 'engineering',
      source: { office: '区住建局', deadline: '2026-10-20T23:59:59+08:00' },
    });
    expect(complaint.body).toBe('# 来信\n\n小区东门积水三天无人处理。\n');
  });

  it('lists every missing required flag and exits 2 when stdin is not a terminal', async () => {
    const root = await localArchiveRepository();

    const result = await runComplaints(['new', '--root', root, '--title', '噪音']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing required flags: --channel, --received-by, --category, --body (or --body-file)');
    expect(await listComplaintFiles(root)).toEqual([]);
  });

  it('asks for the missing fields in Chinese at a terminal', async () => {
    const root = await localArchiveRepository();
    // channel by its number in the list (2 = phone), an unknown category first, then a valid one.
    const stdin = terminalInput(['2', 'alice', 'catering', 'environment', '夜间施工噪音扰民。']);

    const result = await runComplaints(['new', '--root', root, '--now', NOW, '--title', '夜间施工噪音'], { stdin });

    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('投诉渠道 channel: ');
    expect(result.stderr).toContain('"catering" 不在可选范围内');
    const complaint = await complaintAt(root, 'content/complaints/2026/10/2026-0001.md');
    expect(complaint.data).toMatchObject({ channel: 'phone', received_by: 'alice', category: 'environment', department: 'customer_service' });
    expect(complaint.body).toBe('夜间施工噪音扰民。\n');
  });

  it('refuses a plaintext phone number in the complaint text, pointing to --phone, and registers nothing', async () => {
    const { bare, clone } = await sharedArchive();
    const root = await clone('alice');

    const result = await runComplaints(phoneCall(root, ['--body', '电梯坏了，请回电 13912345678']));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('139******78');
    expect(result.stderr).not.toContain('13912345678');
    expect(result.stderr).toContain('--phone');
    expect(result.stderr).toContain('请用 --name、--phone');
    expect(await listComplaintFiles(root)).toEqual([]);
    expect(await idsOnMain(bare)).toEqual([]);
    expect((await gitIn(root).raw(['status', '--porcelain'])).trim()).toBe('');
  });

  it('refuses a resident ID number in the title', async () => {
    const root = await localArchiveRepository();

    const result = await runComplaints(phoneCall(root, ['--title', '11010519491231002X 投诉']));

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/title/);
    expect(await listComplaintFiles(root)).toEqual([]);
  });

  it('keeps contact data out of the file, the commit message and the whole Git history', async () => {
    const { recipient } = await generateKeyPair();
    const { bare, clone } = await sharedArchive({ recipients: [recipient] });
    const root = await clone('alice');

    const result = await runComplaints(
      phoneCall(root, ['--name', '欧阳翠花', '--phone', '13912345678', '--email', 'cuihua@example.cn', '--address', '翠苑小区7栋1203室']),
    );

    expect(result.code, result.stderr).toBe(0);
    const secrets = ['欧阳翠花', '13912345678', 'cuihua@example.cn', '翠苑小区7栋1203室'];
    const text = await readAt(root, 'content/complaints/2026/10/2026-0001.md');
    expect(text).toContain(AGE_ARMOR_HEADER);
    for (const repository of [root, bare]) {
      const history = await gitIn(repository).raw(['log', '-p', '--all', '--format=%an%n%ae%n%B']);
      expect(history).toContain('Register complaint 2026-0001');
      for (const secret of secrets) expect(history).not.toContain(secret);
    }
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(result.stdout + result.stderr).not.toContain(secret);
    }
  });

  it('refuses contact data when org.yaml lists no recipients', async () => {
    const root = await localArchiveRepository();

    const result = await runComplaints(phoneCall(root, ['--phone', '13912345678']));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('complaints keygen');
    expect(result.stderr).not.toContain('13912345678');
    expect(await listComplaintFiles(root)).toEqual([]);
  });

  it.each([
    [['--category', 'catering'], '"catering" is not in content/org.yaml'],
    [['--channel', 'fax'], '--channel must be one of online (网上投诉)'],
    [['--urgency', 'asap'], '--urgency must be one of urgent'],
    [['--complainants', 'many'], '--complainants must be a whole number'],
    [['--received-at', 'yesterday'], 'cannot read the time "yesterday"'],
  ])('exits 2 for %j', async (flags, message) => {
    const root = await localArchiveRepository();

    const result = await runComplaints(phoneCall(root, flags));

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(await listComplaintFiles(root)).toEqual([]);
  });

  it('writes the file only, and warns, when the root is not a Git repository', async () => {
    const root = await temporaryFolder();
    await writeArchive(root);

    const result = await runComplaints(phoneCall(root, ['--json']));

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ id: '2026-0001', path: 'content/complaints/2026/10/2026-0001.md', pushed: false, committed: false });
    expect(result.stderr).toContain('not a Git repository');
    expect((await runComplaints(['validate', '--root', root])).code).toBe(0);
  });

  it('commits without pushing, and says so, when the branch has no upstream', async () => {
    const root = await localArchiveRepository();

    const result = await runComplaints(phoneCall(root, ['--json']));

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ pushed: false, committed: true });
    expect(result.stderr).toContain('no upstream');
  });

  it('exits 1 and keeps the local commit when the push fails', async () => {
    const { bare, clone } = await sharedArchive();
    const root = await clone('alice');
    await rename(bare, `${bare}.offline`);

    const result = await runComplaints(phoneCall(root, ['--json']));

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({ id: '2026-0001', path: 'content/complaints/2026/10/2026-0001.md', pushed: false, committed: true });
    expect(result.stderr).toContain('committed locally');
    expect((await gitIn(root).raw(['log', '-1', '--format=%s'])).trim()).toBe('Register complaint 2026-0001 (登记投诉 2026-0001)');
  });

  it('commits as "complaints <complaints@localhost>" when git knows no user', async () => {
    const root = await localArchiveRepository();
    const home = await temporaryFolder('complaints-home-');
    const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1' };

    const result = await spawnCli(phoneCall(root), { env });

    expect(result.code, result.stderr).toBe(0);
    expect((await gitIn(root).raw(['log', '-1', '--format=%an <%ae>|%cn <%ce>'])).trim()).toBe('complaints <complaints@localhost>|complaints <complaints@localhost>');
    expect(await readdir(join(root, 'content/complaints/2026/10'))).toEqual(['2026-0001.md']);
  });
});
