// @ts-check
import { defineConfig } from 'astro/config';
import { boardIntegration } from './src/board/integration.ts';

/**
 * The public notice board (SPEC §7): a static site built from the archive in content/.
 *
 * Environment:
 * - BOARD_SITE  the site's origin, e.g. https://example.github.io (canonical URLs, feeds)
 * - BOARD_BASE  the path it is served under, e.g. /complaints for GitHub Pages project sites
 * - BOARD_ARCHIVE_ROOT  the folder holding content/ (default: this project), read by src/content.config.ts
 * - BOARD_CACHE_DIR  Astro's cache (default node_modules/.astro), so parallel builds do not share one
 * - BOARD_NOW  the moment the board shows the archive as of (ISO 8601; default: the build time)
 * - COMPLAINTS_IDENTITY_FILE / COMPLAINTS_IDENTITY  an age identity: the privacy gate then also
 *   searches the output for every decrypted contact value
 */
export default defineConfig({
  output: 'static',
  site: process.env.BOARD_SITE || undefined,
  base: process.env.BOARD_BASE || '/',
  cacheDir: process.env.BOARD_CACHE_DIR || './node_modules/.astro',
  trailingSlash: 'ignore',
  devToolbar: { enabled: false },
  // One small stylesheet file, cached across pages; no inline styles to keep apart from markup.
  // Four pages at a time: one page's file is written while the next renders (10,000 complaints:
  // pages in 30 s instead of 50 s; more did not help on 2 cores).
  build: { inlineStylesheets: 'never', format: 'directory', concurrency: 4 },
  integrations: [boardIntegration()],
});
