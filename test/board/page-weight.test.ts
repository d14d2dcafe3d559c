import { describe, expect, it } from 'vitest';
import { assetUrls, kilobytes, pageWeight } from '../../src/board/page-weight.ts';

describe('the weight of a page', () => {
  const html =
    '<html><head><link rel="icon" href="data:,"><link rel="stylesheet" href="/b/_astro/a.css"><link rel="alternate" href="/b/feed.xml">' +
    '<link rel="stylesheet" href="/b/pagefind/pagefind-ui.css"></head><body><img src="/b/logo.png" alt=""><a href="/b/reports/">x</a>' +
    '<script src="/b/pagefind/pagefind-ui.js"></script><script type="module" src="/b/_astro/page.js"></script></body></html>';

  it('counts the stylesheets, images and scripts a page loads, not links, data URLs or search’s lazy files', () => {
    expect(assetUrls(html).sort()).toEqual(['/b/_astro/a.css', '/b/_astro/page.js', '/b/logo.png']);
  });

  it('adds the sizes of what it loads to the HTML', () => {
    const sizes: Record<string, number> = { '/b/_astro/a.css': 5000, '/b/logo.png': 1000 };
    const weight = pageWeight(html, (url) => sizes[url]);
    expect(weight.html).toBe(Buffer.byteLength(html));
    expect(weight.total).toBe(Buffer.byteLength(html) + 6000);
    expect(weight.assets.find((asset) => asset.url === '/b/_astro/page.js')?.bytes).toBeUndefined();
    expect(kilobytes(41_234)).toBe('40.3 KB');
  });
});
