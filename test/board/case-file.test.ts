import { describe, expect, it } from 'vitest';
import { CaseFileError, readCaseFile } from '../../src/board/case-file.ts';
import { closedComplaint, complaint, org } from './board-fixtures.ts';

const complaints = new Map([closedComplaint('2026-0001'), complaint('2026-0002', { category: 'general_service' })].map((data) => [data.id, data]));

const caseText = (frontmatter: string, body = '## 处理经过\n\n更换门锁触点。') =>
  `---\ntitle: 电梯频繁停运\ndate: "2026-10-28"\nsummary: 查明原因并加密保养。\ncategory: equipment\n${frontmatter}---\n\n${body}\n`;

describe('a case of the case library', () => {
  it('is read with its front matter and its body as sanitised HTML, its top headings just below the page’s h1', () => {
    const entry = readCaseFile('content/cases/lift.md', 'lift', caseText('complaints: [2026-0001]\ndemo: true\n', '## 经过\n\n<script>window.__pwned=1</script>\n\n[链接](javascript:alert(1))'), org, complaints);
    expect(entry).toMatchObject({ slug: 'lift', title: '电梯频繁停运', complaints: ['2026-0001'], demo: true });
    expect(entry.html).toMatch(/<h2[^>]*>经过<\/h2>/);
    expect(entry.html).not.toMatch(/<script|javascript:/);
    expect(entry.html).toContain('<a>链接</a>');
  });

  it('may not name a complaint that is not public', () => {
    expect(() => readCaseFile('content/cases/bill.md', 'bill', caseText('complaints: [2026-0002]\n'), org, complaints)).toThrowErrorMatchingInlineSnapshot(
      `[CaseFileError: content/cases/bill.md: names complaint 2026-0002, which is not public: a case may only name public complaints（案例不得引用非公示投诉）]`,
    );
  });

  it.each([
    ['a complaint that does not exist', 'lift', caseText('complaints: [2026-0099]\n'), /not in the archive/],
    ['an unknown category', 'lift', caseText('').replace('category: equipment', 'category: catering'), /unknown category "catering"/],
    ['a file name that is not a slug', 'Lift Repair', caseText(''), /lowercase letters/],
    ['a missing summary', 'lift', caseText('').replace(/^summary: .*\n/m, ''), /summary/],
  ])('is refused for %s', (_description, slug, text, message) => {
    expect(() => readCaseFile(`content/cases/${slug}.md`, slug, text, org, complaints)).toThrow(CaseFileError);
    expect(() => readCaseFile(`content/cases/${slug}.md`, slug, text, org, complaints)).toThrow(message);
  });
});
