import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { zoneOf } from '../../src/core/time-zone.ts';

describe('the fast zone for an organisation time zone', () => {
  it('gives Asia/Shanghai the same local times and offsets as the IANA rules, inside the checked window and outside it', () => {
    const instants = [
      '1988-07-01T12:00:00Z', // China kept daylight saving time in 1986–1991: outside the window, the IANA rules answer
      '1999-12-31T16:30:00Z',
      '2000-01-01T00:00:00Z',
      '2026-10-01T15:59:59Z',
      '2026-12-31T16:00:00Z',
      '2049-12-31T23:59:59Z',
      '2051-06-01T00:00:00Z',
    ];
    for (const iso of instants) {
      const fast = DateTime.fromISO(iso).setZone(zoneOf('Asia/Shanghai'));
      const reference = DateTime.fromISO(iso).setZone('Asia/Shanghai');
      expect(fast.toISO(), iso).toBe(reference.toISO());
      expect(fast.offset).toBe(reference.offset);
      expect(fast.zoneName).toBe('Asia/Shanghai');
    }
    expect(DateTime.fromISO('1988-07-01T12:00:00Z').setZone(zoneOf('Asia/Shanghai')).offset).toBe(9 * 60);
    expect(DateTime.fromObject({ year: 2026, month: 11, day: 1 }, { zone: zoneOf('Asia/Shanghai') }).toISO()).toBe('2026-11-01T00:00:00.000+08:00');
  });

  it('leaves a zone with daylight saving, and a name that is no zone, to luxon', () => {
    expect(zoneOf('Europe/Berlin')).toBe('Europe/Berlin');
    expect(zoneOf('Mars/Olympus')).toBe('Mars/Olympus');
    expect(DateTime.now().setZone(zoneOf('Mars/Olympus')).isValid).toBe(false);
  });

  it('treats the fast zone and its IANA name as the same zone', () => {
    const fast = DateTime.fromISO('2026-05-01T08:00:00+08:00').setZone(zoneOf('Asia/Shanghai'));
    const named = DateTime.fromISO('2026-05-01T08:00:00+08:00').setZone('Asia/Shanghai');
    expect(fast.hasSame(named, 'day')).toBe(true);
    expect(fast.zone.equals(named.zone)).toBe(true);
  });
});
