import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BLOCK_END, newReportFile, ReportFileError, splitReportFile, updateReportFile } from '../../src/archive/report-file.ts';

const FILE = 'content/reports/2026-10.md';
const FIRST = { periodLabel: '2026-10', generatedAt: '2026-11-01T09:00:00+08:00', title: '测试物业服务中心 2026年10月客户投诉统计分析报告', markdown: '## 一、表\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n' };
const SECOND = { generatedAt: '2026-11-23T10:00:00+08:00', markdown: '## 一、表\n\n| a | b |\n| --- | --- |\n| 3 | 4 |\n' };

/** The file as a supervisor leaves it: a reviewer key in the front matter, narrative before and after the block. */
function editedByHand(text: string, before: string, after: string): string {
  return text
    .replace('status: draft\n', 'status: published\nreviewed_by: carol   # 审核人\n')
    .replace('（待撰写。）', before)
    .replace(`${BLOCK_END}\n`, `${BLOCK_END}\n${after}`);
}

function refusal(text: string): string {
  try {
    splitReportFile(FILE, text, '2026-10');
  } catch (cause) {
    if (cause instanceof ReportFileError) return cause.message;
    throw cause;
  }
  throw new Error('the file was accepted');
}

describe('report files', () => {
  it('writes a new report as a draft with the narrative area and the generated block between markers', () => {
    const text = newReportFile(FIRST);
    expect(text.startsWith('---\nperiod: "2026-10"\ngenerated_at: "2026-11-01T09:00:00+08:00"\nstatus: draft\n---\n\n# 测试物业服务中心 2026年10月客户投诉统计分析报告\n')).toBe(true);
    const parts = splitReportFile(FILE, text, '2026-10');
    expect(parts.frontmatter).toEqual({ period: '2026-10', generated_at: '2026-11-01T09:00:00+08:00', status: 'draft' });
    expect(parts.block).toBe(`\n${FIRST.markdown}\n`);
    expect(text).toContain('<!-- complaints:report:begin generated, do not edit: run "complaints report --month 2026-10 --write"');
    expect(text.endsWith(`${BLOCK_END}\n`)).toBe(true);
  });

  it('replaces only the generated block and generated_at, keeping the narrative, the status and added keys byte for byte', () => {
    const before = '本月电梯投诉集中，**重点**分析如下：\n\n1. 维保不到位\n';
    const after = '\n## 附：主管意见\n\n同意发布。\n';
    const edited = editedByHand(newReportFile(FIRST), before, after);
    const update = updateReportFile(FILE, edited, '2026-10', SECOND);
    expect(update).toMatchObject({ changed: true, status: 'published' });
    const blockStart = edited.indexOf('\n', edited.indexOf('<!-- complaints:report:begin')) + 1;
    const blockEnd = edited.indexOf(BLOCK_END);
    const expected = `${edited.slice(0, blockStart)}\n${SECOND.markdown}\n${edited.slice(blockEnd)}`.replace(
      'generated_at: "2026-11-01T09:00:00+08:00"',
      'generated_at: "2026-11-23T10:00:00+08:00"',
    );
    expect(update.text).toBe(expected);
    expect(update.text).toContain('reviewed_by: carol   # 审核人\n');
    expect(update.text).toContain(before);
    expect(update.text.endsWith(`${BLOCK_END}\n${after}`)).toBe(true);
  });

  it('leaves a file whose tables have not changed exactly as it is, generated_at included', () => {
    const text = editedByHand(newReportFile(FIRST), '分析。', '');
    const update = updateReportFile(FILE, text, '2026-10', { generatedAt: '2026-12-01T09:00:00+08:00', markdown: FIRST.markdown });
    expect(update).toEqual({ text, changed: false, status: 'published' });
  });

  it('refuses front matter without generated_at', () => {
    const text = newReportFile(FIRST).replace('generated_at: "2026-11-01T09:00:00+08:00"\n', '');
    expect(refusal(text)).toMatch(/^content\/reports\/2026-10\.md:\d+: front matter generated_at: /);
  });

  it('keeps line endings a supervisor saved as CRLF outside the block', () => {
    const text = newReportFile(FIRST).replace('（待撰写。）', '第一行\r\n第二行\r\n');
    const update = updateReportFile(FILE, text, '2026-10', SECOND);
    expect(update.text).toContain('第一行\r\n第二行\r\n');
  });

  it('keeps any narrative around the block byte for byte, whatever it says', () => {
    const narrative = fc.string({ unit: fc.constantFrom('a', '中', ' ', '\n', '\r\n', '|', '<', '-', '#', '`', '文', '\t') }).filter((text) => !/^<!-- complaints:report:/m.test(text));
    fc.assert(
      fc.property(narrative, narrative, (before, after) => {
        const edited = editedByHand(newReportFile(FIRST), before, after);
        const update = updateReportFile(FILE, edited, '2026-10', SECOND);
        const head = edited.slice(0, edited.indexOf('<!-- complaints:report:begin')).replace('2026-11-01T09:00:00+08:00', '2026-11-23T10:00:00+08:00');
        expect(update.text.startsWith(head)).toBe(true);
        expect(update.text.endsWith(`${BLOCK_END}\n${after}`)).toBe(true);
        expect(splitReportFile(FILE, update.text, '2026-10').block).toBe(`\n${SECOND.markdown}\n`);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a file whose markers are missing, duplicated or out of order, saying which', () => {
    const text = newReportFile(FIRST);
    const begin = text.slice(text.indexOf('<!-- complaints:report:begin'), text.indexOf('\n', text.indexOf('<!-- complaints:report:begin')) + 1);
    expect(refusal(text.replace(begin, ''))).toMatchInlineSnapshot(
      `"content/reports/2026-10.md: the begin marker is missing: the generated block must be delimited by one "<!-- complaints:report:begin … -->" line and, after it, one "<!-- complaints:report:end -->" line; restore the markers (or move the file away to start afresh). The report file was not changed（自动生成区的标记缺失、重复或顺序错误，文件未修改）"`,
    );
    expect(refusal(text.replace(`${BLOCK_END}\n`, ''))).toMatch(/^content\/reports\/2026-10\.md: the end marker is missing: /);
    expect(refusal(`${text}\n${begin}`)).toMatch(/^content\/reports\/2026-10\.md:\d+: the begin marker appears more than once: /);
    expect(refusal(`${text}\n${BLOCK_END}\n`)).toMatch(/^content\/reports\/2026-10\.md:\d+: the end marker appears more than once: /);
    const swapped = text.replace(begin, `${BLOCK_END}\n`).replace(new RegExp(`${BLOCK_END}\n$`), begin);
    expect(refusal(swapped)).toMatch(/^content\/reports\/2026-10\.md:\d+: the end marker comes before the begin marker: /);
  });

  it('refuses a file whose front matter names another period or an unknown status', () => {
    const text = newReportFile(FIRST);
    expect(refusal(text.replace('period: "2026-10"', 'period: "2026-09"'))).toMatchInlineSnapshot(
      `"content/reports/2026-10.md:2: the front matter says period "2026-09", not "2026-10"; the report file was not changed（报告期间与文件不符，文件未修改）"`,
    );
    expect(refusal(text.replace('status: draft', 'status: final'))).toMatch(/^content\/reports\/2026-10\.md:4: front matter status: /);
    expect(refusal(text.replace(/^---\n/, ''))).toMatch(/^content\/reports\/2026-10\.md:1: /);
  });
});
