import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { identitiesFromEnvironment, PublishedPersonalDataError, runPrivacyGate, UncheckableContactError } from '../../src/board/privacy-gate.ts';
import { generateKeyPair } from '../../src/privacy/contact.ts';
import { CANARY_NAME, writeCanaryArchive, type CanaryArchive } from './canary-archive.ts';

/** The gate over a real output folder and a real archive with encrypted contacts (no Astro build). */

let workspace: string;
let canary: CanaryArchive;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'complaints-gate-'));
  canary = await writeCanaryArchive(join(workspace, 'archive'), { includeCanaryName: false });
});

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

async function outputFolder(name: string, files: Record<string, string | Uint8Array>): Promise<string> {
  const folder = join(workspace, name);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(folder, path, '..'), { recursive: true });
    await writeFile(join(folder, path), content);
  }
  return folder;
}

describe('the privacy gate over the output folder', () => {
  it('passes a clean build and skips WebAssembly', async () => {
    const folder = await outputFolder('clean', {
      'index.html': '<p>7栋电梯已修复</p>',
      'pagefind/wasm.unknown.pagefind': gzipSync(Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x31, 0x33, 0x39, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38])),
    });
    const result = await runPrivacyGate(folder, canary.root, {});
    expect(result).toEqual({ scanned: 1, skipped: ['pagefind/wasm.unknown.pagefind'], contactValues: 0, identity: false });
  });

  it('fails on a mobile number, naming the file', async () => {
    const folder = await outputFolder('mobile', { 'complaints/2026-0001/index.html': '<p>回电 139-1234-5678</p>' });
    await expect(runPrivacyGate(folder, canary.root, {})).rejects.toThrow(/complaints\/2026-0001\/index\.html:1: 手机号码 mobile \(139\*+78\)/);
  });

  it('finds a contact value inside a compressed search index fragment once the identity is given', async () => {
    const fragment = gzipSync(Buffer.from(`pagefind_dcd{"content":"我是\u200b${CANARY_NAME.slice(0, 2)}\u200b${CANARY_NAME.slice(2)}"}`));
    const folder = await outputFolder('fragment', { 'pagefind/fragment/zh-cn_1.pf_fragment': fragment });
    expect((await runPrivacyGate(folder, canary.root, {})).identity).toBe(false);
    const error = await runPrivacyGate(folder, canary.root, { COMPLAINTS_IDENTITY_FILE: canary.identityFile }).catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(PublishedPersonalDataError);
    expect((error as PublishedPersonalDataError).message).toContain('pagefind/fragment/zh-cn_1.pf_fragment:1: 投诉人联系方式 contact');
    expect((error as PublishedPersonalDataError).message).not.toContain(CANARY_NAME);
  });

  it('refuses to pass when the identity cannot open the envelopes', async () => {
    const folder = await outputFolder('other-identity', { 'index.html': 'ok' });
    const stranger = await generateKeyPair();
    await expect(runPrivacyGate(folder, canary.root, { COMPLAINTS_IDENTITY: stranger.identity })).rejects.toThrow(UncheckableContactError);
  });

  it('reads identities from a file and from the variable, skipping comments', async () => {
    const file = join(workspace, 'identities.txt');
    await writeFile(file, '# created: today\nAGE-SECRET-KEY-1AAA\n');
    expect(await identitiesFromEnvironment({ COMPLAINTS_IDENTITY_FILE: file, COMPLAINTS_IDENTITY: 'AGE-SECRET-KEY-1BBB' })).toEqual(['AGE-SECRET-KEY-1AAA', 'AGE-SECRET-KEY-1BBB']);
    expect(await identitiesFromEnvironment({})).toEqual([]);
  });
});
