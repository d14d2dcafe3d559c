import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { decryptContact, generateKeyPair, parseIdentityFile } from '../../src/privacy/contact.ts';
import { gitIn, localArchiveRepository, temporaryFolder } from '../git/git-fixture.ts';
import { runComplaints } from './run-cli.ts';

interface Canary {
  receivedAt: string;
  name: string;
  phone: string;
  email: string;
  address: string;
}

const CANARIES: Canary[] = [
  { receivedAt: '2025-04-02T10:00:00+08:00', name: '甄士隐', phone: '13912340001', email: 'zhen.shiyin@canary.test', address: '葫芦庙旁一号' },
  { receivedAt: '2025-09-15T15:00:00+08:00', name: '贾雨村', phone: '13912340002', email: 'jia.yucun@canary.test', address: '仁清巷二号' },
  { receivedAt: '2026-02-20T09:00:00+08:00', name: '林黛玉', phone: '13912340003', email: 'lin.daiyu@canary.test', address: '潇湘馆三号' },
];

async function register(root: string, canary: Canary): Promise<string> {
  const result = await runComplaints([
    'new', '--root', root, '--now', canary.receivedAt, '--received-at', canary.receivedAt, '--json',
    '--title', '楼道灯不亮', '--channel', 'phone', '--received-by', 'alice', '--category', 'equipment', '--body', '三楼楼道灯不亮。',
    '--name', canary.name, '--phone', canary.phone, '--email', canary.email, '--address', canary.address,
  ]);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { id: string }).id;
}

/** An archive whose org.yaml lists a recipient per year, committed. */
async function archiveWithRecipients(recipients: Record<string, string[]>): Promise<string> {
  const root = await localArchiveRepository();
  const org = join(root, 'content/org.yaml');
  const map = Object.entries(recipients).map(([year, list]) => `  "${year}": [${list.join(', ')}]`).join('\n');
  await writeFile(org, (await readFile(org, 'utf8')).replace(/^recipients: \[\]$/m, `recipients:\n${map}`));
  await gitIn(root).raw(['commit', '--quiet', '-am', 'Yearly recipients']);
  return root;
}

/** Every age envelope that any commit on any branch ever held, with diff markers and YAML indentation removed. */
async function envelopesInHistory(root: string): Promise<string[]> {
  const log = await gitIn(root).raw(['log', '-p', '--all', '--format=commit %H']);
  const envelopes = new Set<string>();
  for (const match of log.matchAll(/-----BEGIN AGE ENCRYPTED FILE-----[\s\S]*?-----END AGE ENCRYPTED FILE-----/g)) {
    const [first, ...rest] = match[0].split('\n');
    envelopes.add([first, ...rest.map((line) => line.replace(/^[+\- ]\s*/, ''))].join('\n'));
  }
  return [...envelopes];
}

/** The contacts that the identity files left in `folder` can open, of the given envelopes. */
async function openedWithKeysIn(folder: string, envelopes: readonly string[]): Promise<string[]> {
  const identities = (await Promise.all((await readdir(folder)).map(async (name) => parseIdentityFile(await readFile(join(folder, name), 'utf8'))))).flat();
  const opened: string[] = [];
  for (const envelope of envelopes) {
    try {
      opened.push(JSON.stringify(await decryptContact('history', envelope, identities)));
    } catch {
      // no identity on hand opens it: shredded
    }
  }
  return opened;
}

describe('complaints purge and crypto-shredding', () => {
  it('after purging 2025 and destroying its identity, no plaintext of 2025 is reachable in any commit, while 2026 still decrypts', async () => {
    const [key2025, key2026] = [await generateKeyPair(), await generateKeyPair()];
    const keys = await temporaryFolder('complaints-keys-');
    const identity2025 = join(keys, 'identity-2025.txt');
    const identity2026 = join(keys, 'identity-2026.txt');
    await writeFile(identity2025, `${key2025.identity}\n`, { mode: 0o600 });
    await writeFile(identity2026, `${key2026.identity}\n`, { mode: 0o600 });
    const root = await archiveWithRecipients({ '2025': [key2025.recipient], '2026': [key2026.recipient] });
    const ids = [];
    for (const canary of CANARIES) ids.push(await register(root, canary));
    expect(await envelopesInHistory(root)).toHaveLength(3);

    const purge = await runComplaints(['purge', '--before', '2026', '--by', 'dpo-he', '--root', root, '--now', '2026-05-01T10:00:00+08:00', '--json']);

    expect(purge.code, purge.stderr).toBe(0);
    const purged = JSON.parse(purge.stdout);
    expect(purged).toMatchObject({ ok: true, before: 2026, purged: 2, byYear: { '2025': 2 }, removedRecipientYears: [2025], committed: true, warnings: [] });
    expect((await gitIn(root).raw(['log', '-1', '--format=%s'])).trim()).toBe('Purge contact data of 2 complaints received before 2026 (清除 2026 年以前受理投诉的联系方式)');
    expect((parse(await readFile(join(root, 'content/org.yaml'), 'utf8')) as { recipients: unknown }).recipients).toEqual({ '2026': [key2026.recipient] });
    const purgedFile = await readFile(join(root, purged.complaints[0].path), 'utf8');
    expect(purgedFile).not.toContain('contact:');
    expect(purgedFile).toMatch(/type: erased\n\s+by: dpo-he\n\s+note: 个人信息保存期满/);
    expect((await runComplaints(['validate', '--root', root])).code).toBe(0);
    expect((await gitIn(root).raw(['status', '--porcelain'])).trim()).toBe('');

    // Before: every envelope in the history opens with the identities on hand.
    expect(await openedWithKeysIn(keys, await envelopesInHistory(root))).toHaveLength(3);
    // Crypto-shredding: the data-protection officer destroys 2025's identity.
    await rm(identity2025);

    const history = await gitIn(root).raw(['log', '-p', '--all']);
    for (const canary of CANARIES) for (const value of [canary.name, canary.phone, canary.email, canary.address]) expect(history).not.toContain(value);
    const envelopes = await envelopesInHistory(root);
    expect(envelopes).toHaveLength(3);
    expect(await openedWithKeysIn(keys, envelopes)).toEqual([JSON.stringify({ name: '林黛玉', phone: '13912340003', email: 'lin.daiyu@canary.test', address: '潇湘馆三号' })]);
    const contact = await runComplaints(['contact', ids[2]!, '--root', root, '--identity', identity2026, '--json']);
    expect(JSON.parse(contact.stdout)).toMatchObject({ name: '林黛玉' });
    const gone = await runComplaints(['contact', ids[0]!, '--root', root, '--identity', identity2026]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('has no contact data');
  });

  it('keeps the recipients of a purged year that a later year still carries forward, and says why', async () => {
    const key = await generateKeyPair();
    const root = await archiveWithRecipients({ '2025': [key.recipient] });
    await register(root, CANARIES[0]!);
    await register(root, CANARIES[2]!);

    const purge = await runComplaints(['purge', '--before', '2026', '--by', 'dpo-he', '--root', root, '--now', '2026-05-01T10:00:00+08:00', '--json']);

    const purged = JSON.parse(purge.stdout);
    expect(purged).toMatchObject({ purged: 1, removedRecipientYears: [] });
    expect(purged.warnings).toEqual([expect.stringContaining("2025's recipients are still used by a later year")]);
    expect((parse(await readFile(join(root, 'content/org.yaml'), 'utf8')) as { recipients: unknown }).recipients).toEqual({ '2025': [key.recipient] });
  });

  it('does nothing when no complaint before the year holds contact data, and refuses a missing handle or year', async () => {
    const key = await generateKeyPair();
    const root = await localArchiveRepository({ recipients: [key.recipient] });
    const head = (await gitIn(root).raw(['rev-parse', 'HEAD'])).trim();

    const nothing = await runComplaints(['purge', '--before', '2020', '--by', 'dpo-he', '--root', root]);

    expect(nothing.code).toBe(0);
    expect(nothing.stdout).toContain('nothing to purge');
    expect((await gitIn(root).raw(['rev-parse', 'HEAD'])).trim()).toBe(head);
    expect((await runComplaints(['purge', '--before', '2020', '--root', root])).code).toBe(2);
    expect((await runComplaints(['purge', '--before', 'last year', '--by', 'dpo-he', '--root', root])).code).toBe(2);
  });
});
