import { ORG_FILE } from '../../archive/archive.ts';
import { chineseDaysSource } from '../../calendar/chinese-days.ts';
import { checkPullRequest, type CheckReport } from '../../check/pull-request-check.ts';
import { PullRequestEventError, readPullRequestEvent } from '../../check/pull-request-event.ts';
import { CHECK_COMMENT_KIND, checkSummaryComment } from '../../check/summary-comment.ts';
import { upsertBotComment } from '../../github/bot-comments.ts';
import { changedComplaintFiles, complaintFilesAt, fileAt, GitReadError, mergeBase, resolveCommit } from '../../git/complaint-diff.ts';
import { EXIT, printJson, stringOption, UsageError, type Command, type CommandContext } from '../command.ts';
import { githubFromEnvironment, readEventFile } from '../github-context.ts';
import { formatProblem } from '../output.ts';

/**
 * `complaints check`: the pull-request check (issue 5 item 3) on any Git repository — the base and
 * head commits from `--base`/`--head`, or from the `pull_request` payload with `--event`. Changes are
 * measured from the merge base, as GitHub shows a pull request's diff. Prints the zh-CN summary (or
 * the report with --json); with a pull request number (`--pr`, or the payload's) it also posts the
 * summary as one comment on the pull request, edited on every run. Exits 1 when anything is refused.
 * A comment that cannot be posted (a fork's read-only token) is a warning: the exit code is the check.
 */
export const checkCommand: Command = {
  summary: 'check a pull request: files, transitions, deletions, immutable fields, permissions（合并请求检查）',
  usage: 'complaints check (--base REF --head REF [--author LOGIN] [--pr N] | --event FILE) [--root DIR] [--json] [--now ISO-TIME]',
  options: {
    base: { type: 'string' },
    head: { type: 'string' },
    author: { type: 'string' },
    pr: { type: 'string' },
    event: { type: 'string' },
  },
  async run(context, values) {
    const eventFile = stringOption(values, 'event');
    let base = stringOption(values, 'base');
    let head = stringOption(values, 'head');
    let author = stringOption(values, 'author');
    const prText = stringOption(values, 'pr');
    if (prText !== undefined && !/^[1-9]\d*$/.test(prText)) throw new UsageError(`--pr must be a pull request number, found "${prText}"`);
    let pullRequest = prText === undefined ? undefined : Number(prText);
    if (eventFile !== undefined) {
      if (base !== undefined || head !== undefined) throw new UsageError('give either --event or --base/--head, not both（--event 与 --base/--head 不能同时使用）');
      try {
        const event = readPullRequestEvent(await readEventFile(eventFile));
        base = event.baseSha;
        head = event.headSha;
        author ??= event.author;
        pullRequest ??= event.number;
      } catch (cause) {
        if (cause instanceof PullRequestEventError) throw new UsageError(cause.message);
        throw cause;
      }
    }
    if (base === undefined || head === undefined) throw new UsageError('give --base REF and --head REF, or --event FILE（请指定 --base 与 --head）');

    let report: CheckReport;
    try {
      report = await checkCommits(context, base, head, author);
    } catch (cause) {
      if (cause instanceof GitReadError) throw new UsageError(cause.message);
      throw cause;
    }
    const summary = checkSummaryComment(report);
    const warnings: string[] = [];
    if (pullRequest !== undefined) {
      try {
        await upsertBotComment(githubFromEnvironment(context), pullRequest, CHECK_COMMENT_KIND, summary);
      } catch (cause) {
        if (cause instanceof UsageError) throw cause;
        warnings.push(`could not post the summary on #${pullRequest}: ${(cause as Error).message}（未能发表检查结果评论）`);
      }
    }
    for (const warning of warnings) context.stderr(`warning: ${warning}\n`);
    if (context.json) printJson(context, { ...report, warnings });
    else {
      context.stdout(`${summary}\n`);
      for (const problem of report.problems) context.stderr(`${formatProblem(problem)}\n`);
    }
    return report.ok ? EXIT.ok : EXIT.problems;
  },
};

/** Reads both sides of the change from Git and runs the check. */
async function checkCommits(context: CommandContext, baseRef: string, headRef: string, author: string | undefined): Promise<CheckReport> {
  const root = context.root;
  const baseCommit = await resolveCommit(root, baseRef);
  const head = await resolveCommit(root, headRef);
  const from = (await mergeBase(root, baseCommit, head)) ?? baseCommit;
  const changes = await changedComplaintFiles(root, from, head);
  const changed = new Set(changes.map((change) => change.path));
  const unchanged = (await complaintFilesAt(root, head)).filter((file) => !changed.has(file.path));
  const orgBase = await fileAt(root, from, ORG_FILE);
  const orgHead = await fileAt(root, head, ORG_FILE);
  return checkPullRequest({
    changes,
    unchanged,
    org: { ...(orgBase ? { base: orgBase } : {}), ...(orgHead ? { head: orgHead } : {}) },
    ...(author ? { author } : {}),
    holidays: chineseDaysSource,
    now: context.now,
  });
}
