/**
 * CSV as spreadsheet programs read it (RFC 4180): UTF-8 with a byte order mark so that Excel opens
 * Chinese text correctly, CRLF line endings, fields quoted when they hold a comma, a quote or a line
 * break, and text that a spreadsheet would run as a formula neutralised. Complaint titles are typed by
 * the public, so a title such as `=HYPERLINK(...)` must stay text.
 */

/** A cell value: text, a number, a yes/no, or nothing (an empty cell). */
export type CsvValue = string | number | boolean | null | undefined;

/** Excel reads a UTF-8 file as the local code page unless it starts with this mark. */
export const CSV_BYTE_ORDER_MARK = '\uFEFF';

/** RFC 4180 §2.1: records end with CRLF. */
const CSV_LINE_END = '\r\n';

/**
 * Characters with which a spreadsheet starts a formula (`=`, `+`, `-`, `@`), and tab and carriage
 * return, which some programs strip before looking: a leading apostrophe makes the cell plain text
 * (OWASP "CSV injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 §2.6: a field holding a quote, comma or line break is enclosed in double quotes. */
const NEEDS_QUOTES = /[",\r\n]/;

/** Text a spreadsheet will show as typed, never evaluate. Numbers and yes/no values are left alone. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** One field of a record: neutralised, then quoted with inner quotes doubled when needed. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? neutraliseFormula(value) : String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole CSV document: the byte order mark, a header record, then one record per row, CRLF after each. */
export function toCsv(headers: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const records = [headers, ...rows].map((row) => row.map(csvField).join(','));
  return `${CSV_BYTE_ORDER_MARK}${records.map((record) => `${record}${CSV_LINE_END}`).join('')}`;
}

/** Rows given as objects: the columns are `columns`, in that order; a missing key is an empty cell. */
export function objectsToCsv<K extends string>(columns: readonly K[], rows: readonly Partial<Record<K, CsvValue>>[]): string {
  return toCsv(
    columns,
    rows.map((row) => columns.map((column) => row[column])),
  );
}
