import { simpleGit } from 'simple-git';
import { loadArchive, serializeComplaint } from '../archive/archive.ts';
import { chineseDaysSource } from '../calendar/chinese-days.ts';
import { workingCalendar, type WorkingCalendar } from '../core/calendar.ts';
import { clocksOf } from '../core/clocks.ts';
import { checkDraft, draftComplaint, registrationTime, withId, yearOfReceipt } from '../core/complaint/new-complaint.ts';
import { nextComplaintId } from '../core/complaint/paths.ts';
import type { Complaint, ComplaintData } from '../core/complaint/schema.ts';
import { recipientsFor } from '../core/org/recipients.ts';
import type { Org } from '../core/org/schema.ts';
import { takenComplaintIds } from '../git/allocation.ts';
import { ComplaintPushError } from '../git/complaint-registry.ts';
import { gitComplaintRegistry, type GitRegistryOptions } from '../git/git-complaint-registry.ts';
import { encryptContact } from '../privacy/contact.ts';
import { botComments, upsertBotComment } from '../github/bot-comments.ts';
import {
  BASE_LABELS,
  CATEGORY_GUESS_LABEL,
  COMPLAINT_FILE_LABEL_PREFIXES,
  COMPLAINT_LABEL,
  complaintLabels,
  hasStateLabel,
  NEEDS_INFORMATION_LABEL,
  PERSONAL_DATA_LABEL,
  POSSIBLE_DUPLICATE_LABEL,
} from '../github/complaint-labels.ts';
import { GitHubCallError, type GitHubIssue, type GitHubPort } from '../github/github-port.ts';
import { applyLabels, ensureLabels, nextLabels } from '../github/labels.ts';
import type { WorkflowEvent } from '../github/webhook-event.ts';
import { WORKFLOWS_AFTER_INTAKE } from '../github/workflows.ts';
import { accountOf } from './complaint-body.ts';
import {
  INTAKE_COMMENT_KINDS,
  needsInformationComment,
  personalDataComment,
  registeredComment,
  resolvedNeedsInformationComment,
} from './intake-comments.ts';
import { findOrFileCopy, refiledFrom } from './personal-data-refile.ts';
import { possibleDuplicates, type DuplicateCandidate } from './possible-duplicates.ts';
import { readComplaintIssue, type IntakeRegistration } from './read-complaint-issue.ts';
import { redactPersonalData } from './redaction.ts';
import { cleanText } from './untrusted-text.ts';
import { complaintOfIssue, dropUnpushedRegistration, IssueAlreadyArchivedError, isIssueArchivedIn, refreshWorkingCopy } from './working-copy.ts';

/**
 * Intake (issue 5 items 2, 9, 11): one complaint issue in, one complaint file committed and pushed,
 * the tracking number and time limits commented, labels and assignees set. The shell around the pure
 * reading in `read-complaint-issue.ts`.
 *
 * Never losing an issue: the file is pushed before anything is said on the issue, and a run whose
 * push did not land fails (and takes its local commit back) instead of pretending; the sweep later
 * picks up every open complaint issue without a file or without its state label. Never doing it
 * twice: an issue whose file exists is not archived again — also when two runs race, because the
 * check is repeated inside each registration attempt on top of the upstream — and every comment is
 * one marked comment, edited rather than repeated. Finishing (comments, assignees, labels) ends with
 * the state label, so an issue that has one is complete. With an App token (`appPort`), an issue with
 * personal data gets its redacted copy before the push — the file must point at it — and is deleted
 * only once the copy is archived and finished; a later run finds the copy by its marker.
 */

export interface IntakeContext {
  /** The working copy (a clone with an upstream) holding content/. */
  root: string;
  port: GitHubPort;
  now: Date;
  /** Passed to the Git registry: attempts, jitter, waits. */
  registry?: GitRegistryOptions;
  /** One line per notable step, English with zh-CN, for the run's log. */
  log?: (line: string) => void;
  /**
   * A port on the organisation's App token allowed to delete issues (COMPLAINTS_APP_TOKEN). When
   * present, an issue with personal data is re-filed as a redacted copy that mentions the
   * complainant, archived against the copy, and deleted (issue 5 item 11; see personal-data-refile.ts).
   */
  appPort?: GitHubPort;
}

export type IntakeOutcome =
  | { issue: number; outcome: 'registered'; id: string; path: string; attempts: number }
  | { issue: number; outcome: 'already_registered'; id: string; finished: boolean }
  | { issue: number; outcome: 'needs_information'; problems: string[] }
  | { issue: number; outcome: 'skipped'; reason: string }
  | { issue: number; outcome: 'failed'; error: string; id?: string };

/** Raised when intake is run somewhere it cannot keep its promise (not a Git working copy). */
export class IntakeSetupError extends Error {
  override readonly name = 'IntakeSetupError';
}

/** Raised when a registration did not reach the shared archive. */
export class IntakePushError extends Error {
  override readonly name = 'IntakePushError';
}

interface ArchiveView {
  org: Org;
  calendar: WorkingCalendar;
  complaints: Complaint[];
}

async function readArchiveView(root: string): Promise<ArchiveView> {
  const archive = await loadArchive(root);
  return { org: archive.org, calendar: workingCalendar(archive.org, chineseDaysSource), complaints: archive.complaints };
}

/** How intake treats a complaint file that already exists for the issue. */
export interface IntakeOptions {
  /** The issue as just listed, to save a request. */
  issue?: GitHubIssue;
  /** Re-post missing comments, labels and assignees of an issue already archived (the sweep, an `opened` redelivery). */
  finishExisting?: boolean;
}

/** Intake for one issue. Never throws for a single issue's trouble: a failure is an outcome. */
export async function intakeIssue(context: IntakeContext, issueNumber: number, options: IntakeOptions = {}): Promise<IntakeOutcome> {
  const log = context.log ?? (() => undefined);
  try {
    return await intakeIssueOrThrow(context, issueNumber, options);
  } catch (cause) {
    const message = (cause as Error).message;
    log(`issue #${issueNumber}: intake failed: ${message}（登记失败）`);
    return { issue: issueNumber, outcome: 'failed', error: message };
  }
}

async function intakeIssueOrThrow(context: IntakeContext, issueNumber: number, options: IntakeOptions): Promise<IntakeOutcome> {
  const { port, root } = context;
  const log = context.log ?? (() => undefined);
  let issue: GitHubIssue;
  try {
    issue = options.issue ?? (await port.getIssue(issueNumber));
  } catch (cause) {
    // 410 Gone: deleted (re-filed without personal data, or by a person); there is nothing left to archive.
    if (cause instanceof GitHubCallError && (cause.status === 404 || cause.status === 410))
      return { issue: issueNumber, outcome: 'skipped', reason: `the issue no longer exists (HTTP ${cause.status})` };
    throw cause;
  }
  if (issue.isPullRequest) return { issue: issueNumber, outcome: 'skipped', reason: 'a pull request, not an issue' };
  if (!issue.labels.includes(COMPLAINT_LABEL)) return { issue: issueNumber, outcome: 'skipped', reason: `no "${COMPLAINT_LABEL}" label` };
  if (!(await simpleGit({ baseDir: root }).checkIsRepo().catch(() => false)))
    throw new IntakeSetupError(`${root} is not a Git working copy: intake commits and pushes every complaint（登记需要在 Git 工作副本中运行）`);

  await refreshWorkingCopy(root);
  const view = await readArchiveView(root);
  const existing = complaintOfIssue(view.complaints, issueNumber);
  if (existing) {
    if (options.finishExisting) await finishIssue(context, issue, existing.data, view);
    return { issue: issueNumber, outcome: 'already_registered', id: existing.data.id, finished: options.finishExisting === true };
  }
  const original = refiledFrom(issue);
  if (original !== undefined) return { issue: issueNumber, outcome: 'skipped', reason: `a redacted copy of #${original}, archived by the intake of #${original}` };

  const reading = readComplaintIssue(issue, view.org, context.now);
  if (!reading.ok) {
    await reportProblems(context, issue, reading.problems, reading.personalData.length > 0);
    log(`issue #${issueNumber}: ${reading.problems.length} problem(s), asked the author to edit the issue（已请投诉人补充信息）`);
    return { issue: issueNumber, outcome: 'needs_information', problems: reading.problems };
  }

  const draft = await draftFor(issue, reading, view, root, context.now);
  const check = checkDraft(draft, view.org);
  if (!check.complaint) {
    const problems = check.problems.map((problem) => problem.message);
    await reportProblems(context, issue, problems, false);
    return { issue: issueNumber, outcome: 'needs_information', problems };
  }
  // With an App token, the file points at the redacted copy, which is finished instead of the original.
  const target = context.appPort && reading.personalData.length > 0 ? await findOrFileCopy(port, context.appPort, issue) : issue;
  const complaint = target === issue ? check.complaint : { ...check.complaint, data: { ...check.complaint.data, source: { ...check.complaint.data.source, issue: target.number, url: target.htmlUrl } } };
  if (target !== issue) {
    log(`issue #${issueNumber}: personal data found, the redacted copy is #${target.number}（含个人信息，已重新发布为 #${target.number}）`);
    const archived = complaintOfIssue(view.complaints, target.number);
    if (archived) {
      await finishIssue(context, target, archived.data, view, reading);
      await deleteOriginal(context, issue.number);
      return { issue: issueNumber, outcome: 'already_registered', id: archived.data.id, finished: true };
    }
  }
  const folder = complaint.path.slice(0, complaint.path.lastIndexOf('/'));
  const registry = gitComplaintRegistry(root, context.registry);
  let registration;
  try {
    registration = await registry.register({
      year: yearOfReceipt(complaint.data.received_at, view.org.timezone),
      fileFor(id) {
        if (isIssueArchivedIn(root, folder, target.number)) throw new IssueAlreadyArchivedError(target.number);
        const renumbered = withId(complaint, id, view.org.timezone);
        return { path: renumbered.path, text: serializeComplaint(renumbered.data, renumbered.body) };
      },
    });
  } catch (cause) {
    if (cause instanceof IssueAlreadyArchivedError || (cause as Error).cause instanceof IssueAlreadyArchivedError) {
      log(`issue #${issueNumber}: another run archived it first; nothing to do（已由另一次运行登记）`);
      const again = complaintOfIssue((await readArchiveView(root)).complaints, target.number);
      return { issue: issueNumber, outcome: 'already_registered', id: again?.data.id ?? '', finished: false };
    }
    if (cause instanceof ComplaintPushError) {
      await dropUnpushedRegistration(root, cause.registration.id);
      throw new IntakePushError(`the push of ${cause.registration.id} did not land, nothing was archived: ${cause.message}`);
    }
    throw cause;
  }
  if (!registration.pushed) {
    await dropUnpushedRegistration(root, registration.id);
    throw new IntakePushError(`${registration.notice ?? 'the registration was not pushed'}; nothing was archived（未推送到共享档案，未登记）`);
  }
  log(`issue #${issueNumber}: registered ${registration.id} (${registration.path}), pushed on attempt ${registration.attempts}（已登记 ${registration.id}）`);
  const data = withId(complaint, registration.id, view.org.timezone).data;
  try {
    await finishIssue(context, target, data, view, reading);
    if (target !== issue) await deleteOriginal(context, issue.number);
  } catch (cause) {
    throw new Error(`archived as ${registration.id}, but the issue could not be updated (the sweep will finish it): ${(cause as Error).message}`);
  }
  return { issue: issueNumber, outcome: 'registered', id: registration.id, path: registration.path, attempts: registration.attempts };
}

/** Deletes an issue whose redacted copy is archived and finished, with the App token. */
async function deleteOriginal(context: IntakeContext, issueNumber: number): Promise<void> {
  await context.appPort!.deleteIssue(issueNumber);
  context.log?.(`issue #${issueNumber}: deleted, edit history included（原议题已删除）`);
}

/** The draft of the complaint the issue becomes: registration, encrypted original, source and note. */
async function draftFor(issue: GitHubIssue, reading: IntakeRegistration, view: ArchiveView, root: string, now: Date) {
  const { org } = view;
  const year = yearOfReceipt(registrationTime(reading.registration, org, now), org.timezone);
  const contact = reading.personalData.length > 0 ? await encryptContact({ original: reading.original }, recipientsFor(org, year)) : undefined;
  const provisionalId = nextComplaintId(year, await takenComplaintIds(root));
  const draft = draftComplaint(reading.registration, { org, id: provisionalId, now, ...(contact ? { contact } : {}) });
  draft.data.source = { ...draft.data.source, issue: issue.number, url: issue.htmlUrl };
  // What the issue said (chosen or guessed) stays when a handler corrects the category (SPEC §3).
  draft.data.reported_category = reading.registration.reportedCategory;
  const [received, ...rest] = draft.data.events;
  draft.data.events = [{ ...received!, note: reading.receivedNote }, ...rest];
  return draft;
}

/** One comment listing every problem (edited in place on later runs) and the needs-information label. */
async function reportProblems(context: IntakeContext, issue: GitHubIssue, problems: readonly string[], personalData: boolean): Promise<void> {
  const { port } = context;
  await upsertBotComment(port, issue.number, INTAKE_COMMENT_KINDS.needsInformation, needsInformationComment(problems));
  const wanted = [NEEDS_INFORMATION_LABEL, ...(personalData ? [PERSONAL_DATA_LABEL] : [])];
  const next = [...new Set([...issue.labels, ...wanted])];
  await applyLabels(port, issue.number, issue.labels, next, BASE_LABELS);
}

/** The department's handlers, who are assigned to the issue. */
function handlersOf(org: Org, complaint: ComplaintData): string[] {
  return org.departments.find((department) => department.key === complaint.department)?.handlers ?? [];
}

/**
 * Says on the issue what its file says (idempotent; see the module comment for the order): the
 * tracking-number comment, the needs-information comment marked resolved, the personal-data notice
 * and redaction of the page, assignees, and finally the labels, the state label last of all.
 */
async function finishIssue(context: IntakeContext, issue: GitHubIssue, complaint: ComplaintData, view: ArchiveView, fresh?: IntakeRegistration): Promise<void> {
  const { port, now } = context;
  const { org, calendar } = view;
  // Read the issue again when it was registered before: how the category was decided, for the comment.
  const reading = fresh ?? (() => {
    const again = readComplaintIssue(issue, org, now);
    return again.ok ? again : undefined;
  })();
  const duplicates: DuplicateCandidate[] = possibleDuplicates(
    {
      id: complaint.id,
      project: complaint.project,
      category: complaint.category,
      receivedAt: complaint.received_at,
      title: complaint.title,
      account: accountOf(reading?.registration.body ?? ''),
    },
    view.complaints,
  );
  const comments = await port.listComments(issue.number);
  const clocks = clocksOf(complaint, org, calendar, now).filter((clock) => clock.running);
  await upsertBotComment(
    port,
    issue.number,
    INTAKE_COMMENT_KINDS.registered,
    registeredComment({
      complaint,
      org,
      clocks,
      ...(reading ? { category: reading.category, urgencyKeywords: reading.urgencyKeywords } : {}),
      duplicates,
      staff: reading?.form === 'staff',
    }),
    comments,
  );
  if (botComments(comments, INTAKE_COMMENT_KINDS.needsInformation).length > 0)
    await upsertBotComment(port, issue.number, INTAKE_COMMENT_KINDS.needsInformation, resolvedNeedsInformationComment(complaint.id), comments);

  const title = redactPersonalData(cleanText(issue.title));
  const body = redactPersonalData(cleanText(issue.body));
  const personalData = [...title.kinds, ...body.kinds];
  if (personalData.length > 0) {
    await upsertBotComment(port, issue.number, INTAKE_COMMENT_KINDS.personalData, personalDataComment(personalData, org.supervisors), comments);
    await port.updateIssue(issue.number, { ...(title.kinds.length > 0 ? { title: title.text } : {}), ...(body.kinds.length > 0 ? { body: body.text } : {}) });
  }

  const handlers = handlersOf(org, complaint).filter((handle) => !issue.assignees.includes(handle));
  if (handlers.length > 0) await port.addAssignees(issue.number, handlers);

  const fileLabels = complaintLabels(complaint, org);
  const flags = [
    ...(reading && reading.category.basis !== 'chosen' && complaint.category === complaint.reported_category ? [CATEGORY_GUESS_LABEL] : []),
    ...(duplicates.length > 0 ? [POSSIBLE_DUPLICATE_LABEL] : []),
    ...(personalData.length > 0 ? [PERSONAL_DATA_LABEL] : []),
  ];
  const next = nextLabels(issue.labels, [...flags, ...fileLabels.map((label) => label.name)], {
    prefixes: COMPLAINT_FILE_LABEL_PREFIXES,
    names: [NEEDS_INFORMATION_LABEL],
  });
  await applyLabels(port, issue.number, issue.labels, next, [...fileLabels, ...BASE_LABELS]);
}

/**
 * The sweep (issue 5 item 9): every open complaint issue without a file, or whose finishing never
 * completed (no state label), goes through intake again. Scheduled and on manual dispatch, so an
 * issue whose run was dropped, cancelled or failed is archived at the latest by the next sweep. It
 * also creates the base labels a fresh repository lacks.
 */
export async function intakeSweep(context: IntakeContext): Promise<IntakeOutcome[]> {
  const { port, root } = context;
  await ensureLabels(port, BASE_LABELS);
  const issues = (await port.listOpenIssues([COMPLAINT_LABEL])).sort((a, b) => a.number - b.number);
  await refreshWorkingCopy(root);
  const archived = new Set((await readArchiveView(root)).complaints.flatMap((complaint) => (complaint.data.source?.issue === undefined ? [] : [complaint.data.source.issue])));
  const outcomes: IntakeOutcome[] = [];
  for (const issue of issues) {
    if (archived.has(issue.number) && hasStateLabel(issue.labels)) continue;
    outcomes.push(await intakeIssue(context, issue.number, { issue, finishExisting: true }));
  }
  return outcomes;
}

/**
 * Intake for what started the workflow run: an issue opened, reopened, edited, or given the
 * complaint label; a schedule or a manual dispatch runs the sweep. An edit re-runs intake only for
 * an issue without a file (one that was asked for more information), so a complainant editing after
 * registration changes nothing in the archive; handlers do that in pull requests.
 */
export async function intakeForEvent(context: IntakeContext, event: WorkflowEvent): Promise<IntakeOutcome[]> {
  switch (event.kind) {
    case 'schedule':
    case 'dispatch':
      return intakeSweep(context);
    case 'other':
      return [];
    case 'issue': {
      if (event.isPullRequest) return [{ issue: event.issueNumber, outcome: 'skipped', reason: 'a pull request, not an issue' }];
      if (event.action === 'opened' || event.action === 'reopened') return [await intakeIssue(context, event.issueNumber, { finishExisting: true })];
      if (event.action === 'edited') return [await intakeIssue(context, event.issueNumber)];
      if (event.action === 'labeled' && event.labelName === COMPLAINT_LABEL) return [await intakeIssue(context, event.issueNumber)];
      return [{ issue: event.issueNumber, outcome: 'skipped', reason: `nothing to do for "${event.action}"` }];
    }
  }
}

/**
 * Starts the workflows that must follow intake's commits (the board deploy): pushes made with
 * GITHUB_TOKEN start no workflows (issue 5 item 10). Returns the failures as messages; a failed
 * dispatch leaves the complaint archived and the board one deploy behind.
 */
export async function dispatchAfterIntake(port: GitHubPort, ref: string, outcomes: readonly IntakeOutcome[]): Promise<string[]> {
  if (!outcomes.some((outcome) => outcome.outcome === 'registered')) return [];
  const failures: string[] = [];
  for (const workflow of WORKFLOWS_AFTER_INTAKE) {
    try {
      await port.dispatchWorkflow(workflow, ref);
    } catch (cause) {
      failures.push(`could not dispatch ${workflow}: ${(cause as Error).message}（未能触发 ${workflow}）`);
    }
  }
  return failures;
}
