import { IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';

/**
 * The organisation's time zone for luxon, fast. Luxon asks Intl for the offset of an IANA zone at
 * every instant it converts, which was most of the time of `report` and `sla` over a large archive
 * (10,000 complaints: 17 of 33 seconds). Most zones an organisation here uses (Asia/Shanghai,
 * Asia/Hong_Kong, Asia/Taipei) have kept one offset for decades: for instants inside the window this
 * module checked, the offset is that constant; outside it, and for any zone that changed its offset
 * inside the window (daylight saving), luxon's own IANA rules answer as before.
 */

/**
 * The window checked, week by week: 2000-01-01 to 2050-01-01 UTC. Every offset change on record
 * (daylight saving, Ramadan suspensions) lasted weeks, so a week's step finds each one.
 */
const WINDOW_START = Date.UTC(2000, 0, 1);
const WINDOW_END = Date.UTC(2050, 0, 1);
const STEP = 7 * 24 * 60 * 60 * 1000;

/** An IANA zone with a constant offset over [start, end), answered without Intl inside it. */
class SteadyZone extends Zone {
  readonly #iana: IANAZone;
  readonly #offset: number;

  constructor(iana: IANAZone, offset: number) {
    super();
    this.#iana = iana;
    this.#offset = offset;
  }

  override get type(): string {
    return 'iana';
  }

  override get name(): string {
    return this.#iana.name;
  }

  override get isUniversal(): boolean {
    return false;
  }

  override get isValid(): boolean {
    return true;
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string | null {
    return this.#iana.offsetName(ts, options);
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.#iana.formatOffset(ts, format);
  }

  override offset(ts: number): number {
    return ts >= WINDOW_START && ts < WINDOW_END ? this.#offset : this.#iana.offset(ts);
  }

  override equals(other: Zone): boolean {
    return other.type === 'iana' && other.name === this.name;
  }
}

const zones = new Map<string, Zone | string>();

/**
 * The zone to hand luxon for an IANA name: a steady zone when the name kept one offset all through
 * the window, else the name itself (luxon resolves it as always, invalid names included).
 */
export function zoneOf(name: string): Zone | string {
  let zone = zones.get(name);
  if (zone === undefined) {
    zone = name;
    if (IANAZone.isValidZone(name)) {
      const iana = IANAZone.create(name);
      const first = iana.offset(WINDOW_START);
      let steady = true;
      for (let ts = WINDOW_START; ts < WINDOW_END && steady; ts += STEP) steady = iana.offset(ts) === first;
      if (steady) zone = new SteadyZone(iana, first);
    }
    zones.set(name, zone);
  }
  return zone;
}
