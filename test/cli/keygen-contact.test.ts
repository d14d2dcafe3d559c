import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIdentityFile } from '../../src/privacy/contact.ts';
import { localArchiveRepository, temporaryFolder } from '../git/git-fixture.ts';
import { runComplaints } from './run-cli.ts';
import { spawnCli } from './spawn-cli.ts';

const RECIPIENT = /age1[a-z0-9]{20,}/;

/** Runs keygen --out and returns the identity file and the recipient it printed. */
async function keygen(): Promise<{ identityFile: string; recipient: string }> {
  const identityFile = join(await temporaryFolder('complaints-keys-'), 'identity.txt');
  const result = await runComplaints(['keygen', '--out', identityFile, '--json']);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { identityFile: string; recipient: string };
}

/** An archive whose contact data is encrypted to `recipient`, with one complaint registered through the CLI. */
async function archiveWithContact(recipient: string, contactFlags: string[]): Promise<string> {
  const root = await localArchiveRepository({ recipients: [recipient] });
  const registered = await runComplaints([
    'new', '--root', root, '--now', '2026-10-05T09:30:00+08:00',
    '--title', '楼上漏水', '--channel', 'visit', '--received-by', 'alice', '--category', 'housing', '--body', '卫生间天花板渗水。',
    ...contactFlags,
  ]);
  expect(registered.code, registered.stderr).toBe(0);
  return root;
}

describe('complaints keygen', () => {
  it('writes an identity only its owner can read and prints the recipient for org.yaml', async () => {
    const identityFile = join(await temporaryFolder('complaints-keys-'), 'identity.txt');

    const result = await runComplaints(['keygen', '--out', identityFile]);

    expect(result.code).toBe(0);
    const text = await readFile(identityFile, 'utf8');
    expect(parseIdentityFile(text)).toHaveLength(1);
    expect((await stat(identityFile)).mode & 0o777).toBe(0o600);
    const recipient = RECIPIENT.exec(text)![0];
    expect(result.stdout).toContain(recipient);
    expect(result.stdout).toContain('recipients');
    expect(result.stdout).not.toContain('AGE-SECRET-KEY');
  });

  it('refuses to overwrite an existing file', async () => {
    const identityFile = join(await temporaryFolder('complaints-keys-'), 'identity.txt');
    await writeFile(identityFile, 'AGE-SECRET-KEY-1EXISTING\n');

    const result = await runComplaints(['keygen', '--out', identityFile]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('already exists');
    expect(await readFile(identityFile, 'utf8')).toBe('AGE-SECRET-KEY-1EXISTING\n');
  });

  it('prints the identity on stdout with a warning on stderr when there is no --out', async () => {
    const result = await runComplaints(['keygen']);

    expect(result.code).toBe(0);
    expect(parseIdentityFile(result.stdout)).toHaveLength(1);
    expect(result.stderr).toContain('warning');
    expect(result.stderr).toMatch(RECIPIENT);
    expect(result.stderr).not.toContain('AGE-SECRET-KEY');
  });
});

describe('complaints contact', () => {
  it('decrypts the contact registered with new for the holder of the identity', async () => {
    const { identityFile, recipient } = await keygen();
    const root = await archiveWithContact(recipient, ['--name', '欧阳翠花', '--phone', '13912345678']);

    const human = await runComplaints(['contact', '2026-0001', '--root', root, '--identity', identityFile]);
    const json = await runComplaints(['contact', '2026-0001', '--root', root, '--identity', identityFile, '--json']);

    expect(human.code).toBe(0);
    expect(human.stdout).toContain('姓名 name: 欧阳翠花');
    expect(human.stdout).toContain('电话 phone: 13912345678');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ name: '欧阳翠花', phone: '13912345678' });
  });

  it('round-trips through separate processes, as staff run it', async () => {
    const keys = await temporaryFolder('complaints-keys-');
    const identityFile = join(keys, 'identity.txt');
    const generated = await spawnCli(['keygen', '--out', identityFile, '--json']);
    expect(generated.code).toBe(0);
    const { recipient } = JSON.parse(generated.stdout) as { recipient: string };
    const root = await localArchiveRepository({ recipients: [recipient] });
    const registered = await spawnCli([
      'new', '--root', root, '--title', '垃圾未清运', '--channel', 'phone', '--received-by', 'bob', '--category', 'environment',
      '--body', '连续三天未清运。', '--email', 'resident@example.cn', '--json',
    ]);
    expect(registered.code, registered.stderr).toBe(0);
    const { id } = JSON.parse(registered.stdout) as { id: string };

    const shown = await spawnCli(['contact', id, '--root', root, '--json'], { env: { ...process.env, COMPLAINTS_IDENTITY_FILE: identityFile } });

    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toEqual({ email: 'resident@example.cn' });
  });

  it('takes the identity itself from COMPLAINTS_IDENTITY', async () => {
    const { identityFile, recipient } = await keygen();
    const root = await archiveWithContact(recipient, ['--address', '翠苑小区7栋']);

    const result = await runComplaints(['contact', '2026-0001', '--root', root, '--json'], {
      env: { COMPLAINTS_IDENTITY: await readFile(identityFile, 'utf8') },
    });

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ address: '翠苑小区7栋' });
  });

  it('exits 1 when the identity is not among the recipients', async () => {
    const { recipient } = await keygen();
    const other = await keygen();
    const root = await archiveWithContact(recipient, ['--phone', '13912345678']);

    const result = await runComplaints(['contact', '2026-0001', '--root', root, '--identity', other.identityFile]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot decrypt the contact of complaint 2026-0001');
    expect(result.stdout).toBe('');
  });

  it('exits 1 when the complaint has no contact data', async () => {
    const { identityFile, recipient } = await keygen();
    const root = await archiveWithContact(recipient, ['--anonymous']);

    const result = await runComplaints(['contact', '2026-0001', '--root', root, '--identity', identityFile]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('complaint 2026-0001 has no contact data (anonymous)');
  });

  it('exits 1 for an id that is not in the archive', async () => {
    const { identityFile, recipient } = await keygen();
    const root = await archiveWithContact(recipient, ['--phone', '13912345678']);

    const result = await runComplaints(['contact', '2026-0099', '--root', root, '--identity', identityFile]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no complaint 2026-0099');
  });

  it.each([
    [['contact', '2026-0001'], 'no identity'],
    [['contact', 'abc', '--identity', '/nonexistent'], 'is not a complaint id'],
    [['contact', '2026-0001', '--identity', '/nonexistent/identity.txt'], 'cannot read the identity file'],
  ])('exits 2 for %j', async (args, message) => {
    const root = await localArchiveRepository();

    const result = await runComplaints([...args, '--root', root], { env: {} });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
