import { describe, expect, it } from 'vitest';
import { renderSanitisedMarkdown } from '../../src/board/markdown.ts';
import { narrativeMarkdown, readReportNarrative } from '../../src/board/report-narrative.ts';
import { newReportFile } from '../../src/archive/report-file.ts';

describe('staff Markdown rendered for the board', () => {
  it.each([
    ['a script element', '段落 <script>window.__pwned=1</script> 结束', /<script/i],
    ['an event handler', '<img src=x onerror="window.__pwned=1"> 图', /onerror/i],
    ['a javascript: link in Markdown', '[点这里](javascript:alert(1))', /javascript:/i],
    ['a javascript: link in HTML', '<a href="javascript:alert(1)">这里</a>', /javascript:/i],
    ['an iframe', '<iframe src="https://example.com"></iframe>', /<iframe/i],
    ['a style element', '<style>body{display:none}</style>文字', /<style/i],
    ['an image (remote files stay off the page)', '![图](https://example.com/a.png)', /<img/i],
  ])('removes %s', (_description, markdown, forbidden) => {
    expect(renderSanitisedMarkdown(markdown)).not.toMatch(forbidden);
  });

  it('keeps the structure staff write: headings, lists, emphasis, tables and http links', () => {
    const html = renderSanitisedMarkdown('## 原因\n\n- **机**：门锁触点磨损\n\n| 月份 | 件数 |\n| --- | --- |\n| 10月 | 11 |\n\n[规定](https://example.com/rules)');
    expect(html).toContain('<h2');
    expect(html).toContain('<strong>机</strong>');
    expect(html).toContain('<td>11</td>');
    expect(html).toContain('<a href="https://example.com/rules">规定</a>');
  });

  it('moves headings to the level the page needs, keeping their order, and can drop a leading title', () => {
    const html = renderSanitisedMarkdown('# 报告标题\n\n## 总体分析\n\n#### 细项\n\n正文', { topHeadingLevel: 3, dropLeadingTitle: true });
    expect(html).not.toContain('报告标题');
    expect(html).not.toMatch(/<h[12]/);
    expect(html).toMatch(/<h3[^>]*>总体分析<\/h3>/);
    expect(html).toMatch(/<h5[^>]*>细项<\/h5>/);
    expect(renderSanitisedMarkdown('# 标题\n\n## 经过', { topHeadingLevel: 2 })).toMatch(/^<h2>标题<\/h2>\s*<h3>经过<\/h3>$/);
  });
});

describe('the narrative of a report file', () => {
  const file = (status: 'draft' | 'published', narrative: string) =>
    newReportFile({ periodLabel: '2026-10', generatedAt: '2026-11-01T09:00:00+08:00', title: '示例 2026年10月客户投诉统计分析报告', markdown: '| 生成的表格 | 私密标题 |\n| --- | --- |' })
      .replace('status: draft', `status: ${status}`)
      .replace('（待撰写。）', narrative);

  it('is the text outside the generated block, without HTML comments', () => {
    const markdown = narrativeMarkdown('content/reports/2026-10.md', `${file('published', '本月电梯故障较多。')}\n附：说明在表格之后。\n`, '2026-10');
    expect(markdown).toContain('本月电梯故障较多。');
    expect(markdown).toContain('附：说明在表格之后。');
    expect(markdown).not.toContain('生成的表格');
    expect(markdown).not.toContain('<!--');
  });

  it('is rendered, sanitised, only once the report is published', () => {
    const payload = '本月小结 <script>window.__pwned=1</script> [x](javascript:alert(1))';
    expect(readReportNarrative('content/reports/2026-10.md', file('draft', payload), '2026-10')).toEqual({ label: '2026-10', status: 'draft', generatedAt: '2026-11-01T09:00:00+08:00' });
    const published = readReportNarrative('content/reports/2026-10.md', file('published', payload), '2026-10');
    expect(published.status).toBe('published');
    expect(published.narrativeHtml).toContain('本月小结');
    expect(published.narrativeHtml).not.toMatch(/<script|javascript:|<h1|私密标题/);
  });
});
