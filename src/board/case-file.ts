import { z } from 'zod';
import type { Org } from '../core/org/schema.ts';
import type { ComplaintData } from '../core/complaint/schema.ts';
import { COMPLAINT_ID_PATTERN } from '../core/complaint/schema.ts';
import { parseFrontmatter, FrontmatterError } from '../archive/frontmatter.ts';
import { renderSanitisedMarkdown } from './markdown.ts';
import { isPublicComplaint } from './public-complaints.ts';

/**
 * The case library (典型案例, SPEC §2 `content/cases/<slug>.md`): cases staff curate from handled
 * complaints, to show residents how problems were solved. Front matter is checked here; the body is
 * staff Markdown, rendered through the sanitising pipeline. A case may name only public complaints: a
 * case that names a private one would publish its id, so the build stops instead.
 */

export const CASES_DIR = 'content/cases';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as "2026-10-20"');

/** The front matter of a case file. */
export const caseFileSchema = z.strictObject({
  title: z.string().trim().min(1).max(120),
  /** When the case was written up. */
  date: isoDate,
  /** One or two sentences for the library's list. */
  summary: z.string().trim().min(1).max(300),
  category: z.string().regex(/^[a-z][a-z0-9_]*$/),
  project: z.string().regex(/^[a-z][a-z0-9_]*$/).optional(),
  /** The public complaints the case is about. */
  complaints: z.array(z.string().regex(COMPLAINT_ID_PATTERN)).default([]),
  /** Marks invented demo content (SPEC §2: the demo archive is clearly marked). */
  demo: z.boolean().default(false),
});
export type CaseFile = z.output<typeof caseFileSchema>;

/** A case as the board stores it: front matter, the slug, and the body as sanitised HTML. */
export const caseEntrySchema = caseFileSchema.extend({ slug: z.string(), html: z.string() });
export type CaseEntry = z.output<typeof caseEntrySchema>;

/** Raised for a case file the board cannot publish; names the file. */
export class CaseFileError extends Error {
  override readonly name = 'CaseFileError';
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.file = file;
  }
}

const SLUG = /^[a-z0-9][a-z0-9-]*$/;

/** Reads one case file against the organisation and the archive. */
export function readCaseFile(file: string, slug: string, text: string, org: Org, complaints: ReadonlyMap<string, ComplaintData>): CaseEntry {
  if (!SLUG.test(slug)) throw new CaseFileError(file, 'a case file name must be lowercase letters, digits and dashes, e.g. "lift-repair.md"（案例文件名只能使用小写字母、数字和连字符）');
  let parsed;
  try {
    parsed = parseFrontmatter(text);
  } catch (cause) {
    if (cause instanceof FrontmatterError) throw new CaseFileError(file, `line ${cause.line}: ${cause.message}`);
    throw cause;
  }
  const result = caseFileSchema.safeParse(parsed.data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new CaseFileError(file, `${issue.path.map(String).join('.') || 'front matter'}: ${issue.message}（案例文件头有误）`);
  }
  const data = result.data;
  if (!org.categories.some((category) => category.key === data.category)) throw new CaseFileError(file, `unknown category "${data.category}"（未知的投诉分类）`);
  if (data.project && !org.projects.some((project) => project.key === data.project)) throw new CaseFileError(file, `unknown project "${data.project}"（未知的管理项目）`);
  for (const id of data.complaints) {
    const complaint = complaints.get(id);
    if (!complaint) throw new CaseFileError(file, `names complaint ${id}, which is not in the archive（案例引用的投诉不存在）`);
    if (!isPublicComplaint(complaint, org))
      throw new CaseFileError(file, `names complaint ${id}, which is not public: a case may only name public complaints（案例不得引用非公示投诉）`);
  }
  return { ...data, slug, html: renderSanitisedMarkdown(parsed.body, { topHeadingLevel: 2 }) };
}
