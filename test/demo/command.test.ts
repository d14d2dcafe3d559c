import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadArchive } from '../../src/archive/archive.ts';
import { findPersonalData } from '../../src/core/pii.ts';
import { decryptContact, parseIdentityFile } from '../../src/privacy/contact.ts';
import { runComplaints } from '../cli/run-cli.ts';

const NOW = '2026-11-23T10:00:00+08:00';
const IDENTITY_FILE = new URL('../../demo/DEMO-ONLY-age-identity.txt', import.meta.url);
const SMALL_COUNT = '60';

let workspace: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'complaints-demo-'));
});

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

async function freshRoot(name: string): Promise<string> {
  const root = join(workspace, name);
  await mkdir(root, { recursive: true });
  return root;
}

/** Every file under a folder, relative, sorted. */
async function filesUnder(root: string): Promise<string[]> {
  const names = (await readdir(root, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  return names.map((entry) => relative(root, join(entry.parentPath, entry.name))).sort();
}

/** A file's text with its contact envelope cut out (encryption makes it differ from run to run). */
const withoutEnvelope = (text: string) => text.replace(/^contact: \|\n(?: {2}.*\n)+/m, 'contact: <envelope>\n');

describe('complaints demo', () => {
  it('writes the default-size archive, which complaints validate accepts with zero problems', async () => {
    const root = await freshRoot('default');
    const demo = await runComplaints(['demo', '--root', root, '--now', NOW]);
    expect(demo.stderr).toContain('写入 writing 50/240');
    expect(demo.stdout).toContain('validate: ok, no problems');
    expect(demo.code).toBe(0);
    const validate = await runComplaints(['validate', '--root', root, '--json']);
    expect(JSON.parse(validate.stdout)).toEqual({ ok: true, problems: [] });
    expect(validate.code).toBe(0);
    expect((await loadArchive(root)).complaints).toHaveLength(240);
  });

  it('prints the count of complaints in every state as JSON', async () => {
    const root = await freshRoot('json');
    const demo = await runComplaints(['demo', '--root', root, '--now', NOW, '--count', SMALL_COUNT, '--seed', '3', '--json']);
    const summary = JSON.parse(demo.stdout);
    expect(summary).toMatchObject({ ok: true, seed: 3, count: 60, now: NOW, problems: [] });
    expect(Object.keys(summary.states)).toEqual(['received', 'accepted', 'assigned', 'investigating', 'replied', 'verified', 'closed', 'rejected', 'withdrawn', 'written_off']);
    expect(Object.values(summary.states as Record<string, number>).reduce((sum, count) => sum + count, 0)).toBe(60);
    expect(Object.values(summary.states as Record<string, number>).every((count) => count > 0)).toBe(true);
    expect(demo.stderr).toBe('');
  });

  it('writes identical files for the same seed and moment, apart from the contact envelopes', async () => {
    const first = await freshRoot('same-1');
    const second = await freshRoot('same-2');
    for (const root of [first, second]) expect((await runComplaints(['demo', '--root', root, '--now', NOW, '--count', SMALL_COUNT])).code).toBe(0);
    const files = await filesUnder(first);
    expect(await filesUnder(second)).toEqual(files);
    let envelopes = 0;
    for (const file of files) {
      const [a, b] = await Promise.all([readFile(join(first, file), 'utf8'), readFile(join(second, file), 'utf8')]);
      expect(withoutEnvelope(b), file).toBe(withoutEnvelope(a));
      if (a.includes('contact: |')) {
        envelopes += 1;
        expect(b, file).not.toBe(a);
      }
    }
    expect(envelopes).toBeGreaterThan(0);
  });

  it('stores no personal data in plaintext, and the committed demo identity opens every contact', async () => {
    const root = await freshRoot('privacy');
    expect((await runComplaints(['demo', '--root', root, '--now', NOW, '--count', SMALL_COUNT])).code).toBe(0);
    const identities = parseIdentityFile(await readFile(IDENTITY_FILE, 'utf8'));
    const archive = await loadArchive(root);
    const secrets: string[] = [];
    for (const complaint of archive.complaints) {
      if (!complaint.data.contact) continue;
      const contact = await decryptContact(complaint.data.id, complaint.data.contact, identities);
      secrets.push(...[contact.phone, contact.email, contact.address].filter((value): value is string => value !== undefined));
    }
    expect(secrets.length).toBeGreaterThan(50);
    for (const file of await filesUnder(root)) {
      const text = await readFile(join(root, file), 'utf8');
      expect(findPersonalData(text), file).toEqual([]);
      for (const secret of secrets) expect(text, file).not.toContain(secret);
    }
  });

  it('removes the complaint files of the previous demo before writing the new one', async () => {
    const root = await freshRoot('replace');
    expect((await runComplaints(['demo', '--root', root, '--now', NOW, '--count', SMALL_COUNT])).code).toBe(0);
    await mkdir(join(root, 'content/complaints/2019/01'), { recursive: true });
    await writeFile(join(root, 'content/complaints/2019/01/2019-0001.md'), '---\nid: 2019-0001\n---\n');
    const again = await runComplaints(['demo', '--root', root, '--now', '2026-06-01T09:00:00+08:00', '--count', SMALL_COUNT]);
    expect(again.stdout).toContain(`removed ${Number(SMALL_COUNT) + 1} old complaint files`);
    expect(again.code).toBe(0);
    expect(await readdir(join(root, 'content/complaints'))).not.toContain('2019');
    expect((await loadArchive(root)).complaints).toHaveLength(Number(SMALL_COUNT));
  });

  it("refuses to replace a real organisation's archive unless forced", async () => {
    const root = await freshRoot('real');
    const orgText = 'name: 真实物业\npreset: property\nprojects: [{ key: a, name: A, type: office, area: 1000 }]\ndepartments: [{ key: d, name: D }]\n';
    await mkdir(join(root, 'content/complaints/2026/01'), { recursive: true });
    await writeFile(join(root, 'content/org.yaml'), orgText);
    await writeFile(join(root, 'content/complaints/2026/01/2026-0001.md'), '---\nid: 2026-0001\n---\n');
    const refused = await runComplaints(['demo', '--root', root, '--now', NOW, '--count', SMALL_COUNT]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not marked "demo: true"');
    expect(await readFile(join(root, 'content/org.yaml'), 'utf8')).toBe(orgText);
    expect(await filesUnder(join(root, 'content/complaints'))).toEqual(['2026/01/2026-0001.md']);
    const forced = await runComplaints(['demo', '--root', root, '--now', NOW, '--count', SMALL_COUNT, '--force']);
    expect(forced.code).toBe(0);
    expect(await readFile(join(root, 'content/org.yaml'), 'utf8')).toContain('demo: true');
  });

  it.each([
    [['--count', '5'], 'at least'],
    [['--count', 'many'], '--count must be a whole number'],
    [['--seed=-1'], '--seed must be a whole number'],
  ])('treats %j as bad usage', async (options, message) => {
    const root = await freshRoot(`usage-${options.join('')}`);
    const result = await runComplaints(['demo', '--root', root, '--now', NOW, ...options]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(await readdir(root)).toEqual([]);
  });
});

describe('the demo archive committed in content/', () => {
  it('is marked as demo data and validates with zero problems', async () => {
    const archive = await loadArchive(fileURLToPath(new URL('../..', import.meta.url)));
    expect(archive.org.demo).toBe(true);
    expect(archive.problems).toEqual([]);
    expect(archive.complaints.length).toBeGreaterThanOrEqual(200);
  });
});
