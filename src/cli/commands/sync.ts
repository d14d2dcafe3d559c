import { GitReadError } from '../../git/complaint-diff.ts';
import { readSyncEvent, type SyncEvent } from '../../sync/push-event.ts';
import { EventFileError } from '../../github/webhook-event.ts';
import { planRange, runSync, SyncSetupError, type SyncResult } from '../../sync/run-sync.ts';
import type { SyncPlan } from '../../sync/sync-plan.ts';
import { EXIT, printJson, stringOption, UsageError, type Command, type CommandContext } from '../command.ts';
import { githubFromEnvironment, readEventFile } from '../github-context.ts';

/**
 * `complaints sync`: brings the tracking issues of the complaints a push changed up to date (issue 5
 * item 4) — a public comment, labels that follow the state, the issue closed or reopened with the
 * complaint. In the workflow, `--event "$GITHUB_EVENT_PATH"`: it syncs from the last commit it recorded
 * as synced to this run's commit (see src/sync/run-sync.ts). By hand, `--base REF --head REF` syncs
 * exactly that range; with `--dry-run` it only prints what it would do, without GitHub. Exits 1 when
 * an issue could not be updated (the record then stays, so the next run retries).
 */
export const syncCommand: Command = {
  summary: 'sync tracking issues with pushed complaint changes: comments, labels, close/reopen（同步投诉议题）',
  usage: 'complaints sync (--event FILE | --base REF [--head REF]) [--dry-run] [--root DIR] [--json]',
  options: {
    event: { type: 'string' },
    base: { type: 'string' },
    head: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
  async run(context, values) {
    const eventFile = stringOption(values, 'event');
    const base = stringOption(values, 'base');
    const head = stringOption(values, 'head');
    const dryRun = values['dry-run'] === true;
    if (eventFile !== undefined && base !== undefined) throw new UsageError('give either --event or --base, not both（--event 与 --base 不能同时使用）');
    if (eventFile === undefined && base === undefined) throw new UsageError('give --event FILE or --base REF（请指定 --event 或 --base）');
    let event: SyncEvent | undefined;
    if (eventFile !== undefined) {
      try {
        event = readSyncEvent(await readEventFile(eventFile));
      } catch (cause) {
        if (cause instanceof EventFileError) throw new UsageError(cause.message);
        throw cause;
      }
    }
    try {
      if (dryRun) {
        if (base === undefined) throw new UsageError('--dry-run needs --base REF (the record lives on GitHub)（预览需要 --base）');
        const plan = await planRange(context.root, base, head ?? 'HEAD');
        printPlan(context, plan);
        return EXIT.ok;
      }
      const result = await runSync(
        { root: context.root, port: githubFromEnvironment(context), log: (line) => context.stderr(`${line}\n`) },
        { ...(base !== undefined ? { base } : {}), ...(head !== undefined ? { head } : {}), ...(event ? { event } : {}) },
      );
      printResult(context, result);
      return result.outcomes.some((outcome) => outcome.outcome === 'failed') ? EXIT.problems : EXIT.ok;
    } catch (cause) {
      if (cause instanceof GitReadError || cause instanceof SyncSetupError) throw new UsageError(cause.message);
      throw cause;
    }
  },
};

function printPlan(context: CommandContext, plan: SyncPlan): void {
  if (context.json) return printJson(context, plan);
  if (plan.updates.length === 0) context.stdout('nothing to sync（没有需要同步的议题）\n');
  for (const update of plan.updates) {
    context.stdout(`#${update.issue} ${update.id}: labels ${update.labels.map((label) => label.name).join(', ')}${update.issueState ? `; ${update.issueState === 'closed' ? 'close' : 'reopen'}` : ''}\n`);
    if (update.comment) context.stdout(`${update.comment.text.split('\n').map((line) => `    ${line}`).join('\n')}\n`);
  }
  for (const skip of plan.skipped) context.stdout(`${skip.path}: skipped: ${skip.reason}\n`);
}

function printResult(context: CommandContext, result: SyncResult): void {
  if (context.json) return printJson(context, result);
  if (result.notice) context.stdout(`${result.notice}\n`);
  for (const outcome of result.outcomes) {
    const detail = 'error' in outcome ? outcome.error : [outcome.commented ? 'commented' : '', outcome.labelled ? 'labelled' : '', outcome.state ?? ''].filter(Boolean).join(', ') || 'up to date';
    context.stdout(`#${outcome.issue} ${outcome.id}: ${outcome.outcome} (${detail})\n`);
  }
  if (result.outcomes.length === 0 && !result.notice) context.stdout('nothing to sync（没有需要同步的议题）\n');
}
