import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, Scalar, type Document, type Pair } from 'yaml';
import type { RecipientsSetting } from '../core/org/schema.ts';
import { ORG_FILE, OrgFileError, parseOrg, writeFileAtomically } from './archive.ts';
import { YAML_PARSE_OPTIONS } from './frontmatter.ts';

/**
 * Rewrites `recipients` in content/org.yaml (keys rotate, purge) and leaves the rest of the file as
 * the organisation wrote it: comments, order and quoting. Within a per-year map only the years that
 * change are touched, so a comment on another year's key stays.
 */

function recipientsPair(document: Document): Pair | undefined {
  const contents = document.contents;
  if (!isMap(contents)) return undefined;
  return contents.items.find((pair) => isScalar(pair.key) && pair.key.value === 'recipients') as Pair | undefined;
}

/** A year as a quoted key, so no YAML 1.1 reader takes it for a number. */
function yearKey(year: string): Scalar {
  const key = new Scalar(year);
  key.type = 'QUOTE_DOUBLE';
  return key;
}

/** org.yaml's text with `recipients` set to `setting`. */
export function withRecipients(text: string, setting: RecipientsSetting): string {
  const document = parseDocument(text, YAML_PARSE_OPTIONS);
  if (document.errors.length > 0) throw new Error(`${ORG_FILE} cannot be read: ${document.errors[0]!.message}`);
  const pair = recipientsPair(document);
  const current = pair?.value;
  if (!Array.isArray(setting) && isMap(current)) {
    // Edit the map in place: remove years that go, replace years that change, add new years in order.
    for (const item of [...current.items]) {
      const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
      if (!Object.hasOwn(setting, key)) current.delete(item.key);
    }
    for (const [year, list] of Object.entries(setting)) {
      const existing = current.items.find((item) => isScalar(item.key) && String(item.key.value) === year);
      const value = isSeq(existing?.value) ? (existing.value.toJSON() as unknown[]) : undefined;
      if (existing && JSON.stringify(value) === JSON.stringify(list)) continue;
      if (existing) existing.value = document.createNode(list);
      else current.add(document.createPair(yearKey(year), list));
    }
    current.items.sort((a, b) => Number(isScalar(a.key) ? a.key.value : 0) - Number(isScalar(b.key) ? b.key.value : 0));
  } else {
    const node = Array.isArray(setting)
      ? document.createNode(setting)
      : document.createNode(Object.fromEntries(Object.entries(setting)));
    if (pair) pair.value = node;
    else document.set('recipients', node);
  }
  return document.toString({ lineWidth: 0 });
}

/** Sets `recipients` in content/org.yaml under `root`, refusing a result that would not validate. */
export async function writeRecipients(root: string, setting: RecipientsSetting): Promise<void> {
  const path = join(root, ORG_FILE);
  const text = withRecipients(await readFile(path, 'utf8'), setting);
  const { org, problems } = parseOrg(text);
  if (!org) throw new OrgFileError(problems);
  await writeFileAtomically(path, text);
}
