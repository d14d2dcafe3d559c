/**
 * The complaint text of a complaint file's body (SPEC §3: "the complaint text, then handler
 * sections"): everything before the first level-2 heading. Handler sections (## 调查核实 …) are staff
 * working notes and are never published; the complaint text is untrusted and is shown as escaped
 * plain text, paragraph by paragraph, never as Markdown or HTML.
 */

/** A handler section starts with a level-2 ATX heading at the start of a line. */
const HANDLER_SECTION = /^##(?!#)[ \t]/m;

/** The complaint text alone: the body up to the first handler section, trimmed. */
export function complaintTextOf(body: string): string {
  const match = HANDLER_SECTION.exec(body);
  return (match ? body.slice(0, match.index) : body).trim();
}

/** The text as paragraphs (split at blank lines), each trimmed; line breaks inside a paragraph are kept. */
export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);
}
