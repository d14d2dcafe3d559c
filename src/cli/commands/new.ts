import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { text as readStream } from 'node:stream/consumers';
import { readOrg, serializeComplaint } from '../../archive/archive.ts';
import { nextComplaintId } from '../../core/complaint/paths.ts';
import {
  checkDraft,
  draftComplaint,
  InvalidInstantError,
  registrationTime,
  withId,
  yearOfReceipt,
  type RegistrationInput,
} from '../../core/complaint/new-complaint.ts';
import type { Org } from '../../core/org/schema.ts';
import { recipientsFor } from '../../core/org/recipients.ts';
import { formatPath } from '../../core/problems.ts';
import { CHANNEL_LABELS, CHANNELS, URGENCIES, URGENCY_LABELS, type Channel, type Urgency } from '../../core/org/vocabulary.ts';
import { takenComplaintIds } from '../../git/allocation.ts';
import { ComplaintPushError } from '../../git/complaint-registry.ts';
import { openComplaintRegistry } from '../../git/open-registry.ts';
import { encryptContact, type Contact } from '../../privacy/contact.ts';
import { EXIT, printJson, stringOption, UsageError, type Command, type CommandContext, type OptionValues } from '../command.ts';

/** A field `new` cannot do without, the flag that gives it and the question asked for it at a terminal. */
interface RequiredField {
  flag: 'title' | 'channel' | 'received-by' | 'project' | 'category' | 'body';
  question: string;
  /** The allowed keys and their labels, when the answer is one of a list. */
  choices?: (org: Org) => { key: string; label: string }[];
}

const REQUIRED_FIELDS: readonly RequiredField[] = [
  { flag: 'title', question: '投诉标题（不要填写姓名、电话）title' },
  { flag: 'channel', question: '投诉渠道 channel', choices: () => CHANNELS.map((key) => ({ key, label: CHANNEL_LABELS[key] })) },
  { flag: 'received-by', question: '受理人账号 received by (staff handle)' },
  { flag: 'project', question: '管理项目 project', choices: (org) => org.projects.map((project) => ({ key: project.key, label: project.name })) },
  { flag: 'category', question: '投诉分类 category', choices: (org) => org.categories.map((category) => ({ key: category.key, label: category.label })) },
  { flag: 'body', question: '投诉内容（一行；较长内容请用 --body-file）complaint text' },
];

const CONTACT_FLAGS = ['name', 'phone', 'email', 'address'] as const;

/** Raised when stdin closes before every question was answered. */
class PromptClosedError extends Error {
  override readonly name = 'PromptClosedError';
}

function isTerminal(stream: NodeJS.ReadableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

/** Asks for each missing required field in zh-CN on stderr, one line per answer; a choice is a key or its number. */
async function promptForMissing(context: CommandContext, org: Org, missing: readonly RequiredField[], answers: Map<string, string>): Promise<void> {
  const reader = createInterface({ input: context.stdin, terminal: false, crlfDelay: Infinity });
  // The iterator buffers lines typed (or piped) ahead of the question, which `question()` would drop.
  const lines = reader[Symbol.asyncIterator]();
  try {
    context.stderr('请补充以下信息 please fill in:\n');
    for (const field of missing) {
      const choices = field.choices?.(org);
      if (choices) context.stderr(choices.map((choice, index) => `  ${index + 1}. ${choice.key} ${choice.label}`).join('\n') + '\n');
      for (;;) {
        context.stderr(`${field.question}: `);
        const next = await lines.next();
        if (next.done) throw new PromptClosedError();
        const answer = String(next.value).trim();
        if (answer === '') continue;
        if (!choices) {
          answers.set(field.flag, answer);
          break;
        }
        const byNumber = /^\d+$/.test(answer) ? choices[Number(answer) - 1] : undefined;
        const chosen = byNumber ?? choices.find((choice) => choice.key === answer || choice.label === answer);
        if (chosen) {
          answers.set(field.flag, chosen.key);
          break;
        }
        context.stderr(`"${answer}" 不在可选范围内 is not one of the choices\n`);
      }
    }
  } finally {
    reader.close();
  }
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], labels?: Record<T, string>): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const list = allowed.map((item) => (labels ? `${item} (${labels[item]})` : item)).join(', ');
  throw new UsageError(`--${flag} must be one of ${list}; found "${value}"（取值无效）`);
}

function orgKey(flag: string, value: string | undefined, keys: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  if (keys.includes(value)) return value;
  throw new UsageError(`--${flag} "${value}" is not in content/org.yaml, which has ${keys.map((key) => `"${key}"`).join(', ')}（组织配置中没有该项）`);
}

async function readBody(values: OptionValues, context: CommandContext): Promise<string | undefined> {
  const body = stringOption(values, 'body');
  const bodyFile = stringOption(values, 'body-file');
  if (body !== undefined && bodyFile !== undefined) throw new UsageError('give either --body or --body-file, not both（--body 与 --body-file 只能选一个）');
  if (bodyFile === undefined) return body;
  if (bodyFile === '-') return readStream(context.stdin);
  try {
    return await readFile(resolve(bodyFile), 'utf8');
  } catch (cause) {
    throw new UsageError(`cannot read --body-file ${bodyFile}: ${(cause as Error).message}（无法读取投诉内容文件）`);
  }
}

/** The flags' answers with the org's single project filled in and, at a terminal, the rest asked for. */
async function collectRequired(context: CommandContext, org: Org, values: OptionValues): Promise<Map<string, string>> {
  const answers = new Map<string, string>();
  for (const field of REQUIRED_FIELDS) {
    const value = field.flag === 'body' ? await readBody(values, context) : stringOption(values, field.flag);
    if (value !== undefined && value.trim() !== '') answers.set(field.flag, value);
  }
  const onlyProject = org.projects.length === 1 ? org.projects[0] : undefined;
  if (!answers.has('project') && onlyProject) answers.set('project', onlyProject.key);
  const missing = REQUIRED_FIELDS.filter((field) => !answers.has(field.flag));
  if (missing.length === 0) return answers;
  if (isTerminal(context.stdin)) {
    try {
      await promptForMissing(context, org, missing, answers);
      return answers;
    } catch (cause) {
      if (!(cause instanceof PromptClosedError)) throw cause;
    }
  }
  const stillMissing = REQUIRED_FIELDS.filter((field) => !answers.has(field.flag));
  throw new UsageError(
    `missing required ${stillMissing.length === 1 ? 'flag' : 'flags'}: ${stillMissing.map((field) => (field.flag === 'body' ? '--body (or --body-file)' : `--${field.flag}`)).join(', ')}（缺少必填项）`,
  );
}

function contactFrom(values: OptionValues): Contact | undefined {
  const contact: Contact = {};
  for (const flag of CONTACT_FLAGS) {
    const value = stringOption(values, flag)?.trim();
    if (value) contact[flag] = value;
  }
  return Object.keys(contact).length > 0 ? contact : undefined;
}

function complainantsFrom(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) throw new UsageError(`--complainants must be a whole number of people, at least 1; found "${value}"（投诉人数无效）`);
  return Number(value);
}

/** Reads every flag into a registration, checking values against the vocabularies and the org's keys. */
function registrationFrom(values: OptionValues, required: Map<string, string>, org: Org): RegistrationInput {
  const categories = org.categories.map((category) => category.key);
  const optional = (flag: string) => {
    const value = stringOption(values, flag);
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const input: RegistrationInput = {
    title: required.get('title') ?? '',
    channel: oneOf<Channel>('channel', required.get('channel'), CHANNELS, CHANNEL_LABELS) ?? 'other',
    receivedBy: required.get('received-by') ?? '',
    project: orgKey('project', required.get('project'), org.projects.map((project) => project.key)) ?? '',
    category: orgKey('category', required.get('category'), categories) ?? '',
    body: required.get('body') ?? '',
  };
  const receivedAt = optional('received-at');
  if (receivedAt !== undefined) input.receivedAt = receivedAt;
  const location = optional('location');
  if (location !== undefined) input.location = location;
  const reportedCategory = orgKey('reported-category', optional('reported-category'), categories);
  if (reportedCategory !== undefined) input.reportedCategory = reportedCategory;
  const urgency = oneOf<Urgency>('urgency', optional('urgency'), URGENCIES, URGENCY_LABELS);
  if (urgency !== undefined) input.urgency = urgency;
  const complainants = complainantsFrom(optional('complainants'));
  if (complainants !== undefined) input.complainants = complainants;
  if (values.anonymous === true) input.anonymous = true;
  const department = orgKey('department', optional('department'), org.departments.map((item) => item.key));
  if (department !== undefined) input.department = department;
  const forwardedBy = optional('forwarded-by');
  if (forwardedBy !== undefined) input.forwardedBy = forwardedBy;
  const deadline = optional('deadline');
  if (deadline !== undefined) input.deadline = deadline;
  return input;
}

const PERSONAL_DATA_HINT =
  '请勿在标题、内容、位置中填写电话号码或身份证号；请用 --name、--phone、--email、--address 提供联系方式，系统会加密保存。' +
  '\nDo not put phone or ID numbers in the title, text or location: pass contact data with --name, --phone, --email or --address, which is stored encrypted.';

export const newCommand: Command = {
  summary: 'register an offline complaint, encrypting contact data（登记投诉）',
  usage:
    'complaints new --title T --channel C --received-by HANDLE --category K (--body TEXT | --body-file FILE) [--project K] [--received-at TIME] ' +
    '[--location L] [--reported-category K] [--urgency urgent|general|non_urgent] [--complainants N] [--anonymous] [--department K] ' +
    '[--forwarded-by OFFICE --deadline TIME] [--name N] [--phone P] [--email E] [--address A] [--root DIR] [--json]',
  options: {
    title: { type: 'string' },
    channel: { type: 'string' },
    'received-at': { type: 'string' },
    'received-by': { type: 'string' },
    project: { type: 'string' },
    location: { type: 'string' },
    category: { type: 'string' },
    'reported-category': { type: 'string' },
    urgency: { type: 'string' },
    complainants: { type: 'string' },
    anonymous: { type: 'boolean', default: false },
    department: { type: 'string' },
    'forwarded-by': { type: 'string' },
    deadline: { type: 'string' },
    name: { type: 'string' },
    phone: { type: 'string' },
    email: { type: 'string' },
    address: { type: 'string' },
    body: { type: 'string' },
    'body-file': { type: 'string' },
  },
  async run(context, values) {
    const org = await readOrg(context.root);
    const required = await collectRequired(context, org, values);
    const input = registrationFrom(values, required, org);

    let year: number;
    try {
      year = yearOfReceipt(registrationTime(input, org, context.now), org.timezone);
    } catch (cause) {
      if (cause instanceof InvalidInstantError) throw new UsageError(cause.message);
      throw cause;
    }

    const contact = contactFrom(values);
    // Contact data goes to the recipients of the year of receipt (yearly keys, crypto-shredding).
    const recipients = recipientsFor(org, year);
    if (contact && recipients.length === 0) {
      context.stderr(
        `content/org.yaml lists no recipients for ${year}, so contact data cannot be stored encrypted: run "complaints keygen" (or "complaints keys rotate --year ${year}") and add the recipient it prints` +
          `（组织配置未设置 ${year} 年的加密接收人，无法保存联系方式；请先运行 complaints keygen 或 complaints keys rotate --year ${year}）\n`,
      );
      return EXIT.problems;
    }
    const envelope = contact ? await encryptContact(contact, recipients) : undefined;

    let draft;
    try {
      const provisionalId = nextComplaintId(year, await takenComplaintIds(context.root));
      draft = draftComplaint(input, { org, id: provisionalId, now: context.now, ...(envelope ? { contact: envelope } : {}) });
    } catch (cause) {
      if (cause instanceof InvalidInstantError) throw new UsageError(cause.message);
      throw cause;
    }
    const { complaint, problems, personalData } = checkDraft(draft, org);
    if (!complaint) {
      if (context.json) printJson(context, { ok: false, problems: problems.map((problem) => ({ field: formatPath(problem.path), message: problem.message })) });
      for (const problem of problems) context.stderr(`${problem.message}\n`);
      if (personalData.length > 0) context.stderr(`${PERSONAL_DATA_HINT}\n`);
      context.stderr('nothing was registered（未登记）\n');
      return EXIT.problems;
    }

    const { registry } = await openComplaintRegistry(context.root, { env: context.env });
    const request = {
      year,
      fileFor(id: string) {
        const renumbered = withId(complaint, id, org.timezone);
        return { path: renumbered.path, text: serializeComplaint(renumbered.data, renumbered.body) };
      },
    };
    try {
      const registration = await registry.register(request);
      if (context.json) {
        printJson(context, { id: registration.id, path: registration.path, pushed: registration.pushed, committed: registration.committed });
      } else {
        context.stdout(`已登记，投诉编号 ${registration.id}\nregistered complaint ${registration.id}: ${registration.path}\n`);
        if (registration.pushed) context.stdout('已提交并推送到共享档案 committed and pushed\n');
      }
      if (registration.attempts > 1)
        context.stderr(`note: others registered at the same time; pushed on attempt ${registration.attempts}（同时有其他登记，第 ${registration.attempts} 次尝试成功）\n`);
      if (registration.notice) context.stderr(`warning: ${registration.notice}\n`);
      return EXIT.ok;
    } catch (cause) {
      if (!(cause instanceof ComplaintPushError)) throw cause;
      const { id, path, pushed, committed } = cause.registration;
      if (context.json) printJson(context, { id, path, pushed, committed });
      context.stderr(`${cause.message}\n`);
      return EXIT.problems;
    }
  },
};
