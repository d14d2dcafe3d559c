/**
 * Finds personal data in text that must never be stored in plaintext: mainland mobile numbers and
 * 18-digit resident ID numbers with a valid check digit (GB 11643). Used by validate, intake and the
 * board's build gate.
 *
 * What counts, decided once for every caller:
 * - A mobile number is 11 digits starting 13–19, optionally after +86/86, optionally grouped 3-4-4
 *   with spaces or dashes, and not part of a longer run of digits (order numbers, bank references).
 * - Full-width digits (１３８…), the full-width plus and dash and the ideographic space count as their
 *   ASCII forms: residents type them on Chinese keyboards.
 * - An 11-digit number in mobile form is flagged even when followed by 元: an amount of tens of
 *   billions of yuan does not occur in a complaint, while a number next to a price does. A false
 *   positive costs a handler a rewrite; a false negative publishes someone's phone number.
 * - A resident ID number is 18 characters (17 digits and a digit or X) with a plausible birth date and
 *   a valid check digit; an 18-digit run with a wrong check digit is an order or account number.
 * - Dates such as 20261123, room numbers such as 3-1302 and landline numbers are not flagged.
 */

export type PersonalDataKind = 'mobile' | 'id_card';

export interface PersonalDataFinding {
  kind: PersonalDataKind;
  /** Offset in the text. */
  index: number;
  /** Length of the match in the text. */
  length: number;
  /** The match with its middle masked, safe to print in a log. */
  masked: string;
}

export const PERSONAL_DATA_LABELS: Record<PersonalDataKind, string> = {
  mobile: '手机号码',
  id_card: '身份证号码',
};

// Mainland mobile numbers: 11 digits starting 13–19, not part of a longer digit run.
const MOBILE = /(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![0-9])/g;
// 18-digit resident ID: 6-digit area, birth date 19xx/20xx, sequence, check digit.
const ID_CARD = /(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_DIGITS = '10X98765432';

/** Whether an 18-character resident ID number has the right check digit. */
export function isValidResidentId(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const sum = ID_WEIGHTS.reduce((total, weight, index) => total + weight * Number(id[index]), 0);
  return ID_CHECK_DIGITS[sum % 11] === id[17]!.toUpperCase();
}

function mask(value: string): string {
  if (value.length <= 4) return '*'.repeat(value.length);
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 5)}${value.slice(-2)}`;
}

/** Full-width digits, plus, dash, X and the ideographic space as ASCII; one UTF-16 unit each, so offsets stay. */
function toHalfWidth(text: string): string {
  return text.replace(/[\uFF10-\uFF19\uFF0B\uFF0D\uFF38\uFF58\u3000]/g, (character) =>
    character === '\u3000' ? ' ' : String.fromCharCode(character.charCodeAt(0) - 0xfee0),
  );
}

/** Every piece of personal data in `text`, in order of appearance. */
export function findPersonalData(text: string): PersonalDataFinding[] {
  const normalised = toHalfWidth(text);
  const findings: PersonalDataFinding[] = [];
  for (const match of normalised.matchAll(MOBILE)) {
    findings.push({ kind: 'mobile', index: match.index, length: match[0].length, masked: mask(match[0]) });
  }
  for (const match of normalised.matchAll(ID_CARD)) {
    if (isValidResidentId(match[0])) findings.push({ kind: 'id_card', index: match.index, length: match[0].length, masked: mask(match[0]) });
  }
  return findings.sort((a, b) => a.index - b.index);
}
