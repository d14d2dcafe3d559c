import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { csvParse } from 'd3-dsv';
import { XMLValidator } from 'fast-xml-parser';
import { loadArchive, type LoadedArchive } from '../../src/archive/archive.ts';
import { isPublicComplaint } from '../../src/board/public-complaints.ts';
import { monthsWithComplaints } from '../../src/board/board.ts';
import { stateOf } from '../../src/core/complaint/states.ts';
import { runComplaints } from '../cli/run-cli.ts';
import { buildBoard, BUILD_TIMEOUT_MS, DEMO_NOW, PROJECT_ROOT, readBuiltFiles, type BuildResult } from './build-board.ts';

/**
 * One real build of the shipped demo archive (content/, with its cases and report files), under the
 * base path /complaints/ and with the demo identity at hand, shared by every assertion below; and one
 * build that must fail because the archive does not validate.
 */

const BASE = '/complaints/';
const SITE = 'https://example.github.io';
const OPEN311_REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'requested_datetime',
  'updated_datetime',
  'address',
].sort();

let workspace: string;
let archive: LoadedArchive;
let build: BuildResult;
let files: Map<string, string>;
let publicIds: Set<string>;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'complaints-board-'));
  archive = await loadArchive(PROJECT_ROOT);
  publicIds = new Set(archive.complaints.filter((complaint) => isPublicComplaint(complaint.data, archive.org)).map((complaint) => complaint.data.id));
  build = await buildBoard(PROJECT_ROOT, workspace, 'demo', {
    BOARD_BASE: BASE,
    BOARD_SITE: SITE,
    COMPLAINTS_IDENTITY_FILE: join(PROJECT_ROOT, 'demo/DEMO-ONLY-age-identity.txt'),
  });
  if (build.code !== 0) throw new Error(`the demo board did not build:\n${build.output}`);
  files = await readBuiltFiles(build.outDir);
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await rm(workspace, { recursive: true, force: true });
});

const htmlPages = () => [...files.entries()].filter(([path]) => path.endsWith('.html'));
const documentOf = (html: string) => parseHTML(html).document;

describe('the notice board built from the demo archive', () => {
  it('has every kind of page, feed and download', async () => {
    const months = monthsWithComplaints(archive.complaints.map((complaint) => complaint.data), archive.org.timezone, new Date(DEMO_NOW));
    const cases = (await readdir(join(PROJECT_ROOT, 'content/cases'))).filter((name) => name.endsWith('.md') && name !== 'README.md');
    const expected = [
      'index.html',
      '404.html',
      'reports/index.html',
      ...months.flatMap((month) => [`reports/${month}/index.html`, `reports/${month}.csv`]),
      'complaints/index.html',
      ...[...publicIds].map((id) => `complaints/${id}/index.html`),
      'statistics/index.html',
      'cases/index.html',
      ...cases.map((name) => `cases/${name.replace(/\.md$/, '')}/index.html`),
      'how-to-complain/index.html',
      'search/index.html',
      'feed.xml',
      'open311/v2/services.json',
      'open311/v2/requests.json',
      'pagefind/pagefind-ui.js',
      'pagefind/pagefind-entry.json',
    ];
    expect(months.length).toBeGreaterThan(5);
    expect(cases.length).toBeGreaterThanOrEqual(3);
    for (const path of expected) expect(files.has(path), path).toBe(true);
  });

  it('makes every page zh-CN with one h1, landmarks, and no script outside the search page', () => {
    for (const [path, html] of htmlPages()) {
      const document = documentOf(html);
      expect(document.documentElement.getAttribute('lang'), path).toBe('zh-CN');
      expect(document.querySelectorAll('h1').length, path).toBe(1);
      for (const landmark of ['header', 'nav', 'main', 'footer']) expect(document.querySelector(landmark), `${path} ${landmark}`).not.toBeNull();
      if (path !== 'search/index.html') expect(document.querySelectorAll('script').length, path).toBe(0);
      for (const table of document.querySelectorAll('table')) expect(table.querySelector('caption'), path).not.toBeNull();
    }
  });

  it('publishes no trace of a complaint that is not public, only counts', () => {
    const hidden = archive.complaints.filter((complaint) => !isPublicComplaint(complaint.data, archive.org));
    const publicTitles = new Set(archive.complaints.filter((complaint) => publicIds.has(complaint.data.id)).map((complaint) => complaint.data.title));
    expect(hidden.length).toBeGreaterThan(10);
    const everything = [...files.values()].join('\n');
    for (const { data } of hidden) {
      expect(files.has(`complaints/${data.id}/index.html`), data.id).toBe(false);
      expect(new RegExp(`(?<![\\d-])${data.id}(?!\\d)`).test(everything), data.id).toBe(false);
      // A private matter may share its wording with a public one (the same fault in another building).
      if (![...publicTitles].some((title) => title.includes(data.title))) expect(everything.includes(data.title), data.title).toBe(false);
    }
  });

  it('shows a public complaint’s public notes and text, never its internal notes, reply or visit comment', () => {
    const closed = archive.complaints.filter(
      (complaint) => publicIds.has(complaint.data.id) && stateOf(complaint.data) === 'closed' && complaint.data.reply && complaint.data.events.some((event) => event.note),
    );
    expect(closed.length).toBeGreaterThan(20);
    const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    for (const { data, body } of closed.slice(0, 40)) {
      const html = files.get(`complaints/${data.id}/index.html`)!;
      const timeline = documentOf(html).querySelector('[data-testid="timeline"]')!.textContent ?? '';
      for (const event of data.events) {
        if (event.public_note) expect(timeline, `${data.id} public note`).toContain(event.public_note.trim());
        if (event.note && !data.events.some((other) => other.public_note?.includes(event.note!))) expect(html, `${data.id} note`).not.toContain(escape(event.note));
      }
      expect(html, `${data.id} reply`).not.toContain(escape(data.reply!.summary));
      if (data.visit?.comment) expect(html, `${data.id} visit comment`).not.toContain(escape(data.visit.comment));
      const [text, ...handlerSections] = body.split(/^## /m);
      for (const section of handlerSections) expect(html, `${data.id} handler section`).not.toContain(escape(section.split('\n\n')[1]!.trim()));
      expect(html, `${data.id} text`).toContain(escape(text!.split('\n\n')[0]!.trim()));
    }
  });

  it('offers each report as a CSV with a byte order mark that parses', async () => {
    const csvFiles = [...files.keys()].filter((path) => /^reports\/\d{4}-\d{2}\.csv$/.test(path));
    expect(csvFiles.length).toBeGreaterThan(5);
    for (const path of csvFiles) {
      const text = await readFile(join(build.outDir, path), 'utf8');
      expect(text.startsWith('\uFEFF'), path).toBe(true);
      const rows = csvParse(text.slice(1));
      expect(rows.columns).toEqual(['期间', '表格', '行', '指标', '数值', '单位']);
      expect(rows.length).toBeGreaterThan(30);
      for (const row of rows) expect(row['期间']).toBe(path.slice(8, 15));
    }
  });

  it('serves Open311 services for every category and requests for the public complaints only, with the GeoReport fields', () => {
    const services = JSON.parse(files.get('open311/v2/services.json')!) as Record<string, unknown>[];
    expect(services.map((service) => service.service_code)).toEqual(archive.org.categories.map((category) => category.key));
    for (const service of services) expect(service).toMatchObject({ metadata: false, type: 'realtime' });
    const requests = JSON.parse(files.get('open311/v2/requests.json')!) as Record<string, unknown>[];
    expect(new Set(requests.map((request) => request.service_request_id))).toEqual(publicIds);
    const byId = new Map(archive.complaints.map((complaint) => [complaint.data.id, complaint.data]));
    for (const request of requests) {
      expect(Object.keys(request).sort()).toEqual(OPEN311_REQUEST_FIELDS);
      expect(['open', 'closed']).toContain(request.status);
      const data = byId.get(String(request.service_request_id))!;
      expect(request.description).toBe(data.title);
      expect(request.service_code).toBe(data.category);
      expect(Date.parse(String(request.requested_datetime))).toBe(Date.parse(data.received_at));
      expect(Number.isNaN(Date.parse(String(request.updated_datetime)))).toBe(false);
    }
  });

  it('writes a well-formed RSS feed of notices and status changes with absolute links under the base path', () => {
    const feed = files.get('feed.xml')!;
    expect(XMLValidator.validate(feed)).toBe(true);
    const links = [...feed.matchAll(/<item>.*?<link>([^<]*)<\/link>/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(20);
    for (const link of links) expect(link.startsWith(`${SITE}${BASE}`), link).toBe(true);
    expect(links.some((link) => link.includes('/reports/'))).toBe(true);
    expect(links.some((link) => link.includes('/complaints/'))).toBe(true);
  });

  it('prefixes every internal link and asset with the base path', () => {
    for (const [path, html] of htmlPages()) {
      const document = documentOf(html);
      for (const element of document.querySelectorAll('[href], [src]')) {
        const url = element.getAttribute('href') ?? element.getAttribute('src') ?? '';
        if (/^(?:https?:|mailto:|data:|#)/.test(url)) continue;
        expect(url.startsWith(BASE), `${path}: ${url}`).toBe(true);
      }
    }
  });

  it('indexes public complaints, notices and cases for search, and no list or statistics page', () => {
    // Pagefind records URLs relative to the output folder; the search page passes the base path to its UI.
    const fragments = [...files.entries()].filter(([path]) => path.startsWith('pagefind/fragment/')).map(([, text]) => text);
    const indexed = (prefix: string) => fragments.some((text) => text.includes(`"url":"/${prefix}`));
    expect(indexed('complaints/2026-')).toBe(true);
    expect(indexed('reports/2026-')).toBe(true);
    expect(indexed('cases/')).toBe(true);
    expect(indexed('statistics/')).toBe(false);
    expect(indexed('complaints/"')).toBe(false);
    expect(documentOf(files.get('search/index.html')!).querySelector('[data-testid="search"]')?.getAttribute('data-base')).toBe(BASE);
  });

  it('runs the privacy gate with the identity and prints the weight of every report page, each under 60 KB', () => {
    expect(build.output).toMatch(/privacy gate: \d+ files scanned, no personal data found; [1-9]\d* contact values searched for/);
    const weights = [...build.output.matchAll(/page weight reports\/(\d{4}-\d{2})\/: ([\d.]+) KB/g)];
    expect(weights.length).toBeGreaterThan(5);
    for (const [, month, kilobytes] of weights) expect(Number(kilobytes), month).toBeLessThan(60);
  });

  it('marks up the home page, a report and a complaint for the browser tests', () => {
    const home = documentOf(files.get('index.html')!);
    expect(home.querySelector('[data-testid="key-rates"]')?.textContent).toMatch(/处理率/);
    expect(home.querySelector('[data-testid="open-complaints"]')).not.toBeNull();
    const [reportPath] = [...files.keys()].filter((path) => /^reports\/\d{4}-\d{2}\/index\.html$/.test(path));
    const report = documentOf(files.get(reportPath!)!);
    expect(report.querySelector('[data-testid="classification-table"] caption')?.textContent).toBe('物业管理客户投诉分类统计表');
    expect(report.querySelector('[data-testid="data-summary"]')?.textContent).toMatch(/本期投诉总数/);
    expect(report.querySelectorAll('figure svg[role="img"][aria-label]').length).toBeGreaterThanOrEqual(4);
    expect(documentOf(files.get('search/index.html')!).querySelector('[data-testid="search"] noscript')).not.toBeNull();
  });
});

describe('a board built from an archive that fails validation', () => {
  it(
    'is refused, naming the file, such as one with a phone number in a title',
    async () => {
      const root = join(workspace, 'leaky');
      const result = await runComplaints(['demo', '--root', root, '--now', DEMO_NOW, '--count', '40']);
      expect(result.code).toBe(0);
      const folder = join(root, 'content/complaints/2026/11');
      const [file] = (await readdir(folder)).sort();
      const text = await readFile(join(folder, file!), 'utf8');
      await writeFile(join(folder, file!), text.replace(/^title: (.*)$/m, 'title: $1 请回电13912345678'));
      const leaky = await buildBoard(root, workspace, 'leaky');
      expect(leaky.code).not.toBe(0);
      expect(leaky.output).toContain('complaints validate');
      expect(leaky.output).toContain(file!.replace(/\.md$/, ''));
      await expect(readFile(join(leaky.outDir, 'index.html'), 'utf8')).rejects.toThrow();
    },
    BUILD_TIMEOUT_MS,
  );
});
