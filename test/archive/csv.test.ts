import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvField, objectsToCsv, toCsv } from '../../src/archive/csv.ts';
import { parseCsv } from './parse-csv.ts';

describe('CSV for spreadsheets', () => {
  it.each([
    ['plain text', '楼顶渗水', '楼顶渗水'],
    ['a comma', '渗水,发霉', '"渗水,发霉"'],
    ['a quote', '他说"马上修"', '"他说""马上修"""'],
    ['a line break', '第一行\n第二行', '"第一行\n第二行"'],
    ['a carriage return', '第一行\r第二行', '"第一行\r第二行"'],
    ['a formula', '=HYPERLINK("http://x","点此")', `"'=HYPERLINK(""http://x"",""点此"")"`],
    ['a plus sign', '+86 电梯', "'+86 电梯"],
    ['a minus sign', '-1+1', "'-1+1"],
    ['an at sign', '@SUM(A1)', "'@SUM(A1)"],
    ['a leading tab', '\t=1', "'\t=1"],
    ['a leading carriage return', '\r=1', `"'\r=1"`],
  ])('writes text with %s as %s', (_case, value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes numbers and yes/no as they are and nothing as an empty field', () => {
    expect([csvField(0.75), csvField(-3), csvField(true), csvField(null), csvField(undefined)]).toEqual(['0.75', '-3', 'true', '', '']);
  });

  it('starts with a byte order mark and ends every record with CRLF', () => {
    expect(toCsv(['id', 'title'], [['2026-0001', '楼顶渗水']])).toBe('\uFEFFid,title\r\n2026-0001,楼顶渗水\r\n');
  });

  it('takes rows as objects, in the order of the columns, a missing key being an empty field', () => {
    expect(objectsToCsv(['id', 'title', 'closed'], [{ title: '渗水', id: '2026-0002' }])).toBe('\uFEFFid,title,closed\r\n2026-0002,渗水,\r\n');
  });

  it('reads back as the text written, a formula with its leading apostrophe, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: fc.constantFrom('a', '中', ',', '"', '\n', '\r', ' ', '=', '-') }), { minLength: 1, maxLength: 4 }), { maxLength: 5 }), (rows) => {
        const width = Math.max(1, ...rows.map((row) => row.length));
        const headers = Array.from({ length: width }, (_, index) => `c${index}`);
        const padded = rows.map((row) => [...row, ...Array<string>(width - row.length).fill('')]);
        const read = parseCsv(toCsv(headers, padded));
        const expected = padded.map((row) => row.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)));
        expect(read).toEqual([headers, ...expected]);
      }),
      { numRuns: 300 },
    );
  });
});
