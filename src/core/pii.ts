/**
 * Finds personal data in text that must never be stored or published in plaintext: mainland mobile
 * and landline numbers, 18-digit resident ID numbers with a valid check digit (GB 11643), e-mail
 * addresses, bank card numbers that pass the Luhn check, and — when the caller holds the decrypted
 * contact of the same complaint — the complainant's name. Shared by validate, intake, import and the
 * board's build gate, so every caller decides the same way.
 *
 * What counts, decided once for every caller:
 * - Full-width forms (１３８…, ＠, （ ）, －) and the ideographic space count as their ASCII forms:
 *   residents type them on Chinese keyboards. Offsets and lengths always refer to the original text.
 * - A mobile number is 11 digits starting 13–19, optionally after +86/86, optionally grouped 3-4-4
 *   with spaces or dashes, and not part of a longer run of digits (order numbers, bank references).
 *   It is flagged even when followed by 元: an amount of tens of billions of yuan does not occur in a
 *   complaint, while a number next to a price does. A false positive costs a handler a rewrite; a
 *   false negative publishes someone's phone number.
 * - A landline number (固定电话) is flagged in three forms:
 *   1. with an area code and a separator: `010-12345678`, `0571-8888 8888`, `(010)12345678`,
 *      `（0571）88888888`, `+86 10 12345678`, optionally followed by an extension (`-801`, `转801`);
 *   2. with an area code and no separator (`057188888888`), only right after a phone word (电话,
 *      座机, 固话, 致电, 拨打, 回电, tel, phone): without one, a 12-digit invoice code such as
 *      044031900111 reads the same;
 *   3. without an area code (`8888 8888`, `2345678`), only right after a phone word: a bare eight-digit
 *      number is far more often a date (20261123), an invoice number or an amount.
 *   An area code is 010, 02X, or 0 followed by three digits from 3–9 (the mainland plan); a local
 *   number has 7 or 8 digits and starts 2–9. A number labelled as the organisation's own published
 *   line (服务热线, 物业电话, 客服电话, 值班电话, 报修, 投诉电话, 管理处, 前台, 总机, 传真 …)
 *   is not personal data and is not flagged; a mobile number is flagged whatever its label.
 * - A resident ID number is 18 characters (17 digits and a digit or X) with a plausible birth date and
 *   a valid check digit; an 18-digit run with a wrong check digit is an order or account number.
 * - An e-mail address is local@domain.tld with a letter TLD; `icon@2x.png` and other file names
 *   (a TLD that is a common file extension) are not addresses.
 * - A bank card number is 16–19 digits (optionally grouped by four with spaces or dashes), starting 3,
 *   4, 5, 6 or 9 (the issuer ranges of card schemes: 62 UnionPay, 4 Visa, 5 Mastercard, 35 JCB, 9
 *   domestic cards), passing the Luhn check, not part of a longer run of digits or letters, and not
 *   labelled as an order, waybill, invoice, transaction or ticket number just before it (订单号,
 *   运单号, 快递单号, 发票号码, 流水号, 交易号, 工单号 …). Random 16–19 digit numbers pass Luhn one time
 *   in ten; the issuer range and the labels keep order numbers out. 15-digit American Express numbers
 *   are not looked for: they collide with too many reference numbers.
 * - A name is found only when the caller passes the names from the decrypted contact of the same
 *   complaint (`findPersonalData(text, { names })`): a name has no shape of its own. Names shorter than
 *   two characters are ignored (a surname alone would match half the text); spaces or zero-width
 *   characters between the characters of a name do not hide it; Latin names match in any letter case
 *   and only as whole words.
 * - Dates such as 20261123 or 2026-11-23, room numbers such as 3-1302, amounts, complaint ids
 *   (2026-0164), order and express numbers are not flagged.
 */

export const PERSONAL_DATA_KINDS = ['mobile', 'landline', 'id_card', 'bank_card', 'email', 'name'] as const;
export type PersonalDataKind = (typeof PERSONAL_DATA_KINDS)[number];

export interface PersonalDataFinding {
  kind: PersonalDataKind;
  /** Offset in the text. */
  index: number;
  /** Length of the match in the text. */
  length: number;
  /** The match with its middle masked, safe to print in a log. */
  masked: string;
}

/** zh-CN names of the kinds, for people. */
export const PERSONAL_DATA_LABELS: Record<PersonalDataKind, string> = {
  mobile: '手机号码',
  landline: '固定电话号码',
  id_card: '身份证号码',
  bank_card: '银行卡号',
  email: '电子邮箱',
  name: '投诉人姓名',
};

/** English names of the kinds, for logs. */
export const PERSONAL_DATA_NAMES: Record<PersonalDataKind, string> = {
  mobile: 'mobile number',
  landline: 'landline number',
  id_card: 'resident ID number',
  bank_card: 'bank card number',
  email: 'e-mail address',
  name: "complainant's name",
};

/** What the caller knows beyond the text: the names in the decrypted contact of the same complaint. */
export interface PersonalDataOptions {
  names?: readonly string[];
}

// Mainland mobile numbers: 11 digits starting 13–19, not part of a longer digit run.
const MOBILE = /(?<![0-9])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![0-9])/g;
// 18-digit resident ID: 6-digit area, birth date 19xx/20xx, sequence, check digit.
const ID_CARD = /(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;

/** 010, 02X, 0 + three digits 3–9xx: the mainland area codes. */
const AREA_CODE = '0(?:10|2\\d|[3-9]\\d{2})';
/** A local number: 7 or 8 digits starting 2–9, optionally grouped 3-4 or 4-4. */
const LOCAL_NUMBER = '[2-9]\\d{2,3}[- ]?\\d{4}';
/** After an explicit area code any first digit but 0 is taken (010-12345678 is written as an example number). */
const LOCAL_NUMBER_AFTER_AREA_CODE = '[1-9]\\d{2,3}[- ]?\\d{4}';
/** An extension after the number. */
const EXTENSION = '(?:(?:-|转|分机|ext\\.?\\s?)\\d{1,5})?';
/** The end of a number: no further digit, and no further group of digits after a dash. */
const NUMBER_END = '(?![0-9])(?!-[0-9])';

// Form 1: area code and separator, or area code in parentheses, or +86 without the leading 0.
const LANDLINE_WITH_AREA_CODE = new RegExp(
  `(?<![0-9A-Za-z+])(?:(?:\\+?86[- ]?)?${AREA_CODE}\\s?[-—– ]\\s?|\\(\\s?${AREA_CODE}\\s?\\)\\s?|\\+86[- ]?(?:10|2\\d|[3-9]\\d{2})[- ])${LOCAL_NUMBER_AFTER_AREA_CODE}${EXTENSION}${NUMBER_END}`,
  'g',
);
/** Words that say the number after them is a telephone number. */
const PHONE_WORD = '(?:电话|座机|固话|致电|拨打|回电|tel|phone)(?:号码)?\\.?\\s?(?:是|为)?\\s?[:：]?\\s?';
// Forms 2 and 3: only right after a phone word (the number is group 1).
const LANDLINE_AFTER_PHONE_WORD = new RegExp(`${PHONE_WORD}((?<![0-9])(?:${AREA_CODE}[2-9]\\d{6,7}|${LOCAL_NUMBER})${EXTENSION}${NUMBER_END})`, 'gid');

/** Labels of the organisation's own published lines, just before a number. */
const ORGANISATION_LINE = /(?:热线|客服|物业|服务中心|服务台|值班|投诉电话|投诉热线|报修|监督电话|管理处|前台|总机|传真)[^0-9]{0,8}$/i;
/** How far before a number its label is looked for. */
const LABEL_LOOKBEHIND = 12;

const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24})(?![A-Za-z0-9-])/g;
/** File extensions that look like top-level domains (`icon@2x.png`). */
const FILE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'ico', 'bmp', 'css', 'js', 'mjs', 'cjs', 'ts', 'json', 'html', 'htm', 'xml', 'txt', 'md', 'pdf', 'woff', 'woff2', 'ttf', 'otf', 'map', 'wasm']);

// Bank cards: 16–19 digits in one run or grouped by four, starting with an issuer digit.
const BANK_CARD = /(?<![0-9A-Za-z_.])(?:[3-69]\d{15,18}|[3-69]\d{3}(?:[- ]\d{4}){3}(?:[- ]?\d{1,3})?)(?![0-9A-Za-z_])(?!-[0-9])/g;
/** Labels that say a long number is not a card: orders, waybills, invoices, transactions, tickets. */
const NOT_A_CARD_LABEL = /(?:订单|单号|运单|快递|物流|发票|流水|交易|工单|合同|批次|序列号|条码|票号|编号)[^0-9]{0,8}$/;
/** 16–19: the lengths of ISO/IEC 7812 payment card numbers issued in China. */
const BANK_CARD_MIN_DIGITS = 16;
const BANK_CARD_MAX_DIGITS = 19;

/** Names shorter than this are not searched for: a one-character surname alone would match half a text. */
export const MINIMUM_NAME_LENGTH = 2;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_DIGITS = '10X98765432';

/** Whether an 18-character resident ID number has the right check digit. */
export function isValidResidentId(id: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(id)) return false;
  const sum = ID_WEIGHTS.reduce((total, weight, index) => total + weight * Number(id[index]), 0);
  return ID_CHECK_DIGITS[sum % 11] === id[17]!.toUpperCase();
}

/** Whether a string of digits passes the Luhn check that every payment card number carries. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function mask(value: string): string {
  if (value.length <= 4) return '*'.repeat(value.length);
  return `${value.slice(0, 3)}${'*'.repeat(value.length - 5)}${value.slice(-2)}`;
}

const DIGIT_OR_AT = /[0-9@\uFF10-\uFF19\uFF20]/;

/** An address as `z***@example.com`: the domain is the provider's, the local part is the person's. */
function maskEmail(value: string): string {
  const at = value.indexOf('@');
  return `${value.slice(0, 1)}***${value.slice(at)}`;
}

/** A name as `王*明`, `王*`: the first and last character, never the whole. */
function maskName(value: string): string {
  const characters = [...value];
  if (characters.length <= 2) return `${characters[0] ?? ''}*`;
  return `${characters[0]}${'*'.repeat(characters.length - 2)}${characters.at(-1)}`;
}

/** Full-width ASCII forms and the ideographic space as ASCII; one UTF-16 unit each, so offsets stay. */
function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (character) => (character === '\u3000' ? ' ' : String.fromCharCode(character.charCodeAt(0) - 0xfee0)));
}

/** The text just before `index`, where a label would be. */
function labelBefore(text: string, index: number): string {
  return text.slice(Math.max(0, index - LABEL_LOOKBEHIND), index);
}

function findLandlines(normalised: string): PersonalDataFinding[] {
  const findings: PersonalDataFinding[] = [];
  const add = (index: number, value: string) => {
    if (ORGANISATION_LINE.test(labelBefore(normalised, index))) return;
    findings.push({ kind: 'landline', index, length: value.length, masked: mask(value) });
  };
  for (const match of normalised.matchAll(LANDLINE_WITH_AREA_CODE)) add(match.index, match[0]);
  for (const match of normalised.matchAll(LANDLINE_AFTER_PHONE_WORD)) {
    const [start] = match.indices![1]!;
    // The phone word itself may carry the label ("服务热线电话：…").
    if (ORGANISATION_LINE.test(labelBefore(normalised, match.index))) continue;
    add(start, match[1]!);
  }
  return findings;
}

function findBankCards(normalised: string): PersonalDataFinding[] {
  const findings: PersonalDataFinding[] = [];
  for (const match of normalised.matchAll(BANK_CARD)) {
    const digits = match[0].replace(/[- ]/g, '');
    if (digits.length < BANK_CARD_MIN_DIGITS || digits.length > BANK_CARD_MAX_DIGITS || !passesLuhn(digits)) continue;
    if (NOT_A_CARD_LABEL.test(labelBefore(normalised, match.index))) continue;
    findings.push({ kind: 'bank_card', index: match.index, length: match[0].length, masked: mask(digits) });
  }
  return findings;
}

function findEmails(normalised: string): PersonalDataFinding[] {
  const findings: PersonalDataFinding[] = [];
  for (const match of normalised.matchAll(EMAIL)) {
    if (FILE_EXTENSIONS.has(match[1]!.toLowerCase())) continue;
    findings.push({ kind: 'email', index: match.index, length: match[0].length, masked: maskEmail(match[0]) });
  }
  return findings;
}

/** Characters that may sit between the characters of a name without hiding it. */
const NAME_GAP = '[\\s\\u200B-\\u200D\\u2060\\uFEFF]*';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Every place a name from the complaint's contact occurs in `text`: the name as written, also with
 * spaces or zero-width characters between its characters, Latin names in any case as whole words.
 * Names shorter than `MINIMUM_NAME_LENGTH` characters are ignored.
 */
export function findNames(text: string, names: readonly string[]): PersonalDataFinding[] {
  const findings: PersonalDataFinding[] = [];
  const seen = new Set<string>();
  for (const raw of names) {
    const name = raw.normalize('NFKC').trim().replace(/\s+/g, ' ');
    const characters = [...name].filter((character) => character !== ' ');
    if (characters.length < MINIMUM_NAME_LENGTH || seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    const latin = /^[A-Za-z .'-]+$/.test(name);
    const body = characters.map(escapeRegExp).join(NAME_GAP);
    const pattern = new RegExp(latin ? `(?<![A-Za-z])${body}(?![A-Za-z])` : body, latin ? 'gi' : 'gu');
    for (const match of text.matchAll(pattern)) {
      findings.push({ kind: 'name', index: match.index, length: match[0].length, masked: maskName(name) });
    }
  }
  return findings;
}

/**
 * The names in a decrypted contact: its `name` field split where people list several (王小明、李华).
 * Pass them to `findPersonalData(text, { names })` to find them in the same complaint's text.
 */
export function namesInContact(contact: { name?: string | undefined }): string[] {
  if (!contact.name) return [];
  return contact.name
    .split(/[、,，;；/／|]/)
    .map((name) => name.trim())
    .filter((name) => [...name.replace(/\s/g, '')].length >= MINIMUM_NAME_LENGTH);
}

/** When two findings cover the same text, the one that says more wins (an ID number over a card number). */
const PRIORITY: Record<PersonalDataKind, number> = { name: 0, id_card: 1, mobile: 2, landline: 3, email: 4, bank_card: 5 };

/** Drops findings that lie inside another one (a mobile number that is the local part of an e-mail address). */
function withoutNested(findings: PersonalDataFinding[]): PersonalDataFinding[] {
  const ordered = [...findings].sort((a, b) => a.index - b.index || b.length - a.length || PRIORITY[a.kind] - PRIORITY[b.kind]);
  const kept: PersonalDataFinding[] = [];
  for (const finding of ordered) {
    const inside = kept.some((other) => other.index <= finding.index && other.index + other.length >= finding.index + finding.length);
    if (!inside) kept.push(finding);
  }
  return kept;
}

/**
 * Every piece of personal data in `text`, in order of appearance (see the module comment for what
 * counts). With `names` from the decrypted contact of the same complaint, the complainant's name too.
 */
export function findPersonalData(text: string, options: PersonalDataOptions = {}): PersonalDataFinding[] {
  const names = options.names !== undefined && options.names.length > 0;
  // Every kind but a name needs a digit or an at sign, full-width or not.
  if (!names && !DIGIT_OR_AT.test(text)) return [];
  const normalised = toHalfWidth(text);
  const findings: PersonalDataFinding[] = [];
  for (const match of normalised.matchAll(MOBILE)) {
    findings.push({ kind: 'mobile', index: match.index, length: match[0].length, masked: mask(match[0]) });
  }
  for (const match of normalised.matchAll(ID_CARD)) {
    if (isValidResidentId(match[0])) findings.push({ kind: 'id_card', index: match.index, length: match[0].length, masked: mask(match[0]) });
  }
  findings.push(...findLandlines(normalised), ...findBankCards(normalised), ...findEmails(normalised));
  if (names) findings.push(...findNames(text, options.names!));
  return withoutNested(findings);
}
