import type { ComplaintData, ComplaintEvent } from './schema.ts';

/**
 * A complainant's deletion request and the retention purge (issue 6 §4–5; 个人信息保护法 删除权):
 * the contact envelope goes, and personal data the handler marks in the text is replaced by a marker.
 * What the complaint was about, when, where it was counted and how it was handled stays, so the
 * statistics do not change. An `erased` event records that it happened, by whom and why.
 * Pure: the time and the handler come in as parameters.
 */

/** What replaces erased text, so a reader sees that something was there. */
export const ERASED_MARKER = '〔已删除〕';

/** Texts shorter than this are refused: erasing one character would mangle the whole record. */
export const MINIMUM_ERASED_TEXT_LENGTH = 2;

/** A text to erase that is too short to erase safely. */
export class ErasedTextTooShortError extends Error {
  override readonly name = 'ErasedTextTooShortError';
  constructor(text: string) {
    super(`"${text}" is too short to erase: give at least ${MINIMUM_ERASED_TEXT_LENGTH} characters（要删除的内容至少 ${MINIMUM_ERASED_TEXT_LENGTH} 个字符）`);
  }
}

/** The free-text fields personal data can hide in; ids, keys, handles, times and choices are never touched. */
type FreeTextPath = readonly (string | number)[];

function freeTextPaths(data: ComplaintData): FreeTextPath[] {
  const paths: FreeTextPath[] = [['title'], ['location'], ['nature_detail'], ['corrective_action'], ['lessons'], ['source', 'office'], ['source', 'reference']];
  data.events.forEach((_event, index) => paths.push(['events', index, 'note'], ['events', index, 'public_note']));
  paths.push(['reply', 'summary'], ['visit', 'comment'], ['closure', 'note'], ['no_visit', 'note'], ['severity', 'reason']);
  return paths;
}

export interface ErasureRequest {
  /** Personal data the handler marks in the text (a name, a phone number written in the body …). */
  texts: readonly string[];
  /** When the erasure is recorded (ISO 8601 with offset). */
  at: string;
  /** The staff handle recording it. */
  by: string;
  /** Why: a deletion request, or the end of the retention period. Internal, never published. */
  note: string;
  /** Whether to remove the contact envelope (true for both a deletion request and a purge). */
  removeContact: boolean;
}

export interface ErasureResult {
  data: ComplaintData;
  body: string;
  /** How often each text was replaced, in the order given. */
  replaced: { text: string; count: number }[];
  /** Texts given that occur nowhere in the complaint: nothing was replaced for them. */
  notFound: string[];
  contactRemoved: boolean;
}

function countOccurrences(text: string, search: string): number {
  return text.split(search).length - 1;
}

/**
 * Erases personal data from one complaint: removes the contact envelope (when asked), replaces every
 * occurrence of each given text in the body and the free-text fields with `ERASED_MARKER` (longer
 * texts first, so a full name goes before a part of it), and appends an `erased` event. Identity,
 * dates, category, project, state and every other counted field stay as they were.
 */
export function eraseComplaint(complaint: { data: ComplaintData; body: string }, request: ErasureRequest): ErasureResult {
  for (const text of request.texts) if ([...text.trim()].length < MINIMUM_ERASED_TEXT_LENGTH) throw new ErasedTextTooShortError(text);
  const texts = [...new Set(request.texts.map((text) => text.trim()))].sort((a, b) => b.length - a.length);
  const counts = new Map<string, number>(texts.map((text) => [text, 0]));
  const replaceIn = (value: string): string => {
    let result = value;
    for (const text of texts) {
      const count = countOccurrences(result, text);
      if (count === 0) continue;
      counts.set(text, counts.get(text)! + count);
      result = result.split(text).join(ERASED_MARKER);
    }
    return result;
  };

  const data = structuredClone(complaint.data);
  const record = data as unknown as Record<string, unknown>;
  for (const path of freeTextPaths(data)) {
    let parent: Record<string, unknown> | unknown[] | undefined = record;
    for (const segment of path.slice(0, -1)) {
      const next: unknown = (parent as Record<string | number, unknown>)[segment];
      parent = next !== null && typeof next === 'object' ? (next as Record<string, unknown>) : undefined;
      if (!parent) break;
    }
    const last = path.at(-1)!;
    const holder = parent as Record<string | number, unknown> | undefined;
    if (holder && typeof holder[last] === 'string') holder[last] = replaceIn(holder[last]);
  }
  const body = replaceIn(complaint.body);

  const contactRemoved = request.removeContact && data.contact !== undefined;
  if (request.removeContact) delete data.contact;
  const event: ComplaintEvent = { at: request.at, type: 'erased', by: request.by, note: request.note };
  data.events = [...data.events, event];

  const replaced = request.texts.map((text) => ({ text, count: counts.get(text.trim()) ?? 0 }));
  return { data, body, replaced, notFound: replaced.filter((item) => item.count === 0).map((item) => item.text), contactRemoved };
}
