/// <reference lib="dom" />
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadArchive } from '../../src/archive/archive.ts';
import { isPublicComplaint } from '../../src/board/public-complaints.ts';
import { stateOf } from '../../src/core/complaint/states.ts';
import { receivedMonth } from '../../src/core/complaint/paths.ts';
import { writeCanaryArchive } from '../board/canary-archive.ts';
import { buildBoard } from '../board/build-board.ts';
import { launchChromium, pdfPageCount, PROJECT_ROOT, serveBoard } from './chromium.ts';

/** Issue 4: a monthly report page, HTML + CSS + images + fonts, stays under 60 KB. */
const REPORT_PAGE_WEIGHT_LIMIT = 60 * 1024;
const SCREENSHOTS = join(PROJECT_ROOT, 'test-results', 'screenshots');
const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 900 },
} as const;

let workspace: string;
let browser: Browser;
let demo: { origin: string; stop: () => Promise<void> };
/** The demo month with the most complaints: the hardest one to print on one page. */
let busiestMonth: string;
let publicComplaintId: string;

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'complaints-browser-'));
  await mkdir(SCREENSHOTS, { recursive: true });
  const archive = await loadArchive(PROJECT_ROOT);
  const byMonth = new Map<string, number>();
  for (const { data } of archive.complaints) {
    const { year, month } = receivedMonth(data.received_at, archive.org.timezone);
    byMonth.set(`${year}-${month}`, (byMonth.get(`${year}-${month}`) ?? 0) + 1);
  }
  busiestMonth = [...byMonth.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  publicComplaintId = archive.complaints.find((complaint) => isPublicComplaint(complaint.data, archive.org) && stateOf(complaint.data) === 'closed')!.data.id;

  // The board shows the archive as of the moment the demo was generated (DEMO_NOW).
  const build = await buildBoard(PROJECT_ROOT, workspace, 'demo');
  if (build.code !== 0) throw new Error(`the demo board did not build:\n${build.output}`);
  demo = await serveBoard(build.outDir);
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  await rm(workspace, { recursive: true, force: true });
});

/** A page in a fresh context; reading pages are checked with JavaScript off (they must not need it). */
async function open(path: string, options: { javaScript?: boolean; viewport?: { width: number; height: number } } = {}): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? false, viewport: options.viewport ?? VIEWPORTS.desktop, locale: 'zh-CN' });
  const page = await context.newPage();
  const response = await page.goto(`${demo.origin}${path}`);
  expect(response?.status(), `${path} answers 200`).toBe(200);
  return page;
}

/** axe-core's serious and critical violations on the page. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }));
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

const PAGES = () => ({
  home: '/',
  report: `/reports/${busiestMonth}/`,
  complaint: `/complaints/${publicComplaintId}/`,
  search: '/search/',
});

describe('the notice board in Chromium', () => {
  it.each(['home', 'report', 'complaint', 'search'] as const)('shows the %s page on a phone and a desktop, readable without JavaScript', async (name) => {
    for (const [viewportName, viewport] of Object.entries(VIEWPORTS)) {
      const page = await open(PAGES()[name], { viewport });
      expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
      expect((await page.locator('h1').first().innerText()).trim().length).toBeGreaterThan(0);
      // Nothing wider than the screen: no sideways scrolling on a phone.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name} at ${viewportName} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(1);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${viewportName}.png`), fullPage: true });
      await page.context().close();
    }
  });

  it('puts the key rates and the open public complaints on the home page', async () => {
    const page = await open('/');
    expect(await page.locator('[data-testid="key-rates"]').innerText()).toMatch(/处理率/);
    expect(await page.locator('[data-testid="open-complaints"]').count()).toBe(1);
    await page.context().close();
  });

  it('shows a monthly report with its classification table and data summary', async () => {
    const page = await open(PAGES().report);
    expect(await page.locator('[data-testid="classification-table"]').innerText()).toMatch(/房屋管理/);
    expect(await page.locator('[data-testid="data-summary"]').innerText()).toMatch(/本期投诉总数/);
    expect(await page.locator('svg').count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it('shows a public complaint’s timeline', async () => {
    const page = await open(PAGES().complaint);
    expect(await page.locator('[data-testid="timeline"]').innerText()).toMatch(/登记|受理/);
    await page.context().close();
  });

  it.each(['home', 'report', 'complaint', 'search'] as const)('has no serious or critical accessibility violations on the %s page (axe-core)', async (name) => {
    const page = await open(PAGES()[name], { javaScript: true });
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('finds complaints and notices by a Chinese word with the search page', async () => {
    const page = await open('/search/', { javaScript: true });
    await page.locator('[data-testid="search"] input').first().fill('电梯');
    const results = page.locator('[data-testid="search"] a[href*="/complaints/"], [data-testid="search"] a[href*="/reports/"]');
    await results.first().waitFor({ timeout: 15_000 });
    expect(await results.count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it('prints the busiest demo month’s notice on exactly one A4 page', async () => {
    const page = await open(PAGES().report);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: false });
    await writeFile(join(SCREENSHOTS, `report-${busiestMonth}.pdf`), pdf);
    expect(pdfPageCount(pdf)).toBe(1);
    await page.context().close();
  });

  it('keeps a monthly report page under 60 KB of HTML, CSS, fonts and images', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const sizes: { url: string; bytes: number }[] = [];
    page.on('response', async (response) => {
      const type = response.request().resourceType();
      if (!['document', 'stylesheet', 'image', 'font'].includes(type) || response.url().includes('/pagefind/')) return;
      sizes.push({ url: response.url(), bytes: (await response.body()).length });
    });
    await page.goto(`${demo.origin}${PAGES().report}`, { waitUntil: 'networkidle' });
    const total = sizes.reduce((sum, item) => sum + item.bytes, 0);
    console.log(`page weight of ${PAGES().report}: ${total} bytes (${sizes.map((item) => `${new URL(item.url).pathname} ${item.bytes}`).join(', ')})`);
    expect(total).toBeLessThan(REPORT_PAGE_WEIGHT_LIMIT);
    await context.close();
  });
});

describe('untrusted complaint text in the browser', () => {
  it('runs no script planted in a complaint’s title, text, location or public note', async () => {
    const root = join(workspace, 'canary');
    const canary = await writeCanaryArchive(root, { includeCanaryName: false });
    const build = await buildBoard(root, workspace, 'canary');
    expect(build.code, build.output).toBe(0);
    const server = await serveBoard(build.outDir);
    try {
      const context = await browser.newContext({ javaScriptEnabled: true });
      const page = await context.newPage();
      const dialogs: string[] = [];
      page.on('dialog', async (dialog) => {
        dialogs.push(dialog.message());
        await dialog.dismiss();
      });
      for (const id of canary.payloadComplaintIds) {
        await page.goto(`${server.origin}/complaints/${id}/`);
        for (const link of await page.locator('a').all()) {
          const href = await link.getAttribute('href');
          expect(href ?? '').not.toMatch(/^\s*javascript:/i);
        }
        expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      }
      for (const path of ['/', '/search/']) {
        await page.goto(`${server.origin}${path}`);
        expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      }
      expect(dialogs).toEqual([]);
      await context.close();
    } finally {
      await server.stop();
    }
  }, 240_000);
});
