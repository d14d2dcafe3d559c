import { findPersonalData, PERSONAL_DATA_LABELS, type PersonalDataKind } from '../core/pii.ts';

/**
 * Personal data typed into a public issue (issue 5 items 2 and 11): it is replaced in the text that
 * is archived, the complainant is told which kind was found (never the value), and the raw text is
 * kept encrypted in the contact envelope's `original`, so nothing is lost. What counts as personal
 * data is decided once, in src/core/pii.ts; this module only replaces what it finds.
 */

/** What replaces a finding in archived text, e.g. `〔已隐去手机号码〕`. */
export function redactionMark(kind: PersonalDataKind): string {
  return `〔已隐去${PERSONAL_DATA_LABELS[kind]}〕`;
}

export interface Redacted {
  text: string;
  /** The kinds found, one entry per finding, in order of appearance. */
  kinds: PersonalDataKind[];
}

/** `text` with every finding of `findPersonalData` replaced by its mark. */
export function redactPersonalData(text: string): Redacted {
  const kinds: PersonalDataKind[] = [];
  let result = '';
  let from = 0;
  for (const finding of findPersonalData(text)) {
    if (finding.index < from) continue; // overlapping findings: the first one already covers it
    result += text.slice(from, finding.index) + redactionMark(finding.kind);
    from = finding.index + finding.length;
    kinds.push(finding.kind);
  }
  return { text: result + text.slice(from), kinds };
}

/** The kinds found, each once, as zh-CN words for a message: `手机号码、身份证号码`. */
export function describeKinds(kinds: readonly PersonalDataKind[]): string {
  return [...new Set(kinds)].map((kind) => PERSONAL_DATA_LABELS[kind]).join('、');
}
