import { cleanLine } from '../intake/untrusted-text.ts';

/**
 * Text from complaint files (titles, public notes, problem messages that quote a value) put into a
 * comment or an issue body the workflows write. It is data, not markup: it must not mention people
 * (`@team` would notify a whole team), link issues (`#12`), open HTML, break a table row or end a
 * hidden marker. One line; Markdown's punctuation is escaped with a backslash, so people read the
 * text as written, and `@` and `#` become their full-width forms, which GitHub does not link.
 */

const ESCAPED = /[\\`*_[\]<>|~!]/g;

/** One line of untrusted text, safe inside a Markdown paragraph, list item or table cell. */
export function markdownText(text: string): string {
  return cleanLine(text)
    .replace(ESCAPED, (character) => `\\${character}`)
    .replace(/@/g, '＠')
    .replace(/#/g, '＃');
}

/** Untrusted text (a file path) as an inline code span: literal, one line, unable to close the span. */
export function codeSpan(text: string): string {
  return `\`${cleanLine(text).replace(/`/g, "'")}\``;
}

/** `@alice @bob`: handles from org.yaml and the complaint file, which the schemas restrict to GitHub's handle characters. */
export function mentions(handles: readonly string[]): string {
  return [...new Set(handles)].map((handle) => `@${handle}`).join(' ');
}
