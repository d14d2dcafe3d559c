import { DateTime } from 'luxon';
import { formatInstant, fromDate, type WorkingCalendar } from '../../core/calendar.ts';
import { CLOCK_STATE_LABELS, CLOCK_STATES, clocksOf, type ClockReading, type ClockState } from '../../core/clocks.ts';
import { isOpen, stateOf } from '../../core/complaint/states.ts';
import { CLOCK_LABELS, CLOCK_NAMES } from '../../core/org/schema.ts';
import { EXIT, printJson, stringOption, UsageError, type Command } from '../command.ts';
import { table } from '../output.ts';
import { openValidArchive } from '../valid-archive.ts';
import { zoneOf } from '../../core/time-zone.ts';

function isClockState(value: string): value is ClockState {
  return (CLOCK_STATES as readonly string[]).includes(value);
}

/** States of clocks that have stopped: asking for them implies --all. */
const STOPPED_STATES: readonly ClockState[] = ['met', 'missed'];

/** `2026-10-12 17:30` in the organisation's zone, for people. */
function humanTime(calendar: WorkingCalendar, iso: string): string {
  return DateTime.fromISO(iso, { setZone: true }).setZone(zoneOf(calendar.timezone)).toFormat('yyyy-MM-dd HH:mm');
}

/**
 * `complaints sla`: the clocks of every open complaint with due time and state (SPEC §5, §9).
 *
 * By default only running clocks (ok, due_soon, overdue); `--all` adds the clocks that already
 * stopped (met, missed), and `--state met|missed` implies it. `--json` prints
 * `{ now, clocks: [{ id, clock, due, state, stoppedAt? }] }`, sorted by due time like the table.
 * Warnings about years without official holiday data go to stderr. An invalid archive prints
 * validate's problems and exits 1.
 */
export const slaCommand: Command = {
  summary: 'time limits of open complaints: due time and state（时限与督办）',
  usage: 'complaints sla [--root DIR] [--json] [--now ISO-TIME] [--state ok|due_soon|overdue|met|missed] [--all]',
  options: {
    state: { type: 'string' },
    all: { type: 'boolean', default: false },
  },
  async run(context, values) {
    const stateFilter = stringOption(values, 'state');
    if (stateFilter !== undefined && !isClockState(stateFilter))
      throw new UsageError(`--state must be one of ${CLOCK_STATES.join(', ')}, found "${stateFilter}"`);
    const includeStopped = values.all === true || (stateFilter !== undefined && STOPPED_STATES.includes(stateFilter));

    const opened = await openValidArchive(context);
    if (!opened.ok) return opened.code;
    const { archive, calendar } = opened;

    const clockOrder = (reading: ClockReading) => CLOCK_NAMES.indexOf(reading.clock);
    const readings = archive.complaints
      .filter((complaint) => isOpen(stateOf(complaint.data)))
      .flatMap((complaint) => clocksOf(complaint.data, archive.org, calendar, context.now))
      .filter((reading) => (includeStopped || reading.running) && (stateFilter === undefined || reading.state === stateFilter))
      .sort((a, b) => Date.parse(a.due) - Date.parse(b.due) || a.id.localeCompare(b.id) || clockOrder(a) - clockOrder(b));

    const warnings = [...new Set(readings.flatMap((reading) => reading.warnings.map((warning) => warning.message)))];
    for (const warning of warnings) context.stderr(`warning: ${warning}\n`);

    if (context.json) {
      printJson(context, {
        now: formatInstant(calendar, fromDate(calendar, context.now)),
        clocks: readings.map((reading) => ({
          id: reading.id,
          clock: reading.clock,
          due: reading.due,
          state: reading.state,
          ...(reading.stoppedAt ? { stoppedAt: reading.stoppedAt } : {}),
        })),
      });
      return EXIT.ok;
    }
    if (readings.length === 0) {
      context.stdout(`no clocks to show（没有符合条件的时限）\n`);
      return EXIT.ok;
    }
    const rows = readings.map((reading) => [
      reading.id,
      CLOCK_LABELS[reading.clock],
      humanTime(calendar, reading.due),
      `${CLOCK_STATE_LABELS[reading.state]} ${reading.state}`,
      reading.stoppedAt ? humanTime(calendar, reading.stoppedAt) : '',
    ]);
    context.stdout(`${table(['编号 id', '时限 clock', `期限 due (${calendar.timezone})`, '状态 state', '完成 stopped'], rows)}\n`);
    const overdue = readings.filter((reading) => reading.state === 'overdue').length;
    context.stdout(`${readings.length} clocks, ${overdue} overdue（共 ${readings.length} 项时限，${overdue} 项已超时）\n`);
    return EXIT.ok;
  },
};
