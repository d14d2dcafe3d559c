import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateKeyPair, parseIdentityFile } from '../../src/privacy/contact.ts';
import { localArchiveRepository, temporaryFolder } from '../git/git-fixture.ts';
import { runComplaints } from './run-cli.ts';

/** Registers a phone complaint with contact data, received at `receivedAt`. */
async function register(root: string, receivedAt: string, name: string): Promise<string> {
  const result = await runComplaints([
    'new', '--root', root, '--now', receivedAt, '--received-at', receivedAt, '--json',
    '--title', '楼道灯不亮', '--channel', 'phone', '--received-by', 'alice', '--category', 'equipment', '--body', '三楼楼道灯不亮。', '--name', name,
  ]);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { id: string }).id;
}

async function canOpen(root: string, id: string, identity: string): Promise<boolean> {
  return (await runComplaints(['contact', id, '--root', root, '--json'], { env: { ...process.env, COMPLAINTS_IDENTITY: identity } })).code === 0;
}

async function orgRecipients(root: string): Promise<unknown> {
  return (parse(await readFile(join(root, 'content/org.yaml'), 'utf8')) as { recipients: unknown }).recipients;
}

describe('complaints keys status', () => {
  it('shows the recipients, the identities at hand and how many envelopes each year of receipt holds', async () => {
    const keys = await generateKeyPair();
    const root = await localArchiveRepository({ recipients: [keys.recipient] });
    await register(root, '2025-06-01T10:00:00+08:00', '甲乙');
    await register(root, '2026-03-01T10:00:00+08:00', '丙丁');
    await register(root, '2026-04-01T10:00:00+08:00', '戊己');

    const result = await runComplaints(['keys', 'status', '--root', root, '--now', '2026-05-01T10:00:00+08:00', '--json'], { env: { ...process.env, COMPLAINTS_IDENTITY: keys.identity } });

    expect(result.code).toBe(0);
    const status = JSON.parse(result.stdout);
    expect(status).toMatchObject({
      form: 'all_years',
      recipients: [{ year: null, recipients: [keys.recipient] }],
      currentYear: { year: 2026, source: 'all_years' },
      identities: [{ recipient: keys.recipient, source: 'COMPLAINTS_IDENTITY', years: 'all' }],
      envelopes: [
        { year: 2025, count: 1, recipients: [keys.recipient], source: 'all_years', readable: 1 },
        { year: 2026, count: 2, recipients: [keys.recipient], source: 'all_years', readable: 2 },
      ],
    });
    expect(status.warnings).toEqual([expect.stringContaining('one recipient list serves every year')]);
  });

  it('warns when the current year carries an earlier year’s key forward, and counts what the identity cannot open', async () => {
    const [old, other] = [await generateKeyPair(), await generateKeyPair()];
    const root = await localArchiveRepository({ recipients: [old.recipient] });
    await register(root, '2026-03-01T10:00:00+08:00', '甲乙');
    const org = join(root, 'content/org.yaml');
    await writeFile(org, (await readFile(org, 'utf8')).replace(/^recipients: .*$/m, `recipients:\n  "2026": [${old.recipient}]`));

    const result = await runComplaints(['keys', 'status', '--root', root, '--now', '2027-01-05T10:00:00+08:00'], { env: { ...process.env, COMPLAINTS_IDENTITY: other.identity } });

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('当前年度 current year 2027: carried from 2026（沿用 2026 年密钥）');
    expect(result.stdout).toContain('the current year 2027 has no recipients of its own');
    expect(result.stdout).toContain('1 of 1 envelopes of 2026 cannot be opened with the identities at hand');
    expect(result.stdout).toContain('is not a recipient of any year in org.yaml');
  });
});

describe('complaints keys rotate', () => {
  it('makes a new identity for a year, adds its recipient to org.yaml for that year only, and keeps the file’s comments', async () => {
    const old = await generateKeyPair();
    const root = await localArchiveRepository({ recipients: [old.recipient] });
    const before2027 = await register(root, '2026-11-01T10:00:00+08:00', '甲乙');
    const out = join(await temporaryFolder('complaints-keys-'), 'identity-2027.txt');

    const result = await runComplaints(['keys', 'rotate', '--year', '2027', '--out', out, '--root', root, '--json']);

    expect(result.code, result.stderr).toBe(0);
    const rotated = JSON.parse(result.stdout);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const [identity] = parseIdentityFile(await readFile(out, 'utf8'));
    expect(rotated).toMatchObject({ year: 2027, identityFile: out, warnings: [] });
    expect(await orgRecipients(root)).toEqual({ '2026': [old.recipient], '2027': [rotated.recipient] });
    const text = await readFile(join(root, 'content/org.yaml'), 'utf8');
    expect(text).toContain('# Age recipients that contact data is encrypted to.');
    expect(text).toContain('"2027":');
    expect((await runComplaints(['validate', '--root', root])).code).toBe(0);

    const in2027 = await register(root, '2027-01-05T10:00:00+08:00', '丙丁');
    const late2026 = await register(root, '2026-12-30T10:00:00+08:00', '戊己');
    expect(await canOpen(root, in2027, identity!)).toBe(true);
    expect(await canOpen(root, in2027, old.identity)).toBe(false);
    expect(await canOpen(root, before2027, old.identity)).toBe(true);
    expect(await canOpen(root, late2026, old.identity)).toBe(true);
    expect(await canOpen(root, late2026, identity!)).toBe(false);
  });

  it('warns that a year already holding envelopes keeps needing its previous identity', async () => {
    const old = await generateKeyPair();
    const root = await localArchiveRepository({ recipients: [old.recipient] });
    await register(root, '2026-03-01T10:00:00+08:00', '甲乙');
    const out = join(await temporaryFolder('complaints-keys-'), 'identity-2026.txt');

    const result = await runComplaints(['keys', 'rotate', '--year', '2026', '--out', out, '--root', root]);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('2026 already holds 1 envelopes encrypted to its previous recipients');
  });

  it('refuses to write the identity inside the archive or over an existing file, and needs a year', async () => {
    const root = await localArchiveRepository();
    const inside = await runComplaints(['keys', 'rotate', '--year', '2027', '--out', join(root, 'identity.txt'), '--root', root]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain('lies inside the archive');

    const existing = join(await temporaryFolder('complaints-keys-'), 'identity.txt');
    await writeFile(existing, 'AGE-SECRET-KEY-1EXISTING\n');
    const overwrite = await runComplaints(['keys', 'rotate', '--year', '2027', '--out', existing, '--root', root]);
    expect(overwrite.code).toBe(2);
    expect(await readFile(existing, 'utf8')).toBe('AGE-SECRET-KEY-1EXISTING\n');
    expect(await orgRecipients(root)).toEqual([]);

    expect((await runComplaints(['keys', 'rotate', '--root', root])).code).toBe(2);
    expect((await runComplaints(['keys', 'spin', '--root', root])).code).toBe(2);
  });
});
