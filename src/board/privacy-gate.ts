import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadArchive } from '../archive/archive.ts';
import { describeFinding, scanText, usableSecrets, type PrivacyFinding } from '../core/privacy-scan.ts';
import { decryptContact, parseIdentityFile } from '../privacy/contact.ts';

/**
 * The board's privacy gate (SPEC §7, issue 4 item 7): after the build (and after the search index is
 * written), every output file is read and scanned with `scanText`, one file at a time; any finding
 * fails the build, naming the file. When an identity is at hand ($COMPLAINTS_IDENTITY_FILE or
 * $COMPLAINTS_IDENTITY), every contact envelope of the archive is opened and each of its values is
 * searched for too.
 *
 * What is read: every file the build wrote. Gzip-compressed files (Pagefind's index, fragments and
 * metadata) are decompressed first; Pagefind's word index is binary (CBOR) with its words as UTF-8, so
 * files are decoded leniently and scanned whatever their bytes. Skipped, and listed: Pagefind's own
 * program files (its WebAssembly and the UI scripts and styles at the top of `pagefind/`, the same in
 * every build and written from Pagefind's package, never from the archive — their credits name
 * translators by e-mail), and image and font files. Everything Pagefind writes from the pages (the
 * entry, metadata, index, fragments and filters) is scanned.
 */

export const IDENTITY_FILE_VARIABLE = 'COMPLAINTS_IDENTITY_FILE';
export const IDENTITY_VARIABLE = 'COMPLAINTS_IDENTITY';

/** How many findings the error lists before "and N more". */
const FINDINGS_SHOWN = 30;
const GZIP_MAGIC = [0x1f, 0x8b];

/** The build wrote personal data: nothing may be published. */
export class PublishedPersonalDataError extends Error {
  override readonly name = 'PublishedPersonalDataError';
  readonly findings: readonly PrivacyFinding[];
  constructor(findings: readonly PrivacyFinding[]) {
    const files = [...new Set(findings.map((finding) => finding.path))];
    const shown = findings.slice(0, FINDINGS_SHOWN).map((finding) => `  ${describeFinding(finding)}`);
    const more = findings.length > FINDINGS_SHOWN ? [`  … and ${findings.length - FINDINGS_SHOWN} more`] : [];
    super(
      [
        `the built board contains personal data in ${files.length} file${files.length === 1 ? '' : 's'} (${files.join(', ')}); nothing may be published until it is removed from the archive（公示栏输出含个人信息，禁止发布）`,
        ...shown,
        ...more,
      ].join('\n'),
    );
    this.findings = findings;
  }
}

/** An envelope could not be opened with the identity given, so its values cannot be checked. */
export class UncheckableContactError extends Error {
  override readonly name = 'UncheckableContactError';
  constructor(id: string, cause: Error) {
    super(`complaint ${id}: its contact cannot be opened with the identity given, so the privacy gate cannot check it (${cause.message})（联系方式无法解密，无法检查）`);
  }
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** `\0asm`: the first bytes of every WebAssembly module. */
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
/** Pictures and fonts: no archive text can hide in them (the board writes none, but a theme might). */
const SKIPPED_EXTENSIONS = /\.(?:png|jpe?g|gif|webp|avif|ico|woff2?|ttf|otf|wasm)$/i;
/** Pagefind's program: its UI scripts and styles, copied from its package into the top of `pagefind/`. */
const SEARCH_PROGRAM_FILES = /^pagefind\/[^/]+\.(?:js|css)$/;

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

/**
 * A file's bytes as text to scan: gzip decompressed, decoded as UTF-8 leniently (binary structure
 * becomes replacement characters, the strings inside stay readable); undefined for WebAssembly.
 */
export function outputText(bytes: Uint8Array): string | undefined {
  let content = bytes;
  if (startsWith(content, GZIP_MAGIC)) content = gunzipSync(content);
  if (startsWith(content, WASM_MAGIC)) return undefined;
  return new TextDecoder('utf-8').decode(content);
}

/** Whether a file of the output is left unscanned: pictures, fonts, Pagefind's program. */
function isSkipped(path: string): boolean {
  return SKIPPED_EXTENSIONS.test(path) || SEARCH_PROGRAM_FILES.test(path);
}

export interface OutputScan {
  scanned: number;
  skipped: string[];
  findings: PrivacyFinding[];
}

/**
 * Scans the files of the output folder that `select` picks, one at a time (a board of 100,000 pages
 * is never held in memory at once), awaiting each read so a search indexer running beside it keeps
 * being served.
 */
export async function scanOutputFolder(outDir: string, secrets: readonly string[], select: (path: string) => boolean = () => true): Promise<OutputScan> {
  const usable = usableSecrets(secrets);
  const result: OutputScan = { scanned: 0, skipped: [], findings: [] };
  for (const absolute of (await listFiles(outDir)).sort()) {
    const path = relative(outDir, absolute).split(sep).join('/');
    if (!select(path)) continue;
    const text = isSkipped(path) ? undefined : outputText(await readFile(absolute));
    if (text === undefined) {
      result.skipped.push(path);
      continue;
    }
    result.scanned += 1;
    result.findings.push(...scanText({ path, text }, usable));
  }
  return result;
}

/** The age identities in the environment, if any. */
export async function identitiesFromEnvironment(environment: Readonly<Record<string, string | undefined>>): Promise<string[]> {
  const identities: string[] = [];
  const file = environment[IDENTITY_FILE_VARIABLE]?.trim();
  if (file) identities.push(...parseIdentityFile(await readFile(file, 'utf8')));
  const inline = environment[IDENTITY_VARIABLE]?.trim();
  if (inline) identities.push(...parseIdentityFile(inline));
  return identities;
}

/** Every non-empty contact value (name, phone, email, address) of the archive's envelopes. */
export async function contactValues(archiveRoot: string, identities: readonly string[]): Promise<string[]> {
  if (identities.length === 0) return [];
  const archive = await loadArchive(archiveRoot);
  const values: string[] = [];
  for (const { data } of archive.complaints) {
    if (!data.contact) continue;
    let contact;
    try {
      contact = await decryptContact(data.id, data.contact, identities);
    } catch (cause) {
      throw new UncheckableContactError(data.id, cause as Error);
    }
    for (const value of [contact.name, contact.phone, contact.email, contact.address]) if (value?.trim()) values.push(value.trim());
  }
  return values;
}

export interface PrivacyGateResult {
  scanned: number;
  skipped: string[];
  /** How many contact values were searched for (0 without an identity). */
  contactValues: number;
  identity: boolean;
}

/** The contact values to search the output for, from the identities in the environment. */
export async function gateSecrets(archiveRoot: string, environment: Readonly<Record<string, string | undefined>>): Promise<{ secrets: string[]; identity: boolean }> {
  const identities = await identitiesFromEnvironment(environment);
  return { secrets: await contactValues(archiveRoot, identities), identity: identities.length > 0 };
}

/** The gate's verdict over scans of parts of the output: throws `PublishedPersonalDataError` naming the files on any finding. */
export function gateVerdict(scans: readonly OutputScan[], secrets: { secrets: readonly string[]; identity: boolean }): PrivacyGateResult {
  const findings = scans.flatMap((scan) => scan.findings);
  if (findings.length > 0) throw new PublishedPersonalDataError(findings);
  return {
    scanned: scans.reduce((sum, scan) => sum + scan.scanned, 0),
    skipped: scans.flatMap((scan) => scan.skipped).sort(),
    contactValues: secrets.secrets.length,
    identity: secrets.identity,
  };
}

/** Scans the output folder; throws `PublishedPersonalDataError` naming the files on any finding. */
export async function runPrivacyGate(outDir: string, archiveRoot: string, environment: Readonly<Record<string, string | undefined>>): Promise<PrivacyGateResult> {
  const secrets = await gateSecrets(archiveRoot, environment);
  return gateVerdict([await scanOutputFolder(outDir, secrets.secrets)], secrets);
}
