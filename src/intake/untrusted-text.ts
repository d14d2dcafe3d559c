/**
 * Text from an issue is untrusted: anyone can type anything into a public form. Before it is read
 * or archived it is made plain, so a complaint file is always valid UTF-8 Markdown and nothing hides
 * from the personal-data scan:
 *
 * - line ends become `\n` (CRLF, lone CR, the Unicode line and paragraph separators);
 * - NUL and the other control characters except tab and newline are removed (a NUL would make the
 *   file binary, an escape sequence would drive a terminal);
 * - lone surrogate halves become U+FFFD (they cannot be written as UTF-8);
 * - invisible characters are removed: zero-width space, non-joiner, word joiner, BOM, soft hyphen,
 *   and the zero-width joiner except inside emoji sequences (👩‍💻) — "138​0013​8000" must read as the
 *   phone number it is;
 * - bidirectional controls (LRM, RLM, embeddings, overrides, isolates) are removed, so a title
 *   cannot display differently from what it says.
 *
 * Everything else — emoji, right-to-left scripts, HTML, `${{ }}`, shell metacharacters, YAML words
 * such as `yes` or `~` — is kept as typed: it is data, and the archive writes it as data.
 */

const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const INVISIBLE_CHARACTERS = /[\u200B\u200C\u2060\uFEFF\u00AD]/g;
const STRAY_JOINER = /(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/g;

/** Multi-line text (a textarea, an issue body) made plain as described above. */
export function cleanText(text: string): string {
  return text
    .toWellFormed()
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(CONTROL_CHARACTERS, '')
    .replace(INVISIBLE_CHARACTERS, '')
    .replace(STRAY_JOINER, '')
    .replace(BIDI_CONTROLS, '');
}

/** One-line text (a title, a location): cleaned, line breaks and tabs as spaces, runs of spaces as one, trimmed. */
export function cleanLine(text: string): string {
  return cleanText(text).replace(/[\n\t]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/**
 * The first `maximum` characters of a line (by code point, so an emoji is never cut in half), with
 * "…" when something was cut.
 */
export function truncateLine(text: string, maximum: number): string {
  const characters = [...text];
  return characters.length <= maximum ? text : `${characters.slice(0, maximum - 1).join('').trimEnd()}…`;
}
