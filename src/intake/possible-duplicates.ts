import type { Complaint } from '../core/complaint/schema.ts';
import { isOpen, stateOf } from '../core/complaint/states.ts';
import { accountOf } from './complaint-body.ts';

/**
 * Open complaints that may be the same matter as a new one (issue 5 item 2), for the handler to link
 * with `duplicate_of`: three different complainants of one matter within a month make it hot
 * (001 §4.6.3), so they must not stay separate complaints by accident.
 *
 * A candidate is open, not itself marked as a duplicate, of the same project and category, received
 * within `DUPLICATE_WINDOW_DAYS` before or after the new one, and its text is similar: the Jaccard
 * index of the two texts' character bigram sets (shared bigrams / all bigrams) is at least
 * `DUPLICATE_SIMILARITY`. Bigrams suit Chinese, which has no spaces between words: "电梯停运" and
 * "电梯又停了" share "电梯". Texts are compared as title + body with everything but letters and
 * digits removed — the complainant's account only, not intake's sections (诉求, 回访意愿), which
 * every online complaint shares — and only their first `COMPARED_CHARACTERS` characters, so a long
 * text does not dilute the measure. The result is a hint, never a decision: the handler links, intake does not.
 */

/** Issue 5 item 2 / 001 §4.6.3: "≥ 3 different complainants of the same complaint within a month". */
export const DUPLICATE_WINDOW_DAYS = 30;

/**
 * Two residents describing one matter in their own words share between a seventh and two fifths of
 * their bigrams ("东门垃圾堆了三天没人清理" / "东门的垃圾三天没清了": 0.14; "3号楼电梯又坏了，停了两天" /
 * "3号楼的电梯停运两天没人修": 0.19); different matters of one category share under a tenth ("5号楼停电了" /
 * "3号楼电梯停了": 0.08). The examples are the table in test/intake/possible-duplicates.test.ts.
 */
export const DUPLICATE_SIMILARITY = 0.12;

/** The opening of a text that is compared: enough for the gist of a complaint. */
export const COMPARED_CHARACTERS = 300;

/** At most this many candidates are listed, most similar first. */
export const MAX_DUPLICATE_CANDIDATES = 5;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The set of adjacent character pairs of a text's letters and digits, lowercased. */
export function characterBigrams(text: string): Set<string> {
  const characters = [...text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '')].slice(0, COMPARED_CHARACTERS);
  const bigrams = new Set<string>();
  for (let index = 0; index + 1 < characters.length; index += 1) bigrams.add(characters[index]! + characters[index + 1]!);
  return bigrams;
}

/** Jaccard index of two texts' character bigrams, 0 (nothing shared) to 1 (the same set). */
export function textSimilarity(a: string, b: string): number {
  const left = characterBigrams(a);
  const right = characterBigrams(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const bigram of left) if (right.has(bigram)) shared += 1;
  return shared / (left.size + right.size - shared);
}

export interface DuplicateCandidate {
  id: string;
  similarity: number;
  /** The tracking issue of the candidate, when it came from one. */
  issue?: number;
}

/** What is known of the new complaint when the candidates are looked for. */
export interface NewComplaintText {
  /** Its id once registered, so it is never its own duplicate. */
  id?: string;
  project: string;
  category: string;
  receivedAt: string;
  title: string;
  /** The complainant's account (what happened). */
  account: string;
}

/** The open complaints that may be the same as `candidate`, most similar first. */
export function possibleDuplicates(candidate: NewComplaintText, complaints: readonly Complaint[]): DuplicateCandidate[] {
  const receivedAt = Date.parse(candidate.receivedAt);
  const text = `${candidate.title}\n${candidate.account}`;
  return complaints
    .filter(({ data }) => {
      if (data.id === candidate.id || data.duplicate_of !== undefined) return false;
      if (data.project !== candidate.project || data.category !== candidate.category) return false;
      if (Math.abs(Date.parse(data.received_at) - receivedAt) > DUPLICATE_WINDOW_DAYS * DAY_MS) return false;
      return isOpen(stateOf(data));
    })
    .map((complaint) => ({
      id: complaint.data.id,
      similarity: textSimilarity(text, `${complaint.data.title}\n${accountOf(complaint.body)}`),
      ...(complaint.data.source?.issue !== undefined ? { issue: complaint.data.source.issue } : {}),
    }))
    .filter((match) => match.similarity >= DUPLICATE_SIMILARITY)
    .sort((a, b) => b.similarity - a.similarity || a.id.localeCompare(b.id))
    .slice(0, MAX_DUPLICATE_CANDIDATES);
}
