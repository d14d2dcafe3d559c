import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { preview } from 'astro';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; tests never download a browser (.ci/run installs the package). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless Chromium on a machine without network or GPU. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Starts Debian's Chromium headless, or says how to install it. */
export async function launchChromium(): Promise<Browser> {
  try {
    await access(CHROMIUM);
  } catch {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run "apt-get install chromium" (.ci/run does)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** Serves a built board with Astro's own preview server on a free loopback port. */
export async function serveBoard(outDir: string): Promise<{ origin: string; stop: () => Promise<void> }> {
  const server = await preview({ root: PROJECT_ROOT, outDir, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
  return { origin: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}

/** How many pages a PDF has, from its page tree (`/Count`), cross-checked with its page objects. */
export function pdfPageCount(pdf: Buffer): number {
  const text = pdf.toString('latin1');
  const pageObjects = (text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
  const counts = [...text.matchAll(/\/Type\s*\/Pages[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages/g)].map((match) => Number(match[1] ?? match[2]));
  const declared = counts.length > 0 ? Math.max(...counts) : pageObjects;
  if (declared !== pageObjects) throw new Error(`PDF page tree says ${declared} pages but holds ${pageObjects} page objects`);
  return declared;
}
