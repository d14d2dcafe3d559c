import { parseIssue, parseTemplate } from '@github/issue-parser';
import { FIELD_IDS, formLabels, type FieldId, type FormKind } from './form-fields.ts';
import { cleanText } from './untrusted-text.ts';

/**
 * Reads a submitted issue form with @github/issue-parser against the form's template. The parser
 * splits the body at every `###`, wherever it stands, so a complainant who types `###` (or a
 * Markdown heading) inside a text box would cut their own text short. Before parsing, every `#`
 * outside the form's own heading lines is escaped with private-use characters, and the answers are
 * unescaped afterwards: the text comes back exactly as typed (after `cleanText`). Headings of the
 * form that occur more than once are reported, since the parser would keep only the last.
 *
 * A dropdown or a one-line input answers in one line. Text after that line — an extra section the
 * complainant added below the last field, which the parser folds into it — is not part of the answer;
 * it is returned as `trailing`, so the caller can keep it with the complaint's text.
 */

/** Escape character: `ESCAPE + '0'` stands for itself, `ESCAPE + '1'` for `#`. */
const ESCAPE = '\uE000';

const FIELD_ID_SET: ReadonlySet<string> = new Set(FIELD_IDS);

function escapeLine(line: string): string {
  return line.replaceAll(ESCAPE, `${ESCAPE}0`).replaceAll('#', `${ESCAPE}1`);
}

function unescapeText(text: string): string {
  return text.replace(/\uE000([01])/g, (_match, code: string) => (code === '0' ? ESCAPE : '#'));
}

/** A line the parser takes as a heading: `### label`. */
const HEADING_LINE = /^### *(.*?)\s*$/;

export interface FormAnswers {
  /** Each answered field's text (inputs, text areas) or chosen options (dropdowns). */
  values: Partial<Record<FieldId, string | string[]>>;
  /** Whether any of the form's headings occurs in the body at all. */
  recognised: boolean;
  /** Headings of the form that occur more than once, with their count. */
  repeatedHeadings: { label: string; count: number }[];
  /** Text found after the one line of a dropdown or input answer. */
  trailing: string[];
}

/** The answers of an issue body written with a form of `kind`, whose template text is `template`. */
export function readIssueForm(body: string, kind: FormKind, template: string): FormAnswers {
  const labels = new Map(Object.entries(formLabels(kind)).map(([id, label]) => [label, id as FieldId]));
  const headingCounts = new Map<string, number>();
  const escaped = cleanText(body)
    .split('\n')
    .map((line) => {
      const heading = HEADING_LINE.exec(line)?.[1];
      if (heading !== undefined && labels.has(heading)) {
        headingCounts.set(heading, (headingCounts.get(heading) ?? 0) + 1);
        return line;
      }
      return escapeLine(line);
    })
    .join('\n');
  const parsed = parseIssue(escaped, template);
  const fields = parseTemplate(template);
  const values: FormAnswers['values'] = {};
  const trailing: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (!FIELD_ID_SET.has(key)) continue;
    const type = fields[key]?.type;
    if (type === 'dropdown' || type === 'input') {
      const [first = '', ...rest] = unescapeText(Array.isArray(value) ? value.join(', ') : typeof value === 'string' ? value : '').split('\n');
      if (rest.join('\n').trim() !== '') trailing.push(rest.join('\n').trim());
      values[key as FieldId] = type === 'dropdown' ? (first.trim() === '' ? [] : first.split(/, */)) : first;
    } else if (typeof value === 'string') values[key as FieldId] = unescapeText(value);
    else if (Array.isArray(value)) values[key as FieldId] = value.map(unescapeText);
  }
  return {
    values,
    recognised: headingCounts.size > 0,
    repeatedHeadings: [...headingCounts].filter(([, count]) => count > 1).map(([label, count]) => ({ label, count })),
    trailing,
  };
}
