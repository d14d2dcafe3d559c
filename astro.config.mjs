// @ts-check
import { defineConfig } from 'astro/config';

/**
 * The public notice board (SPEC §7): a static site built from the archive in content/.
 *
 * Environment:
 * - BOARD_SITE  the site's origin, e.g. https://example.github.io (canonical URLs, feeds)
 * - BOARD_BASE  the path it is served under, e.g. /complaints for GitHub Pages project sites
 * - BOARD_ARCHIVE_ROOT  the folder holding content/ (default: this project), read by src/content.config.ts
 * - BOARD_CACHE_DIR  Astro's cache (default node_modules/.astro), so parallel builds do not share one
 */
export default defineConfig({
  output: 'static',
  site: process.env.BOARD_SITE || undefined,
  base: process.env.BOARD_BASE || '/',
  cacheDir: process.env.BOARD_CACHE_DIR || './node_modules/.astro',
  trailingSlash: 'ignore',
  devToolbar: { enabled: false },
});
