/**
 * The Markdown body intake writes into a complaint file: the complainant's account as typed, then
 * what they want done and whether they want a follow-up visit, each under its own heading, so
 * handlers find them and later sections (investigation, reply) follow naturally.
 */

export const BODY_SECTIONS = {
  request: '投诉人诉求',
  visit: '回访意愿',
} as const;

export interface BodyParts {
  /** What happened, as the complainant wrote it (cleaned and redacted). */
  description: string;
  /** What they want done, if they said. */
  request?: string;
  /** The visit option they chose, as its text. */
  visit?: string;
}

/** The body of a complaint file from its parts; ends with a newline. */
export function complaintBody(parts: BodyParts): string {
  const sections = [parts.description.trim()];
  if (parts.request?.trim()) sections.push(`## ${BODY_SECTIONS.request}\n\n${parts.request.trim()}`);
  if (parts.visit?.trim()) sections.push(`## ${BODY_SECTIONS.visit}\n\n${parts.visit.trim()}`);
  return `${sections.join('\n\n')}\n`;
}

const SECTION_HEADINGS = new Set(Object.values(BODY_SECTIONS).map((title) => `## ${title}`));

/** The complainant's account alone: a body up to the first of intake's section headings. */
export function accountOf(body: string): string {
  const lines = body.split('\n');
  const end = lines.findIndex((line) => SECTION_HEADINGS.has(line.trim()));
  return (end === -1 ? lines : lines.slice(0, end)).join('\n').trim();
}
