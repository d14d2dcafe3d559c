/**
 * Reads CSV as spreadsheet programs write it (RFC 4180, leniently): an optional byte order mark,
 * CRLF or LF line ends, fields in double quotes that may hold commas, doubled quotes and line
 * breaks. Every record keeps the file line it starts on, so problems can name it. Blank lines are
 * skipped. Pure: text in, records out.
 */

export interface CsvRecord {
  /** The 1-based file line the record starts on. */
  line: number;
  fields: string[];
}

/** Raised for text that is not CSV (an unclosed quote, text after a closing quote). */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

/** Every non-blank record of a CSV text, with the line it starts on. */
export function parseCsvRecords(text: string): CsvRecord[] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let index = 0;
  while (index <= source.length) {
    const startLine = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (source[index] === '"') {
        const quoteLine = line;
        index += 1;
        for (;;) {
          if (index >= source.length) throw new CsvSyntaxError(quoteLine, 'a quoted field is never closed（引号未闭合）');
          const character = source[index]!;
          if (character === '"') {
            if (source[index + 1] === '"') {
              field += '"';
              index += 2;
              continue;
            }
            index += 1;
            break;
          }
          if (character === '\n') line += 1;
          field += character;
          index += 1;
        }
        if (index < source.length && source[index] !== ',' && source[index] !== '\n' && source[index] !== '\r')
          throw new CsvSyntaxError(line, 'text after a closing quote; a quote inside a field is written as two quotes（引号后有多余内容）');
      } else {
        while (index < source.length && source[index] !== ',' && source[index] !== '\n' && source[index] !== '\r') {
          field += source[index];
          index += 1;
        }
      }
      fields.push(field);
      if (source[index] === ',') {
        index += 1;
        continue;
      }
      break;
    }
    if (source[index] === '\r') index += 1;
    if (source[index] === '\n') index += 1;
    line += 1;
    if (!(fields.length === 1 && fields[0]!.trim() === '')) records.push({ line: startLine, fields });
    if (index >= source.length) break;
  }
  return records;
}
