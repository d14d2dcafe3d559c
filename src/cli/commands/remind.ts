import { validateArchive } from '../../archive/archive.ts';
import { chineseDaysSource } from '../../calendar/chinese-days.ts';
import { workingCalendar } from '../../core/calendar.ts';
import { REMINDER_KIND_LABELS, remindersInEffect } from '../../reminders/due-reminders.ts';
import { RemindersSetupError, runReminders } from '../../reminders/run-reminders.ts';
import { EXIT, printJson, UsageError, type Command, type CommandContext } from '../command.ts';
import { githubFromEnvironment } from '../github-context.ts';
import { printProblems } from '../valid-archive.ts';

/**
 * `complaints remind`: the hourly SLA reminders (issue 5 item 5) — posts every reminder that came into
 * effect since the last run on the complaints' tracking issues and rewrites the dashboard issue
 * (GITHUB_TOKEN, GITHUB_REPOSITORY, GITHUB_API_URL). `--dry-run` lists the reminders in effect at
 * `--now` without GitHub. Exits 1 when a reminder could not be posted (the next run retries it).
 */
export const remindCommand: Command = {
  summary: 'post due-soon, overdue, 督办 and reporting reminders; update the dashboard issue（时限提醒）',
  usage: 'complaints remind [--dry-run] [--root DIR] [--json] [--now ISO-TIME]',
  options: {
    'dry-run': { type: 'boolean', default: false },
  },
  async run(context, values) {
    if (values['dry-run'] === true) return dryRun(context);
    try {
      const result = await runReminders({ root: context.root, port: githubFromEnvironment(context), now: context.now, log: (line) => context.stderr(`${line}\n`) });
      if (context.json) printJson(context, result);
      else
        context.stdout(
          `${result.posted.length} reminder(s) posted, ${result.alreadyPosted.length} already there, ${result.failed.length} failed; dashboard #${result.dashboard}（发出 ${result.posted.length} 条提醒）\n`,
        );
      return result.failed.length > 0 ? EXIT.problems : EXIT.ok;
    } catch (cause) {
      if (cause instanceof RemindersSetupError) throw new UsageError(cause.message);
      throw cause;
    }
  },
};

async function dryRun(context: CommandContext): Promise<number> {
  const archive = await validateArchive(context.root);
  if (!archive.org) return printProblems(context, archive.problems);
  const calendar = workingCalendar(archive.org, chineseDaysSource);
  const reminders = remindersInEffect(
    archive.complaints.map((complaint) => complaint.data),
    archive.org,
    calendar,
    context.now,
  );
  if (context.json) printJson(context, { now: context.now.toISOString(), reminders });
  else {
    if (reminders.length === 0) context.stdout('no reminders in effect（当前没有需要提醒的事项）\n');
    for (const item of reminders) context.stdout(`${item.id}${item.issue !== undefined ? ` #${item.issue}` : ''}: ${REMINDER_KIND_LABELS[item.kind]} ${item.clock ?? item.duty} → ${item.audience.join(', ')} (${item.key})\n`);
  }
  return EXIT.ok;
}
