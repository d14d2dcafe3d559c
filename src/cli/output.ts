import type { Problem } from '../core/problems.ts';
import type { CommandContext } from './command.ts';

/** `file:line: message`, the form editors and CI annotate. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.message}`;
}

/** Progress on stderr for long runs: at most every 1,000 files and at the end, never into --json output. */
export function progressPrinter(context: CommandContext, label: string): (done: number, total: number) => void {
  const PROGRESS_EVERY = 1000;
  return (done, total) => {
    if (total >= PROGRESS_EVERY && (done % PROGRESS_EVERY === 0 || done === total)) context.stderr(`${label} ${done}/${total}\n`);
  };
}

/** Pads a string to a display width, counting CJK characters as two columns. */
export function padDisplay(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(character) ? 2 : 1;
  return width;
}

/** A plain text table with CJK-aware column widths. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) => Math.max(displayWidth(header), ...rows.map((row) => displayWidth(row[column] ?? ''))));
  const line = (cells: string[]) => cells.map((cell, column) => padDisplay(cell, widths[column] ?? 0)).join('  ').trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

const CLOSING_PUNCTUATION = /^[，。、；：！？）》」』】,.;:!?)\]]$/u;

/** Breaks text into lines of at most `width` display columns (CJK counts two), character by character. */
export function wrapDisplay(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  for (const character of text) {
    const characterWidth = displayWidth(character);
    // Closing punctuation never starts a line (禁则): it may run one character past the width.
    if (lineWidth + characterWidth > width && line !== '' && !CLOSING_PUNCTUATION.test(character)) {
      lines.push(line);
      line = '';
      lineWidth = 0;
      // A space at a break is the break: the next line does not start with it.
      if (character === ' ') continue;
    }
    line += character;
    lineWidth += characterWidth;
  }
  return [...lines, line];
}

/**
 * A `table` whose cells wrap: `maxWidths[column]` caps a column's width (undefined: no cap). When
 * any row takes more than one line, rows are separated by a blank line so they can be told apart.
 */
export function wrappedTable(headers: string[], rows: string[][], maxWidths: readonly (number | undefined)[]): string {
  const wrapped = rows.map((row) => row.map((cell, column) => (maxWidths[column] === undefined ? [cell] : wrapDisplay(cell, maxWidths[column]!))));
  const heights = wrapped.map((cells) => Math.max(1, ...cells.map((lines) => lines.length)));
  const spaced = heights.some((height) => height > 1);
  const lines: string[][] = [];
  wrapped.forEach((cells, index) => {
    if (spaced && index > 0) lines.push(headers.map(() => ''));
    for (let line = 0; line < heights[index]!; line += 1) lines.push(cells.map((cellLines) => cellLines[line] ?? ''));
  });
  return table(headers, lines);
}
