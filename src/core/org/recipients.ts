import { receivedMonth } from '../complaint/paths.ts';
import type { RecipientsSetting } from './schema.ts';

/**
 * Yearly encryption keys (issue 6 §4): which age recipients a complaint's contact data is encrypted
 * to, by the year it was received. org.yaml's `recipients` is either one list for every year, or a
 * list per year. A year the map does not name uses the latest earlier year's list ("carried
 * forward"), so intake never stops on 1 January because nobody rotated yet; `complaints keys status`
 * warns about such years, because destroying the earlier year's identity would then also shred them.
 */

/** Where a year's recipients come from. */
export type RecipientSource =
  /** One list for every year. */
  | { kind: 'all_years' }
  /** The year's own entry in the map. */
  | { kind: 'own' }
  /** The map has no entry for the year: the latest earlier year's entry is used. */
  | { kind: 'carried_forward'; fromYear: number }
  /** Nothing covers the year. */
  | { kind: 'none' };

export interface YearRecipients {
  recipients: string[];
  source: RecipientSource;
}

/** The years a recipients map names, oldest first. */
export function recipientYears(setting: RecipientsSetting): number[] {
  if (Array.isArray(setting)) return [];
  return Object.keys(setting)
    .map(Number)
    .sort((a, b) => a - b);
}

/** The recipients of a year of receipt, and where they come from. */
export function recipientsOfYear(setting: RecipientsSetting, year: number): YearRecipients {
  if (Array.isArray(setting)) return { recipients: [...setting], source: { kind: 'all_years' } };
  const own = setting[String(year)];
  if (own) return { recipients: [...own], source: { kind: 'own' } };
  const earlier = recipientYears(setting).filter((candidate) => candidate < year);
  const fromYear = earlier.at(-1);
  if (fromYear === undefined) return { recipients: [], source: { kind: 'none' } };
  return { recipients: [...setting[String(fromYear)]!], source: { kind: 'carried_forward', fromYear } };
}

/**
 * The recipients that new contact data of a complaint received in `year` is encrypted to (the id's
 * year, in the organisation's time zone). Empty when org.yaml names none for that year.
 */
export function recipientsFor(org: { recipients?: RecipientsSetting | undefined }, year: number): string[] {
  return recipientsOfYear(org.recipients ?? [], year).recipients;
}

/** Whether org.yaml names any recipient at all, for any year. */
export function hasAnyRecipient(setting: RecipientsSetting): boolean {
  return Array.isArray(setting) ? setting.length > 0 : Object.values(setting).some((list) => list.length > 0);
}

/**
 * The recipients setting after a rotation: `year` gets `recipients` as its own list, and every other
 * year keeps the list it used. A single list for all years becomes a map: each of `yearsInUse` (the
 * years of receipt that hold envelopes) keeps the old list explicitly, so nothing already encrypted
 * changes hands.
 */
export function rotateRecipients(setting: RecipientsSetting, year: number, recipients: readonly string[], yearsInUse: Iterable<number>): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  if (Array.isArray(setting)) {
    if (setting.length > 0) for (const used of yearsInUse) if (used !== year) map[String(used)] = [...setting];
  } else {
    // Years that were carried forward keep what they used, so the new year does not take them over.
    for (const used of yearsInUse) {
      if (used === year || setting[String(used)]) continue;
      const { recipients: carried } = recipientsOfYear(setting, used);
      if (carried.length > 0 && used > year) map[String(used)] = carried;
    }
    for (const [key, list] of Object.entries(setting)) map[key] = [...list];
  }
  map[String(year)] = [...recipients];
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => Number(a) - Number(b)));
}

/**
 * The recipients setting after purging every year before `year`: those years' entries go (their
 * envelopes are gone; their identities can be destroyed), except the years in `keep` that a later
 * year still carries forward. A single list for all years stays.
 */
export function withoutYearsBefore(setting: RecipientsSetting, year: number, keep: readonly number[] = []): RecipientsSetting {
  if (Array.isArray(setting)) return setting;
  return Object.fromEntries(Object.entries(setting).filter(([key]) => Number(key) >= year || keep.includes(Number(key))));
}

/** The year of receipt of each complaint that holds a contact envelope, with how many it holds. */
export function envelopesByYear(complaints: readonly { data: { contact?: string | undefined; received_at: string } }[], timezone: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const { data } of complaints) {
    if (!data.contact) continue;
    const year = Number(receivedMonth(data.received_at, timezone).year);
    counts.set(year, (counts.get(year) ?? 0) + 1);
  }
  return new Map([...counts].sort(([a], [b]) => a - b));
}

/**
 * Years before `year` whose recipients a later year still uses (carried forward): their identities
 * must not be destroyed, or the later year's envelopes go with them. `yearsThatMatter` are the years
 * of receipt holding envelopes and the current year.
 */
export function yearsStillCarried(setting: RecipientsSetting, year: number, yearsThatMatter: Iterable<number>): number[] {
  const carried = new Set<number>();
  for (const later of yearsThatMatter) {
    if (later < year) continue;
    const { source } = recipientsOfYear(setting, later);
    if (source.kind === 'carried_forward' && source.fromYear < year) carried.add(source.fromYear);
  }
  return [...carried].sort((a, b) => a - b);
}
