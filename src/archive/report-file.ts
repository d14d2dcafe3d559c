import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { instantSchema } from '../core/complaint/schema.ts';
import type { Problem } from '../core/problems.ts';
import { writeFileAtomically } from './archive.ts';
import { FrontmatterError, parseFrontmatter } from './frontmatter.ts';

/**
 * The report files of SPEC §2 and §6: `content/reports/YYYY-MM.md` (quarters `YYYY-Qn.md`, years
 * `YYYY.md`). Each holds front matter, a narrative a supervisor writes and reviews in a pull request,
 * and the generated tables between two marker lines. Regenerating replaces only what lies between the
 * markers (and `generated_at`), so the narrative is kept byte for byte.
 */

export const REPORTS_DIR = 'content/reports';

/** A report is written as a draft and published once the supervisor has reviewed it. */
export const REPORT_STATUSES = ['draft', 'published'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

const PERIOD_LABEL = /^\d{4}(?:-(?:0[1-9]|1[0-2])|-Q[1-4])?$/;

/** The front matter of a report file. Keys a supervisor adds (e.g. `reviewed_by`) are allowed and kept. */
export const reportFrontmatterSchema = z.object({
  period: z.string().regex(PERIOD_LABEL, 'expected a period such as "2026-10", "2026-Q4" or "2026"'),
  /** When the generated block was last written (the `--now` of that run). */
  generated_at: instantSchema,
  status: z.enum(REPORT_STATUSES),
});
export type ReportFrontmatter = z.output<typeof reportFrontmatterSchema>;

/** The line that opens the generated block (followed by the rest of the comment on the same line). */
export const BLOCK_BEGIN = '<!-- complaints:report:begin';
/** The line that closes the generated block. */
export const BLOCK_END = '<!-- complaints:report:end -->';

const BEGIN_LINE = /^<!-- complaints:report:begin\b[^\r\n]*$/gm;
const END_LINE = /^<!-- complaints:report:end\b[^\r\n]*$/gm;
const GENERATED_AT_LINE = /^generated_at:[^\r\n]*$/m;
const CLOSING_LINE = /^---[ \t]*\r?$/gm;

/** Raised for a report file that cannot be updated safely; the file is left as it is. */
export class ReportFileError extends Error {
  override readonly name = 'ReportFileError';
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, message: string, line?: number) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${message}`);
    this.file = file;
    this.line = line;
  }

  /** The problem as `validate --json` reports one. */
  get problem(): Problem {
    const message = this.message.slice(this.message.indexOf(': ') + 2);
    return this.line === undefined ? { file: this.file, message } : { file: this.file, line: this.line, message };
  }
}

/** Where the report of a period lives, relative to the archive root. */
export function reportFilePath(periodLabel: string): string {
  return `${REPORTS_DIR}/${periodLabel}.md`;
}

/** The command that regenerates a period's report, as the begin marker names it. */
export function regenerateCommand(periodLabel: string): string {
  const option = /-Q/.test(periodLabel) ? '--quarter' : periodLabel.length === 4 ? '--year' : '--month';
  return `complaints report ${option} ${periodLabel} --write`;
}

function beginLine(periodLabel: string): string {
  return `${BLOCK_BEGIN} generated, do not edit: run "${regenerateCommand(periodLabel)}"（以下表格自动生成，请勿手工修改，修改请在标记之外撰写） -->`;
}

/** The text between the marker lines for generated Markdown: one blank line either side. */
export function generatedBlock(markdown: string): string {
  return `\n${markdown.trimEnd()}\n\n`;
}

export interface NewReportFile {
  periodLabel: string;
  generatedAt: string;
  /** The report's heading, e.g. "示例物业服务中心 2026年10月客户投诉统计分析报告". */
  title: string;
  /** The generated tables, as Markdown. */
  markdown: string;
}

/**
 * The first version of a report file: front matter as a draft, the heading, a narrative area laid
 * out as 001 §4.2.3③ asks the analysis to be (overall, key causes, individual cases, summary), then
 * the generated block.
 */
export function newReportFile(file: NewReportFile): string {
  return [
    '---',
    `period: "${file.periodLabel}"`,
    `generated_at: "${file.generatedAt}"`,
    'status: draft',
    '---',
    '',
    `# ${file.title}`,
    '',
    '<!-- 分析与说明由主管撰写，在合并请求中审核后把 status 改为 published。标记之外的文字在重新生成时保持不变。 -->',
    '',
    '## 投诉总体分析',
    '',
    '（待撰写：投诉总数、投诉率、投诉处理率及其趋势，各项目、各专业的比较。）',
    '',
    '## 投诉重点分析',
    '',
    '（待撰写：投诉较多的专业或项目的原因细项，按人、机、料、法、环分析。）',
    '',
    '## 投诉个案分析',
    '',
    '（待撰写：代表性和影响面大的投诉的要点、原因、处理过程和结果、经验教训和纠正措施。）',
    '',
    '## 投诉情况总结及建议',
    '',
    '（待撰写。）',
    '',
    beginLine(file.periodLabel),
    `${generatedBlock(file.markdown)}${BLOCK_END}`,
    '',
  ].join('\n');
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) line += 1;
  return line;
}

/** An existing report file taken apart: its front matter and where its generated block lies. */
export interface ReportFileParts {
  frontmatter: ReportFrontmatter;
  /** Offset of the first character after the begin marker's line break. */
  blockStart: number;
  /** Offset of the end marker line. */
  blockEnd: number;
  /** The text between the marker lines. */
  block: string;
  /** Where the front matter's closing `---` line starts. */
  frontmatterEnd: number;
}

/**
 * Reads an existing report file: its front matter must be valid and name `periodLabel`, and it must
 * hold exactly one begin marker line followed by exactly one end marker line. Throws
 * `ReportFileError` otherwise, naming the file and, where it can, the line.
 */
export function splitReportFile(file: string, text: string, periodLabel: string): ReportFileParts {
  let parsed;
  try {
    parsed = parseFrontmatter(text);
  } catch (cause) {
    if (!(cause instanceof FrontmatterError)) throw cause;
    throw new ReportFileError(file, `${cause.message}; the report file was not changed（报告文件头无法读取，文件未修改）`, cause.line);
  }
  const result = reportFrontmatterSchema.safeParse(parsed.data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.map(String).join('.');
    throw new ReportFileError(file, `front matter ${field}: ${issue.message}; the report file was not changed（报告文件头有误，文件未修改）`, parsed.lineOf(issue.path.filter((segment) => typeof segment !== 'symbol')));
  }
  if (result.data.period !== periodLabel)
    throw new ReportFileError(file, `the front matter says period "${result.data.period}", not "${periodLabel}"; the report file was not changed（报告期间与文件不符，文件未修改）`, parsed.lineOf(['period']));

  const begins = [...text.matchAll(BEGIN_LINE)];
  const ends = [...text.matchAll(END_LINE)];
  const markers = `one "${BLOCK_BEGIN} … -->" line and, after it, one "${BLOCK_END}" line`;
  const refuse = (what: string, offset?: number) =>
    new ReportFileError(
      file,
      `${what}: the generated block must be delimited by ${markers}; restore the markers (or move the file away to start afresh). The report file was not changed（自动生成区的标记缺失、重复或顺序错误，文件未修改）`,
      offset === undefined ? undefined : lineAt(text, offset),
    );
  if (begins.length === 0) throw refuse('the begin marker is missing');
  if (ends.length === 0) throw refuse('the end marker is missing');
  if (begins.length > 1) throw refuse('the begin marker appears more than once', begins[1]!.index);
  if (ends.length > 1) throw refuse('the end marker appears more than once', ends[1]!.index);
  const begin = begins[0]!;
  const end = ends[0]!;
  if (end.index < begin.index) throw refuse('the end marker comes before the begin marker', end.index);

  const lineBreak = text.indexOf('\n', begin.index);
  const blockStart = lineBreak + 1;
  const closings = [...text.slice(0, parsed.bodyOffset).matchAll(CLOSING_LINE)];
  // parseFrontmatter found a closed block, so its closing line is among these: the last one before the body.
  const frontmatterEnd = closings.at(-1)!.index;
  return { frontmatter: result.data, blockStart, blockEnd: end.index, block: text.slice(blockStart, end.index), frontmatterEnd };
}

/** What regenerating did to a file. */
export interface ReportUpdate {
  text: string;
  /** Whether the generated block differs from the one in the file. */
  changed: boolean;
  status: ReportStatus;
}

/**
 * A report file with its generated block replaced and `generated_at` set; every other byte (front
 * matter keys, narrative before and after the block, line endings) stays as it was. When the block is
 * unchanged the text is returned as it was, `generated_at` included, so regenerating is idempotent.
 */
export function updateReportFile(file: string, text: string, periodLabel: string, update: { generatedAt: string; markdown: string }): ReportUpdate {
  const parts = splitReportFile(file, text, periodLabel);
  const block = generatedBlock(update.markdown);
  if (parts.block === block) return { text, changed: false, status: parts.frontmatter.status };
  const body = `${text.slice(0, parts.blockStart)}${block}${text.slice(parts.blockEnd)}`;
  const frontmatter = body.slice(0, parts.frontmatterEnd);
  // The schema requires generated_at, so the front matter holds the line.
  const stamped = frontmatter.replace(GENERATED_AT_LINE, `generated_at: "${update.generatedAt}"`);
  const updated = `${stamped}${body.slice(parts.frontmatterEnd)}`;
  // generated_at written in an unusual YAML form (a block scalar, a flow mapping) is not replaced line-wise.
  if (splitReportFile(file, updated, periodLabel).frontmatter.generated_at !== update.generatedAt)
    throw new ReportFileError(file, 'generated_at is not written on one line as "generated_at: <time>", so it cannot be updated; the report file was not changed（generated_at 格式无法更新，文件未修改）');
  return { text: updated, changed: true, status: parts.frontmatter.status };
}

export interface SavedReport {
  /** Relative to the archive root. */
  path: string;
  outcome: 'created' | 'updated' | 'unchanged';
  status: ReportStatus;
}

/**
 * Creates or updates the report file of a period under `root`, atomically. An existing file that
 * cannot be updated safely raises `ReportFileError` and is left untouched.
 */
export async function saveReportFile(root: string, file: NewReportFile): Promise<SavedReport> {
  const path = reportFilePath(file.periodLabel);
  const absolute = join(root, path);
  let existing: string | undefined;
  try {
    existing = await readFile(absolute, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause;
  }
  if (existing === undefined) {
    await writeFileAtomically(absolute, newReportFile(file));
    return { path, outcome: 'created', status: 'draft' };
  }
  const update = updateReportFile(path, existing, file.periodLabel, file);
  if (!update.changed) return { path, outcome: 'unchanged', status: update.status };
  await writeFileAtomically(absolute, update.text);
  return { path, outcome: 'updated', status: update.status };
}

/** The generated block of a report file as it is on disk, or undefined when there is no such file. */
export async function readGeneratedBlock(root: string, periodLabel: string): Promise<string | undefined> {
  const path = reportFilePath(periodLabel);
  let text: string;
  try {
    text = await readFile(join(root, path), 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw cause;
  }
  return splitReportFile(path, text, periodLabel).block;
}
