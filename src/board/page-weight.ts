/**
 * What a page costs a phone to show (issue 4: a monthly report page, HTML + CSS + fonts + images,
 * stays under 60 KB): the HTML plus every stylesheet, image, font and script it loads, found in its
 * markup. Search's lazily loaded files (under /pagefind/) are not counted. Pure: sizes come from a lookup.
 */

/** Issue 4: the budget of a monthly report page. */
export const REPORT_PAGE_WEIGHT_LIMIT_BYTES = 60 * 1024;

export interface PageWeight {
  html: number;
  /** Each asset the page loads, by its URL in the markup, with its size (undefined when not found). */
  assets: { url: string; bytes: number | undefined }[];
  total: number;
}

const ASSET_REFERENCES = [
  /<link\b[^>]*\brel=["']?(?:stylesheet|preload|icon)["']?[^>]*>/gi,
  /<img\b[^>]*>/gi,
  /<script\b[^>]*\bsrc=[^>]*>/gi,
];

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}=(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/** The URLs of the assets a page loads, except search's lazy files. */
export function assetUrls(html: string): string[] {
  const urls = new Set<string>();
  for (const pattern of ASSET_REFERENCES) {
    for (const [tag] of html.matchAll(pattern)) {
      const url = attribute(tag, 'href') ?? attribute(tag, 'src');
      if (url && !url.startsWith('data:') && !url.includes('/pagefind/')) urls.add(url);
    }
  }
  return [...urls];
}

/** The weight of a page given its HTML and a way to look up an asset's size by URL. */
export function pageWeight(html: string, sizeOf: (url: string) => number | undefined): PageWeight {
  const htmlBytes = Buffer.byteLength(html, 'utf8');
  const assets = assetUrls(html).map((url) => ({ url, bytes: sizeOf(url) }));
  return { html: htmlBytes, assets, total: htmlBytes + assets.reduce((sum, asset) => sum + (asset.bytes ?? 0), 0) };
}

/** `41234` → `40.3 KB` */
export function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
