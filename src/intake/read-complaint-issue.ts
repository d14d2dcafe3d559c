import { InvalidInstantError, resolveInstant, yearOfReceipt, type RegistrationInput } from '../core/complaint/new-complaint.ts';
import { recipientsFor } from '../core/org/recipients.ts';
import type { PersonalDataKind } from '../core/pii.ts';
import type { Org } from '../core/org/schema.ts';
import type { Channel, Urgency } from '../core/org/vocabulary.ts';
import { STAFF_REGISTRATION_LABEL } from '../github/complaint-labels.ts';
import type { AuthorAssociation, GitHubIssue } from '../github/github-port.ts';
import { fallbackCategory, guessCategory, urgentKeywords } from './category-guess.ts';
import { complaintBody } from './complaint-body.ts';
import {
  ANONYMOUS_OPTIONS,
  categoryChoices,
  channelChoices,
  formLabels,
  projectChoices,
  UNSURE_OPTION,
  URGENCY_OPTIONS,
  VISIT_OPTIONS,
  type Choice,
  type FieldId,
  type FormKind,
} from './form-fields.ts';
import { FORM_TITLE_PREFIXES, formTemplateText } from './issue-forms.ts';
import { readIssueForm } from './read-issue-form.ts';
import { describeKinds, redactPersonalData } from './redaction.ts';
import { cleanLine, cleanText, truncateLine } from './untrusted-text.ts';

/**
 * Reads a complaint issue into what `draftComplaint` registers, or into the list of everything the
 * complainant must fix (issue 5 item 2). Pure: the issue, org.yaml and the time in; a registration
 * or problems out. Issue forms enforce `required` only on public repositories, and anyone can edit
 * an issue body into anything, so every field is checked again here. Problems are zh-CN sentences
 * addressed to the person who wrote the issue, one per thing to fix, all of them at once.
 */

/** GitHub's limit on an issue body, in characters: anything longer did not come from GitHub. */
export const MAX_ISSUE_BODY_LENGTH = 65_536;

/** complaintSchema: a title is at most 200 characters. */
export const MAX_TITLE_LENGTH = 200;

/** A title made from the text when the issue's title is only the form's prefix: the first words. */
export const DERIVED_TITLE_LENGTH = 30;

/** A collective complaint larger than this is a typing error, not a crowd (001 §4.6.3 counts from 10). */
export const MAX_COMPLAINANTS = 10_000;

/** How far in the future a staff-entered receipt time may lie (clock drift, a minute typed ahead). */
export const RECEIPT_TIME_TOLERANCE_MS = 10 * 60 * 1000;

/** `received_by` of complaints filed through the public form: received by the intake workflow, not by a person. */
export const ONLINE_INTAKE_HANDLE = 'issue-intake';

/** How long a value the complainant typed may be when a message quotes it. */
const QUOTED_VALUE_LENGTH = 40;

const HANDLE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/** Associations GitHub gives people with a role in the repository. */
const STAFF_ASSOCIATIONS: readonly AuthorAssociation[] = ['OWNER', 'MEMBER', 'COLLABORATOR'];

/** The parts of an issue intake reads. */
export type IssueForIntake = Pick<GitHubIssue, 'number' | 'title' | 'body' | 'author' | 'authorAssociation' | 'createdAt' | 'htmlUrl' | 'labels'>;

export interface CategoryReading {
  key: string;
  /** How the category was decided: chosen in the form, guessed from keywords, or the fallback. */
  basis: 'chosen' | 'keywords' | 'fallback';
  keywords: string[];
}

export interface IntakeRegistration {
  ok: true;
  form: FormKind;
  registration: RegistrationInput;
  category: CategoryReading;
  /** The urgent keywords that made an unsure complaint urgent. */
  urgencyKeywords: string[];
  /** Whether the complainant wants a follow-up visit (public form only). */
  visitWanted?: boolean;
  /** Personal data found and replaced, one entry per finding. */
  personalData: PersonalDataKind[];
  /** The raw title and body, to keep encrypted when personal data was replaced. */
  original: string;
  /** The internal note of the `received` event: how the issue was read. */
  receivedNote: string;
}

export interface IntakeRefusal {
  ok: false;
  form: FormKind;
  /** zh-CN, one sentence per problem. */
  problems: string[];
  personalData: PersonalDataKind[];
}

export type IntakeReading = IntakeRegistration | IntakeRefusal;

/** Which form an issue was written with: the staff form's label says so. */
export function formKindOf(issue: Pick<GitHubIssue, 'labels'>): FormKind {
  return issue.labels.includes(STAFF_REGISTRATION_LABEL) ? 'staff' : 'complaint';
}

/** Whether the author may use the staff form: named in org.yaml, or with a role in the repository. */
export function isStaffAuthor(issue: Pick<GitHubIssue, 'author' | 'authorAssociation'>, org: Pick<Org, 'departments' | 'supervisors' | 'leadership'>): boolean {
  const staff = new Set([...org.departments.flatMap((department) => department.handlers), ...org.supervisors, ...org.leadership].map((handle) => handle.toLowerCase()));
  return staff.has(issue.author.login.toLowerCase()) || STAFF_ASSOCIATIONS.includes(issue.authorAssociation);
}

/**
 * A value the complainant typed, as a message may quote it: one line, cut short, personal data
 * replaced, Markdown and @mentions neutralised so a quote can neither format nor notify anyone.
 */
export function quoteValue(text: string): string {
  const line = truncateLine(redactPersonalData(cleanLine(text)).text, QUOTED_VALUE_LENGTH);
  return `“${line.replace(/[\\`*_{}[\]()#+!|<>~]/g, '\\$&').replace(/@/g, '@\u200B')}”`;
}

function listTexts(choices: readonly { text: string }[]): string {
  return choices.map((choice) => choice.text).join('、');
}

/** Reads the issue; see the module comment. */
export function readComplaintIssue(issue: IssueForIntake, org: Org, now: Date): IntakeReading {
  const form = formKindOf(issue);
  const labels = formLabels(form);
  const label = (id: FieldId) => `“${labels[id] ?? id}”`;
  const refuse = (problems: string[], personalData: PersonalDataKind[] = []): IntakeRefusal => ({ ok: false, form, problems, personalData });

  if (form === 'staff' && !isStaffAuthor(issue, org))
    return refuse(['“线下投诉登记”表仅供工作人员使用，您的账号不在工作人员名单中。如需投诉，请使用“投诉”表单重新提交。']);
  if (issue.body.length > MAX_ISSUE_BODY_LENGTH)
    return refuse([`正文过长：共 ${issue.body.length} 个字符，超过 GitHub 议题的上限 ${MAX_ISSUE_BODY_LENGTH} 个字符。请删减后保存。`]);

  const answers = readIssueForm(issue.body, form, formTemplateText(org, form));
  if (!answers.recognised)
    return refuse([
      `正文没有按表单的格式填写（找不到${label('project')}${label('description')}等栏目）。请使用“投诉”表单重新提交，或按表单的栏目修改正文。`,
    ]);

  const problems: string[] = answers.repeatedHeadings.map((heading) => `栏目“${heading.label}”出现了 ${heading.count} 次，请只保留一个。`);
  const text = (id: FieldId): string | undefined => {
    const value = answers.values[id];
    const joined = Array.isArray(value) ? value.join(', ') : value;
    return joined === undefined || cleanText(joined).trim() === '' ? undefined : cleanText(joined).trim();
  };
  /** The key of the one option chosen in a dropdown; undefined when nothing (or "不确定") was chosen. */
  const choose = <T extends string>(id: FieldId, choices: readonly Choice<T>[], options: { required?: boolean; unsure?: boolean } = {}): T | undefined => {
    const raw = answers.values[id];
    const chosen = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((value) => cleanLine(value)).filter((value) => value !== '');
    if (chosen.length === 0) {
      if (options.required) problems.push(`请选择${label(id)}，可选：${listTexts(choices)}。`);
      return undefined;
    }
    if (chosen.length > 1) {
      problems.push(`${label(id)}只能选择一项，现在选择了：${chosen.map(quoteValue).join('、')}。`);
      return undefined;
    }
    const value = chosen[0]!;
    if (options.unsure && value === UNSURE_OPTION) return undefined;
    const match = choices.find((choice) => choice.text === value || choice.key === value);
    if (!match) problems.push(`${label(id)}中的${quoteValue(value)}不在可选范围内，可选：${listTexts(choices)}${options.unsure ? `、${UNSURE_OPTION}` : ''}。`);
    return match?.key;
  };

  // Where and what.
  const projects = projectChoices(org);
  const onlyProject = org.projects.length === 1 ? org.projects[0]!.key : undefined;
  const project = choose('project', projects, { required: onlyProject === undefined }) ?? onlyProject;
  const chosenCategory = choose('category', categoryChoices(org), { unsure: true });
  const urgencyChoices = URGENCY_OPTIONS.map((option) => ({ text: option.text, key: option.urgency }));
  const chosenUrgency = choose<Urgency>('urgency', urgencyChoices, { unsure: true });
  const typedDescription = text('description');
  // Text the complainant added after a one-line answer belongs to their account, not to that answer.
  const description = typedDescription === undefined ? undefined : [typedDescription, ...answers.trailing.map(cleanText)].join('\n\n');
  if (description === undefined) problems.push(`请填写${label('description')}：发生了什么、在哪里、从什么时候开始。`);
  const request = text('request');
  const locationText = text('location');
  const location = locationText === undefined ? undefined : cleanLine(locationText);

  // Who and when: the form's own fields for staff, the issue itself for the public form.
  let channel: Channel = 'online';
  let receivedAt = issue.createdAt;
  let receivedBy = ONLINE_INTAKE_HANDLE;
  let complainants: number | undefined;
  let anonymous: boolean | undefined;
  let forwardedBy: string | undefined;
  let deadline: string | undefined;
  let visitWanted: boolean | undefined;
  if (form === 'staff') {
    channel = choose<Channel>('channel', channelChoices(), { required: true }) ?? 'other';
    const receivedText = text('received_at');
    if (receivedText === undefined) problems.push(`请填写${label('received_at')}，例如 2026-10-05 09:30。`);
    else {
      try {
        receivedAt = resolveInstant(cleanLine(receivedText), org.timezone, { field: 'received_at' });
        if (Date.parse(receivedAt) > now.getTime() + RECEIPT_TIME_TOLERANCE_MS) problems.push(`${label('received_at')}${quoteValue(receivedText)}晚于现在，请核对。`);
      } catch (cause) {
        if (!(cause instanceof InvalidInstantError)) throw cause;
        problems.push(`${label('received_at')}${quoteValue(receivedText)}无法识别，请按 2026-10-05 09:30 的格式填写。`);
      }
    }
    const receiver = text('received_by');
    const handle = receiver === undefined ? issue.author.login : cleanLine(receiver).replace(/^@/, '');
    if (HANDLE.test(handle)) receivedBy = handle;
    else problems.push(`${label('received_by')}${quoteValue(receiver ?? handle)}不是有效的 GitHub 账号。`);
    const count = text('complainants');
    if (count === undefined) complainants = 1;
    else if (/^\d+$/.test(cleanLine(count)) && Number(cleanLine(count)) >= 1 && Number(cleanLine(count)) <= MAX_COMPLAINANTS) complainants = Number(cleanLine(count));
    else problems.push(`${label('complainants')}应为 1 到 ${MAX_COMPLAINANTS} 之间的整数，现在是${quoteValue(count)}。`);
    anonymous = choose('anonymous', ANONYMOUS_OPTIONS.map((option) => ({ text: option.text, key: option.anonymous ? 'yes' : 'no' }))) === 'yes';
    const officeText = text('forwarded_by');
    forwardedBy = officeText === undefined ? undefined : cleanLine(officeText);
    const deadlineText = text('deadline');
    if (deadlineText !== undefined) {
      try {
        deadline = resolveInstant(cleanLine(deadlineText), org.timezone, { field: 'source.deadline', endOfDay: true });
        if (Date.parse(deadline) <= Date.parse(receivedAt)) problems.push(`${label('deadline')}${quoteValue(deadlineText)}早于受理时间，请核对。`);
      } catch (cause) {
        if (!(cause instanceof InvalidInstantError)) throw cause;
        problems.push(`${label('deadline')}${quoteValue(deadlineText)}无法识别，请按 2026-10-20 的格式填写。`);
      }
    }
  } else {
    const visit = choose('visit', VISIT_OPTIONS.map((option) => ({ text: option.text, key: option.wanted ? 'yes' : 'no' })));
    visitWanted = visit === undefined ? undefined : visit === 'yes';
  }

  // Personal data: replaced wherever it was typed.
  const personalData: PersonalDataKind[] = [];
  const redact = (value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const redacted = redactPersonalData(value);
    personalData.push(...redacted.kinds);
    return redacted.text;
  };
  const prefixPattern = new RegExp(`^\\s*(?:${Object.values(FORM_TITLE_PREFIXES).map((prefix) => prefix.trim().replace(/[[\]]/g, '\\$&')).join('|')})\\s*`);
  const typedTitle = cleanLine(issue.title).replace(prefixPattern, '');
  const derivedTitle = truncateLine(cleanLine(description ?? ''), DERIVED_TITLE_LENGTH);
  const title = truncateLine(redact(typedTitle !== '' ? typedTitle : derivedTitle) ?? '', MAX_TITLE_LENGTH);
  const redactedDescription = redact(description);
  const redactedRequest = redact(request);
  const redactedLocation = redact(location);
  const redactedForwardedBy = redact(forwardedBy);
  if (personalData.length > 0 && recipientsFor(org, yearOfReceipt(receivedAt, org.timezone)).length === 0)
    problems.push(`内容中有${describeKinds(personalData)}，请删除后保存：本页面公开可见，个人信息请通过电话、来访等渠道提供。`);

  if (problems.length > 0 || project === undefined || redactedDescription === undefined) return refuse(problems, personalData);

  const account = `${title}\n${redactedDescription}`;
  let category: CategoryReading;
  if (chosenCategory !== undefined) category = { key: chosenCategory, basis: 'chosen', keywords: [] };
  else {
    const guess = guessCategory(account, org);
    category = guess ? { key: guess.key, basis: 'keywords', keywords: guess.keywords } : { key: fallbackCategory(org), basis: 'fallback', keywords: [] };
  }
  const urgencyKeywords = chosenUrgency === undefined ? urgentKeywords(account) : [];
  const urgency: Urgency = chosenUrgency ?? (urgencyKeywords.length > 0 ? 'urgent' : 'general');
  const visitText = visitWanted === undefined ? undefined : VISIT_OPTIONS.find((option) => option.wanted === visitWanted)!.text;

  const registration: RegistrationInput = {
    title,
    channel,
    receivedAt,
    receivedBy,
    project,
    category: category.key,
    reportedCategory: category.key,
    urgency,
    body: complaintBody({ description: redactedDescription, ...(redactedRequest ? { request: redactedRequest } : {}), ...(visitText ? { visit: visitText } : {}) }),
    ...(redactedLocation ? { location: redactedLocation } : {}),
    ...(complainants !== undefined ? { complainants } : {}),
    ...(anonymous !== undefined ? { anonymous } : {}),
    ...(redactedForwardedBy ? { forwardedBy: redactedForwardedBy } : {}),
    ...(deadline ? { deadline } : {}),
  };
  return {
    ok: true,
    form,
    registration,
    category,
    urgencyKeywords,
    ...(visitWanted !== undefined ? { visitWanted } : {}),
    personalData,
    original: `${issue.title}\n\n${issue.body}`,
    receivedNote: receivedNote(issue, form, category, urgencyKeywords, personalData, org),
  };
}

/** The internal note of the `received` event: where the complaint came from and what intake decided for it. */
function receivedNote(issue: IssueForIntake, form: FormKind, category: CategoryReading, urgencyKeywords: string[], personalData: PersonalDataKind[], org: Org): string {
  const parts = [form === 'staff' ? `由 GitHub 议题 #${issue.number}（线下投诉登记表）登记` : `由 GitHub 议题 #${issue.number}（网上投诉表单）登记`];
  const categoryLabel = org.categories.find((item) => item.key === category.key)?.label ?? category.key;
  if (category.basis === 'keywords') parts.push(`分类“${categoryLabel}”由系统根据关键词（${category.keywords.join('、')}）推测，请处理人确认`);
  if (category.basis === 'fallback') parts.push(`未能推测分类，暂归入“${categoryLabel}”，请处理人确认`);
  if (urgencyKeywords.length > 0) parts.push(`紧急程度由系统根据关键词（${urgencyKeywords.join('、')}）定为紧急，请处理人确认`);
  if (personalData.length > 0) parts.push(`正文中的${describeKinds(personalData)}已隐去，原文已加密保存在联系方式中`);
  return `${parts.join('；')}。`;
}
