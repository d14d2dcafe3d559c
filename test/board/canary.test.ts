import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { buildBoard, BUILD_TIMEOUT_MS, readBuiltFiles } from './build-board.ts';
import { CANARY_ADDRESS, CANARY_HISTORY_URL, CANARY_NAME, CANARY_PHONE, writeCanaryArchive, type CanaryArchive } from './canary-archive.ts';
import { complaintPath } from '../../src/core/complaint/paths.ts';

/**
 * The canary builds: personal data planted where only the privacy gate can catch it must stop the
 * build, naming the file; script payloads planted in complaint fields and a published narrative must
 * come out inert.
 */

let workspace: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'complaints-canary-'));
});

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('a canary name in a public complaint’s text and location', () => {
  it(
    'fails the build, naming the files, when the identity that opens the contact envelopes is at hand',
    async () => {
      const canary = await writeCanaryArchive(join(workspace, 'named'), { includeCanaryName: true });
      const build = await buildBoard(canary.root, workspace, 'named', { COMPLAINTS_IDENTITY_FILE: canary.identityFile });
      expect(build.code).not.toBe(0);
      expect(build.output).toContain('公示栏输出含个人信息，禁止发布');
      expect(build.output).toContain(`complaints/${canary.canaryComplaintId}/index.html`);
      expect(build.output).toMatch(/投诉人联系方式 contact \(闻\*\*瑶\)/);
      // The log names where, never what: the canary's value is masked.
      expect(build.output).not.toContain(CANARY_NAME);
    },
    BUILD_TIMEOUT_MS,
  );
});

describe('script payloads in complaint fields and in a published narrative', () => {
  let canary: CanaryArchive;
  let files: Map<string, string>;
  let output: string;

  beforeAll(async () => {
    canary = await writeCanaryArchive(join(workspace, 'payloads'), { includeCanaryName: false });
    const build = await buildBoard(canary.root, workspace, 'payloads', { COMPLAINTS_IDENTITY_FILE: canary.identityFile });
    if (build.code !== 0) throw new Error(`the canary board did not build:\n${build.output}`);
    output = build.output;
    files = await readBuiltFiles(build.outDir);
  }, BUILD_TIMEOUT_MS);

  it('build, with the contact values of every envelope searched for and not found', () => {
    expect(output).toMatch(/no personal data found; [1-9]\d* contact values searched for/);
    const everything = [...files.values()].join('\n').replace(/\u200B/g, '');
    for (const value of [CANARY_NAME, CANARY_PHONE, CANARY_ADDRESS]) expect(everything.includes(value), value).toBe(false);
  });

  it('reach the pages of the complaints, the feed, the API and the search index — as text', () => {
    for (const id of canary.payloadComplaintIds) expect(files.get(`complaints/${id}/index.html`), id).toContain('window.__pwned=1');
    expect(files.get('feed.xml')).toContain('__pwned');
    expect(files.get('open311/v2/requests.json')).toContain('__pwned');
    expect(files.get(`reports/${canary.narrativeMonth}/index.html`)).toContain('本月电梯投诉较多。');
  });

  it('leave no script element, event handler or javascript: URL in any page', () => {
    for (const [path, html] of files) {
      if (!path.endsWith('.html')) continue;
      const { document } = parseHTML(html);
      for (const script of document.querySelectorAll('script')) expect(script.textContent ?? '', path).not.toContain('__pwned');
      for (const element of document.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
          expect(attribute.name.startsWith('on'), `${path}: <${element.tagName.toLowerCase()} ${attribute.name}>`).toBe(false);
          expect(/^\s*javascript:/i.test(attribute.value), `${path}: ${attribute.name}="${attribute.value}"`).toBe(false);
        }
      }
      expect(html.includes('<script>window.__pwned'), path).toBe(false);
      expect(/<img[^>]*onerror/i.test(html), path).toBe(false);
    }
  });

  it('stay escaped in the feed and the JSON, so no reader or browser runs them', () => {
    const feed = files.get('feed.xml')!;
    expect(feed).not.toMatch(/<script|<img/i);
    // Feed readers read a description as HTML: the payload is escaped twice, so it shows as text.
    expect(feed).toContain('&amp;lt;script&amp;gt;');
    for (const path of ['open311/v2/requests.json', 'open311/v2/services.json']) expect(files.get(path), path).not.toMatch(/[<>]/);
  });

  it('link each complaint page to its file’s history on the hosting service (the audit link)', async () => {
    const { loadArchive } = await import('../../src/archive/archive.ts');
    const archive = await loadArchive(canary.root);
    for (const id of canary.payloadComplaintIds) {
      const data = archive.complaints.find((complaint) => complaint.data.id === id)!.data;
      const { document } = parseHTML(files.get(`complaints/${id}/index.html`)!);
      const link = document.querySelector('[data-testid="history-link"]');
      expect(link?.getAttribute('href'), id).toBe(CANARY_HISTORY_URL.replace('{path}', complaintPath(id, data.received_at, archive.org.timezone)));
    }
  });

  it('keep the complaint that is not public out of every file', () => {
    const pattern = new RegExp(`(?<![\\d-])${canary.privateComplaintId}(?!\\d)`);
    for (const [path, text] of files) expect(pattern.test(text), path).toBe(false);
  });
});
