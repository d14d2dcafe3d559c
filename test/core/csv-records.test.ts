import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsvRecords } from '../../src/core/csv-records.ts';

describe('reading CSV records', () => {
  it.each([
    ['a header and a row with CRLF and a byte order mark', '\uFEFFa,b\r\n1,2\r\n', [{ line: 1, fields: ['a', 'b'] }, { line: 2, fields: ['1', '2'] }]],
    ['quoted fields with commas, doubled quotes and line breaks, keeping the line each record starts on', 'a,b\n"x, y","say ""hi""\nagain"\nlast,1', [
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"\nagain'] },
      { line: 4, fields: ['last', '1'] },
    ]],
    ['blank lines skipped, empty fields kept', 'a,b\n\n,\n', [{ line: 1, fields: ['a', 'b'] }, { line: 3, fields: ['', ''] }]],
  ])('reads %s', (_name, text, expected) => {
    expect(parseCsvRecords(text)).toEqual(expected);
  });

  it('names the line of a quote that is never closed', () => {
    expect(() => parseCsvRecords('a\n"open\nstill')).toThrowError(new CsvSyntaxError(2, 'a quoted field is never closed（引号未闭合）'));
  });

  it('refuses text after a closing quote', () => {
    expect(() => parseCsvRecords('"a"b,c')).toThrow(CsvSyntaxError);
  });
});
