import { githubFromEnvironment, readEventFile } from '../github-context.ts';
import { EventFileError, readWorkflowEvent } from '../../github/webhook-event.ts';
import { dispatchAfterIntake, intakeForEvent, intakeIssue, intakeSweep, type IntakeOutcome } from '../../intake/run-intake.ts';
import { EXIT, printJson, stringOption, UsageError, type Command } from '../command.ts';

/** The branch the board deploy is dispatched on when GITHUB_REF_NAME does not say. */
const DEFAULT_DISPATCH_REF = 'main';

function describeOutcome(outcome: IntakeOutcome): string {
  switch (outcome.outcome) {
    case 'registered':
      return `#${outcome.issue}: registered ${outcome.id} (${outcome.path})（已登记）`;
    case 'already_registered':
      return `#${outcome.issue}: already registered as ${outcome.id}${outcome.finished ? ', issue brought up to date' : ''}（此前已登记）`;
    case 'needs_information':
      return `#${outcome.issue}: not registered, ${outcome.problems.length} problem(s) commented（待补充信息）`;
    case 'skipped':
      return `#${outcome.issue}: skipped: ${outcome.reason}（跳过）`;
    case 'failed':
      return `#${outcome.issue}: FAILED: ${outcome.error}（登记失败）`;
  }
}

/**
 * `complaints intake`: GitHub issues into complaint files (issue 5 items 2, 9, 10), as the intake
 * workflow runs it — `--event "$GITHUB_EVENT_PATH"` for whatever started the run (an issue event, or
 * the schedule and manual dispatch, which sweep) — or by hand with `--issue N` or `--sweep`.
 *
 * Reads GITHUB_TOKEN, GITHUB_REPOSITORY (`owner/name`) and GITHUB_API_URL from the environment (and
 * COMPLAINTS_APP_TOKEN, an App token allowed to delete issues, when the organisation has one), and
 * commits and pushes in `--root`, which must be a clone with an upstream. After archiving anything it
 * dispatches the board deploy (pushes with GITHUB_TOKEN start no workflows) on GITHUB_REF_NAME.
 * Exits 1 when any issue failed — a push that did not land is a failure — so the run shows red and
 * the sweep retries; 2 on bad usage.
 */
export const intakeCommand: Command = {
  summary: 'register complaint issues from GitHub: one event, one issue, or a sweep（网上投诉登记）',
  usage: 'complaints intake (--event FILE | --issue N | --sweep) [--skip-dispatch] [--root DIR] [--json] [--now ISO-TIME]',
  options: {
    event: { type: 'string' },
    issue: { type: 'string' },
    sweep: { type: 'boolean', default: false },
    'skip-dispatch': { type: 'boolean', default: false },
  },
  async run(context, values) {
    const eventFile = stringOption(values, 'event');
    const issueText = stringOption(values, 'issue');
    const sweep = values.sweep === true;
    const chosen = [eventFile !== undefined, issueText !== undefined, sweep].filter(Boolean).length;
    if (chosen !== 1) throw new UsageError('give exactly one of --event FILE, --issue N or --sweep（请指定 --event、--issue 或 --sweep 之一）');
    if (issueText !== undefined && !/^[1-9]\d*$/.test(issueText)) throw new UsageError(`--issue must be an issue number, found "${issueText}"`);

    const port = githubFromEnvironment(context);
    // Issue 5 item 11: an App token allowed to delete issues turns on re-filing issues with personal data.
    const appToken = context.env.COMPLAINTS_APP_TOKEN;
    const intake = {
      root: context.root,
      port,
      now: context.now,
      registry: { env: context.env },
      log: (line: string) => context.stderr(`${line}\n`),
      ...(appToken ? { appPort: githubFromEnvironment(context, appToken) } : {}),
    };

    let outcomes: IntakeOutcome[];
    if (eventFile !== undefined) {
      const text = await readEventFile(eventFile);
      try {
        outcomes = await intakeForEvent(intake, readWorkflowEvent(text));
      } catch (cause) {
        if (cause instanceof EventFileError) throw new UsageError(cause.message);
        throw cause;
      }
    } else if (issueText !== undefined) outcomes = [await intakeIssue(intake, Number(issueText), { finishExisting: true })];
    else outcomes = await intakeSweep(intake);

    const warnings = values['skip-dispatch'] === true ? [] : await dispatchAfterIntake(port, context.env.GITHUB_REF_NAME || DEFAULT_DISPATCH_REF, outcomes);
    for (const warning of warnings) context.stderr(`warning: ${warning}\n`);
    const failed = outcomes.filter((outcome) => outcome.outcome === 'failed');
    if (context.json) printJson(context, { ok: failed.length === 0, outcomes, warnings });
    else {
      for (const outcome of outcomes) context.stdout(`${describeOutcome(outcome)}\n`);
      if (outcomes.length === 0) context.stdout('nothing to do（没有需要登记的议题）\n');
    }
    return failed.length > 0 ? EXIT.problems : EXIT.ok;
  },
};
