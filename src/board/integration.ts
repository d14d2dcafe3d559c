import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import * as pagefind from 'pagefind';
import { archiveRoot } from './archive-loader.ts';
import { kilobytes, pageWeight, REPORT_PAGE_WEIGHT_LIMIT_BYTES } from './page-weight.ts';
import { gateSecrets, gateVerdict, scanOutputFolder } from './privacy-gate.ts';

/**
 * What happens after Astro has written the board (`astro:build:done`), in this order:
 * 1. the search index: Pagefind indexes the pages marked `data-pagefind-body` (the public ones) into
 *    `pagefind/` — its extended build segments Chinese text;
 * 2. the privacy gate over every output file, the index included: the build fails, naming the file,
 *    if anything looks like personal data. The pages are scanned while Pagefind runs (it is a process
 *    of its own, so the two cores share the work), the index once it is written;
 * 3. the weight of every monthly report page, printed (issue 4: under 60 KB).
 */

/** Raised when Pagefind cannot build the index. */
export class SearchIndexError extends Error {
  override readonly name = 'SearchIndexError';
  constructor(errors: readonly string[]) {
    super(`the search index could not be built（搜索索引生成失败）: ${errors.join('; ')}`);
  }
}

async function buildSearchIndex(outDir: string): Promise<number> {
  const { index, errors } = await pagefind.createIndex({});
  if (!index) throw new SearchIndexError(errors);
  try {
    const added = await index.addDirectory({ path: outDir });
    if (added.errors.length > 0) throw new SearchIndexError(added.errors);
    const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
    if (written.errors.length > 0) throw new SearchIndexError(written.errors);
    return added.page_count;
  } finally {
    await pagefind.close();
  }
}

/** Every `reports/YYYY-MM/index.html` with its weight, HTML plus what it loads. */
async function reportPageWeights(outDir: string, base: string, pages: readonly { pathname: string }[]) {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  const sizeOf = (sizes: Map<string, number>) => (url: string) => sizes.get(url);
  const results: { page: string; weight: ReturnType<typeof pageWeight> }[] = [];
  for (const { pathname } of pages) {
    if (!/^reports\/\d{4}-\d{2}\/?$/.test(pathname)) continue;
    const page = pathname.replace(/\/?$/, '/');
    const html = await readFile(join(outDir, page, 'index.html'), 'utf8');
    const sizes = new Map<string, number>();
    for (const match of html.matchAll(/\b(?:href|src)="([^"]+)"/g)) {
      const url = match[1]!;
      if (!url.startsWith(prefix) || sizes.has(url)) continue;
      try {
        sizes.set(url, (await stat(join(outDir, decodeURI(url.slice(prefix.length))))).size);
      } catch {
        // Links to pages are not assets; only what the file system holds is counted.
      }
    }
    results.push({ page, weight: pageWeight(html, sizeOf(sizes)) });
  }
  return results.sort((a, b) => a.page.localeCompare(b.page));
}

/** The board's build integration (see the module comment). */
export function boardIntegration(): AstroIntegration {
  let root: URL;
  let base = '/';
  return {
    name: 'complaints-board',
    hooks: {
      'astro:config:done': ({ config }) => {
        root = config.root;
        base = config.base;
      },
      'astro:build:done': async ({ dir, pages, logger }) => {
        const outDir = fileURLToPath(dir);
        const secrets = await gateSecrets(archiveRoot(root), process.env);
        // The pages are scanned while Pagefind (its own process) indexes them; then its index.
        const inIndex = (path: string) => path.startsWith('pagefind/');
        const [indexed, pagesScan] = await Promise.all([buildSearchIndex(outDir), scanOutputFolder(outDir, secrets.secrets, (path) => !inIndex(path))]);
        logger.info(`search index: ${indexed} public pages indexed（搜索索引：${indexed} 个页面）`);

        const gate = gateVerdict([pagesScan, await scanOutputFolder(outDir, secrets.secrets, inIndex)], secrets);
        logger.info(
          `privacy gate: ${gate.scanned} files scanned, no personal data found${gate.identity ? `; ${gate.contactValues} contact values searched for` : '; no identity given, contact values not searched for (set COMPLAINTS_IDENTITY_FILE)'}` +
            (gate.skipped.length > 0 ? `; not scanned (Pagefind's program, binary files): ${gate.skipped.join(', ')}` : '') +
            '（隐私检查通过）',
        );

        const weights = await reportPageWeights(outDir, base, pages);
        for (const { page, weight } of weights) {
          const over = weight.total > REPORT_PAGE_WEIGHT_LIMIT_BYTES;
          const parts = [`html ${kilobytes(weight.html)}`, ...weight.assets.map((asset) => `${asset.url} ${asset.bytes === undefined ? 'missing' : kilobytes(asset.bytes)}`)];
          const line = `page weight ${page}: ${kilobytes(weight.total)} (${parts.join(', ')})${over ? ` — over the ${kilobytes(REPORT_PAGE_WEIGHT_LIMIT_BYTES)} budget（超出页面大小预算）` : ''}`;
          if (over) logger.warn(line);
          else logger.info(line);
        }
      },
    },
  };
}
