/**
 * A strict RFC 4180 reader for tests: the byte order mark is required, records end with CRLF, a
 * quoted field may hold commas, quotes (doubled) and line breaks. Throws on anything else, so a test
 * that reads our CSV back also checks that it is well formed.
 */
export function parseCsv(text: string): string[][] {
  if (!text.startsWith('\uFEFF')) throw new Error('no byte order mark');
  const records: string[][] = [];
  let record: string[] = [];
  let index = 1;
  while (index < text.length) {
    let field = '';
    if (text[index] === '"') {
      index += 1;
      for (;;) {
        if (index >= text.length) throw new Error('unclosed quote');
        if (text[index] === '"') {
          if (text[index + 1] === '"') {
            field += '"';
            index += 2;
            continue;
          }
          index += 1;
          break;
        }
        field += text[index];
        index += 1;
      }
    } else {
      while (index < text.length && text[index] !== ',' && text[index] !== '\r' && text[index] !== '\n') {
        if (text[index] === '"') throw new Error(`a quote inside an unquoted field at ${index}`);
        field += text[index];
        index += 1;
      }
    }
    record.push(field);
    if (text[index] === ',') {
      index += 1;
      continue;
    }
    if (text.startsWith('\r\n', index)) {
      records.push(record);
      record = [];
      index += 2;
      continue;
    }
    throw new Error(`expected a comma or CRLF at ${index}, found ${JSON.stringify(text[index])}`);
  }
  if (record.length > 0) throw new Error('the last record does not end with CRLF');
  return records;
}
