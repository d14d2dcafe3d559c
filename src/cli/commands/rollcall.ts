import { DateTime } from 'luxon';
import { RollCallSetupError, runRollCall, takeRollCall } from '../../rollcall/run-roll-call.ts';
import { EXIT, printJson, stringOption, UsageError, type Command } from '../command.ts';
import { githubFromEnvironment } from '../github-context.ts';

/**
 * `complaints rollcall`: the daily roll-call (日盘点, 001 §4.4.2.4) — every complaint received on a
 * working day (and the non-working days before it) and every open complaint not yet routed, posted as
 * one comment per day on the roll-call issue. Today in org.yaml's time zone unless `--date`; nothing
 * on a non-working day. `--dry-run` prints it without GitHub.
 */
export const rollcallCommand: Command = {
  summary: 'daily roll-call: complaints received today and those not yet routed（日盘点）',
  usage: 'complaints rollcall [--date YYYY-MM-DD] [--dry-run] [--root DIR] [--json] [--now ISO-TIME]',
  options: {
    date: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
  async run(context, values) {
    const date = stringOption(values, 'date');
    if (date !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !DateTime.fromISO(date).isValid))
      throw new UsageError(`--date must be a date such as 2026-10-12, found "${date}"`);
    const request = { root: context.root, now: context.now, ...(date ? { date } : {}) };
    try {
      if (values['dry-run'] === true) {
        const taken = await takeRollCall(request);
        if (context.json) printJson(context, { date: taken.date, rollCall: taken.rollCall ?? null });
        else context.stdout(`${taken.text ?? `${taken.date} is not a working day: no roll-call（${taken.date} 不是工作日，不盘点）`}\n`);
        return EXIT.ok;
      }
      const result = await runRollCall({ ...request, port: githubFromEnvironment(context) });
      if (context.json) printJson(context, result);
      else if (!result.rollCall) context.stdout(`${result.date} is not a working day: no roll-call（${result.date} 不是工作日，不盘点）\n`);
      else context.stdout(`roll-call of ${result.date} on #${result.issue}: ${result.comment}（日盘点已发布）\n`);
      return EXIT.ok;
    } catch (cause) {
      if (cause instanceof RollCallSetupError) throw new UsageError(cause.message);
      throw cause;
    }
  },
};
