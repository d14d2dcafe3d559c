import { z } from 'zod';
import { BLOCK_END, REPORT_STATUSES, splitReportFile, type ReportStatus } from '../archive/report-file.ts';
import { parseFrontmatter } from '../archive/frontmatter.ts';
import { renderSanitisedMarkdown } from './markdown.ts';

/**
 * The narrative of a report file (content/reports/YYYY-MM.md, SPEC §6): the text a supervisor writes
 * around the generated tables and reviews in a pull request. The board shows it only once the file's
 * status is `published`, rendered through the sanitising Markdown pipeline. The generated block is
 * left out — the board draws its own tables from the archive, without private complaints' titles.
 */

/** A report file as the board's collection stores it. */
export const reportNarrativeSchema = z.strictObject({
  label: z.string(),
  status: z.enum(REPORT_STATUSES),
  generatedAt: z.string(),
  /** Sanitised HTML of the narrative; only for published reports with a narrative. */
  narrativeHtml: z.string().optional(),
});
export type ReportNarrative = z.output<typeof reportNarrativeSchema> & { status: ReportStatus };

/** The Markdown outside the generated block (before its begin line and after its end line), HTML comments removed. */
export function narrativeMarkdown(file: string, text: string, label: string): string {
  const parts = splitReportFile(file, text, label);
  const bodyOffset = parseFrontmatter(text).bodyOffset;
  const beginLineStart = text.lastIndexOf('\n', parts.blockStart - 2) + 1;
  const afterEnd = text.indexOf('\n', parts.blockEnd + BLOCK_END.length);
  const before = text.slice(bodyOffset, beginLineStart);
  const after = afterEnd === -1 ? '' : text.slice(afterEnd + 1);
  return `${before}\n${after}`.replace(/<!--[\s\S]*?-->/g, '').trim();
}

/** A report file as the board uses it. Throws `ReportFileError` for a file that cannot be read safely. */
export function readReportNarrative(file: string, text: string, label: string): ReportNarrative {
  const { frontmatter } = splitReportFile(file, text, label);
  const base = { label, status: frontmatter.status, generatedAt: frontmatter.generated_at };
  if (frontmatter.status !== 'published') return base;
  const markdown = narrativeMarkdown(file, text, label);
  const html = markdown ? renderSanitisedMarkdown(markdown, { dropLeadingTitle: true, topHeadingLevel: 3 }) : '';
  return html ? { ...base, narrativeHtml: html } : base;
}
