import { markdownToHast } from 'satteri';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import { toHtml } from 'hast-util-to-html';
import type { Element, Root, RootContent } from 'hast';

/**
 * Markdown written by staff (report narratives, the case library) as safe HTML. The text is reviewed
 * in a pull request, but it is still sanitised: Astro's Markdown passes raw HTML through, and a
 * pasted complaint could carry a `<script>`, an `onerror=` or a `javascript:` link. The pipeline is
 * Markdown → HAST (satteri, Astro's own Markdown engine, with raw HTML parsed into elements) →
 * rehype-sanitize (GitHub's allow-list, minus images, which would pull remote files onto a page meant
 * to stay small) → HTML. Complaint text is never rendered this way: it is shown as escaped text.
 */

/** GitHub's schema without images; every other rule (no scripts, no handlers, http(s)/mailto links only) kept. */
export const BOARD_SANITIZE_SCHEMA: SanitizeSchema = {
  ...defaultSchema,
  tagNames: (defaultSchema.tagNames ?? []).filter((tag) => tag !== 'img' && tag !== 'picture' && tag !== 'source'),
  strip: [...(defaultSchema.strip ?? []), 'style', 'iframe', 'object', 'embed'],
};

export interface MarkdownOptions {
  /**
   * The level the text's highest heading becomes (2 under a page's h1, 3 under a section's h2):
   * headings keep their order and the page keeps its one h1.
   */
  topHeadingLevel?: number;
  /** Drop a level-1 heading at the very start (a report file's title, which the page shows itself). */
  dropLeadingTitle?: boolean;
}

const MAXIMUM_HEADING_LEVEL = 6;

function highestHeading(nodes: RootContent[]): number {
  let highest = MAXIMUM_HEADING_LEVEL + 1;
  for (const node of nodes) {
    if (node.type !== 'element') continue;
    const match = /^h([1-6])$/.exec(node.tagName);
    highest = Math.min(highest, match ? Number(match[1]) : highestHeading(node.children));
  }
  return highest;
}

function shiftHeadings(nodes: RootContent[], offset: number): void {
  for (const node of nodes) {
    if (node.type !== 'element') continue;
    const match = /^h([1-6])$/.exec(node.tagName);
    if (match) node.tagName = `h${Math.max(1, Math.min(MAXIMUM_HEADING_LEVEL, Number(match[1]) + offset))}`;
    shiftHeadings(node.children, offset);
  }
}

function dropLeadingTitle(tree: Root): void {
  const first = tree.children.findIndex((node) => !(node.type === 'text' && node.value.trim() === '') && node.type !== 'comment');
  const node = tree.children[first];
  if (node && node.type === 'element' && (node as Element).tagName === 'h1') tree.children.splice(first, 1);
}

/** Staff-written Markdown as sanitised HTML (see the module comment). */
export function renderSanitisedMarkdown(markdown: string, options: MarkdownOptions = {}): string {
  const tree = markdownToHast(markdown, { features: { gfm: true, frontmatter: false, rawHtml: true } }) as Root;
  if (options.dropLeadingTitle) dropLeadingTitle(tree);
  const clean = rehypeSanitize(BOARD_SANITIZE_SCHEMA)(tree) as Root;
  if (options.topHeadingLevel) {
    const highest = highestHeading(clean.children);
    if (highest <= MAXIMUM_HEADING_LEVEL) shiftHeadings(clean.children, options.topHeadingLevel - highest);
  }
  return toHtml(clean).trim();
}
