import { findPersonalData, PERSONAL_DATA_KINDS, PERSONAL_DATA_LABELS } from './pii.ts';

/**
 * The notice board's last line of defence (SPEC §7: "the build fails if anything that looks like
 * personal data would be published"): a scan of every file the build wrote for
 * - an age envelope (its armor line or its format line): contact data must never leave the archive,
 *   not even encrypted;
 * - whatever `findPersonalData` calls personal data (mobile and landline numbers, valid resident ID
 *   and bank card numbers, e-mail addresses), decided by the same rules as validate and intake;
 * - any value of a decrypted `contact` field (name, phone, email, address), when the identity that
 *   opens the envelopes is at hand — raw, and as it would look HTML-escaped, JSON-escaped or
 *   percent-encoded in a URL.
 * Pure: the files and the secrets come in as parameters, the findings go out.
 */

export const PRIVACY_FINDING_KINDS = ['age_envelope', ...PERSONAL_DATA_KINDS, 'contact'] as const;
export type PrivacyFindingKind = (typeof PRIVACY_FINDING_KINDS)[number];

export const PRIVACY_FINDING_LABELS: Record<PrivacyFindingKind, string> = {
  age_envelope: '加密联系方式',
  ...PERSONAL_DATA_LABELS,
  contact: '投诉人联系方式',
};

/** One output file as text (compressed files decompressed first by the caller). */
export interface OutputFile {
  /** Path relative to the output folder, with forward slashes. */
  path: string;
  text: string;
}

export interface PrivacyFinding {
  path: string;
  kind: PrivacyFindingKind;
  /** 1-based line of the match in the file's text. */
  line: number;
  /** The match with its middle masked, safe to print in a build log. */
  masked: string;
}

/** Text that marks an age file: the ASCII armor line and the binary format's first line. */
export const AGE_MARKERS: readonly string[] = ['AGE ENCRYPTED FILE', 'age-encryption.org'];

/**
 * Contact values shorter than this are not searched for: a one-character value (a surname alone)
 * would match half the site. Two characters is the shortest Chinese name (王伟), so names are searched.
 */
export const MINIMUM_SECRET_LENGTH = 2;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * The forms a contact value takes in the files a build writes: as typed, HTML-escaped (both quote
 * styles Astro and others use), inside a JSON string, and percent-encoded in a URL.
 */
export function secretVariants(secret: string): string[] {
  const variants = new Set<string>([secret]);
  variants.add(secret.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!));
  variants.add(secret.replace(/[&<>"']/g, (character) => (character === "'" ? '&#x27;' : HTML_ESCAPES[character]!)));
  variants.add(JSON.stringify(secret).slice(1, -1));
  variants.add(encodeURIComponent(secret));
  return [...variants];
}

function mask(value: string): string {
  const characters = [...value];
  if (characters.length <= 2) return `${characters[0] ?? ''}*`;
  if (characters.length <= 4) return `${characters[0]}${'*'.repeat(characters.length - 2)}${characters.at(-1)}`;
  return `${characters.slice(0, 2).join('')}${'*'.repeat(characters.length - 4)}${characters.slice(-2).join('')}`;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let position = text.indexOf('\n'); position !== -1 && position < index; position = text.indexOf('\n', position + 1)) line += 1;
  return line;
}

/**
 * Zero-width characters: a search index inserts them between the words it segments (Pagefind writes
 * "王​小明" for 王小明), and they could hide a value from a plain search. Removed before scanning;
 * line breaks are kept, so lines still match the file.
 */
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;

/** The contact values worth searching for: trimmed, long enough, each once. */
export function usableSecrets(secrets: readonly string[]): string[] {
  return [...new Set(secrets.map((secret) => secret.replace(ZERO_WIDTH, '').trim()).filter((secret) => [...secret].length >= MINIMUM_SECRET_LENGTH))];
}

/** Every finding in one file, in order of appearance. */
export function scanText(file: OutputFile, secrets: readonly string[] = []): PrivacyFinding[] {
  const findings: PrivacyFinding[] = [];
  const { path } = file;
  const text = file.text.replace(ZERO_WIDTH, '');
  for (const marker of AGE_MARKERS) {
    const index = text.indexOf(marker);
    if (index !== -1) findings.push({ path, kind: 'age_envelope', line: lineAt(text, index), masked: marker });
  }
  for (const finding of findPersonalData(text)) findings.push({ path, kind: finding.kind, line: lineAt(text, finding.index), masked: finding.masked });
  const lowered = text.toLowerCase();
  for (const secret of usableSecrets(secrets)) {
    for (const variant of secretVariants(secret)) {
      // E-mail addresses are case-insensitive; for the other values lowering changes nothing that matters.
      const index = lowered.indexOf(variant.toLowerCase());
      if (index === -1) continue;
      findings.push({ path, kind: 'contact', line: lineAt(lowered, index), masked: mask(secret) });
      break;
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}

/**
 * Scans every output file for personal data (see the module comment). An empty result means the
 * build may be published.
 */
export function scanForPersonalData(files: readonly OutputFile[], secrets: readonly string[] = []): PrivacyFinding[] {
  const usable = usableSecrets(secrets);
  return files.flatMap((file) => scanText(file, usable));
}

/** One line per finding for a build log: file, line, what, masked value. */
export function describeFinding(finding: PrivacyFinding): string {
  return `${finding.path}:${finding.line}: ${PRIVACY_FINDING_LABELS[finding.kind]} ${finding.kind} (${finding.masked})`;
}
