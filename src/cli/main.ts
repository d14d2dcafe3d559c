import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { resolve } from 'node:path';
import { OrgFileError } from '../archive/archive.ts';
import { EXIT, UsageError, printJson, type Command, type CommandContext } from './command.ts';
import { formatProblem } from './output.ts';

/**
 * Every command of SPEC §9 this build offers, each loaded when it runs: a command pays only for the
 * modules it uses (starting `validate` no longer loads octokit, Astro's helpers and the rest).
 */
export const COMMANDS = {
  validate: () => import('./commands/validate.ts').then((module) => module.validateCommand),
  sla: () => import('./commands/sla.ts').then((module) => module.slaCommand),
  init: () => import('./commands/init.ts').then((module) => module.initCommand),
  keygen: () => import('./commands/keygen.ts').then((module) => module.keygenCommand),
  contact: () => import('./commands/contact.ts').then((module) => module.contactCommand),
  new: () => import('./commands/new.ts').then((module) => module.newCommand),
  demo: () => import('./commands/demo.ts').then((module) => module.demoCommand),
  list: () => import('./commands/list.ts').then((module) => module.listCommand),
  show: () => import('./commands/show.ts').then((module) => module.showCommand),
  report: () => import('./commands/report.ts').then((module) => module.reportCommand),
  export: () => import('./commands/export.ts').then((module) => module.exportCommand),
  forms: () => import('./commands/forms.ts').then((module) => module.formsCommand),
  intake: () => import('./commands/intake.ts').then((module) => module.intakeCommand),
  audit: () => import('./commands/audit.ts').then((module) => module.auditCommand),
  history: () => import('./commands/history.ts').then((module) => module.historyCommand),
  import: () => import('./commands/import.ts').then((module) => module.importCommand),
  keys: () => import('./commands/keys.ts').then((module) => module.keysCommand),
  purge: () => import('./commands/purge.ts').then((module) => module.purgeCommand),
  erase: () => import('./commands/erase.ts').then((module) => module.eraseCommand),
  check: () => import('./commands/check.ts').then((module) => module.checkCommand),
  sync: () => import('./commands/sync.ts').then((module) => module.syncCommand),
  remind: () => import('./commands/remind.ts').then((module) => module.remindCommand),
  rollcall: () => import('./commands/rollcall.ts').then((module) => module.rollcallCommand),
} satisfies Record<string, () => Promise<Command>>;
export type CommandName = keyof typeof COMMANDS;

const GLOBAL_OPTIONS: ParseArgsOptionsConfig = {
  root: { type: 'string' },
  json: { type: 'boolean', default: false },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
};

function isCommandName(name: string | undefined): name is CommandName {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

async function helpText(): Promise<string> {
  const commands = await Promise.all(Object.entries(COMMANDS).map(async ([name, load]) => [name, await load()] as const));
  const lines = commands.map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`);
  return [
    'complaints — 投诉档案 command line',
    '',
    'usage: complaints <command> [--root DIR] [--json] [--now ISO-TIME] [options]',
    '',
    'commands:',
    ...lines,
    '',
    'exit codes: 0 ok, 1 problems in the archive, 2 bad usage',
  ].join('\n');
}

export interface RunOptions {
  cwd?: string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  stdin?: NodeJS.ReadableStream;
  env?: NodeJS.ProcessEnv;
  /** The real clock; --now overrides it. */
  clock?: () => Date;
}

/**
 * Runs the CLI on `argv` (without node and script) and returns the exit code. Prints usage errors and
 * archive problems itself; never throws for anything a user can cause.
 */
export async function runCli(argv: readonly string[], options: RunOptions = {}): Promise<number> {
  const stdout = options.stdout ?? ((text: string) => void process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => void process.stderr.write(text));
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    stdout(`${await helpText()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (!isCommandName(name)) {
    stderr(`unknown command "${name}"（未知命令）\n\n${await helpText()}\n`);
    return EXIT.usage;
  }
  const command: Command = await COMMANDS[name]();
  let context: CommandContext | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: { ...GLOBAL_OPTIONS, ...command.options },
        allowPositionals: true,
        strict: true,
      });
    } catch (cause) {
      throw new UsageError((cause as Error).message);
    }
    const { values, positionals } = parsed;
    if (values.help) {
      stdout(`usage: ${command.usage}\n${command.summary}\n`);
      return EXIT.ok;
    }
    const now = typeof values.now === 'string' ? new Date(values.now) : (options.clock ?? (() => new Date()))();
    if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an ISO 8601 time, found "${String(values.now)}"`);
    context = {
      root: resolve(options.cwd ?? process.cwd(), typeof values.root === 'string' ? values.root : '.'),
      json: values.json === true,
      now,
      stdout,
      stderr,
      stdin: options.stdin ?? process.stdin,
      env: options.env ?? process.env,
    };
    return await command.run(context, values, positionals);
  } catch (cause) {
    if (cause instanceof UsageError) {
      stderr(`${cause.message}（用法错误）\nusage: ${command.usage}\n`);
      return EXIT.usage;
    }
    if (cause instanceof OrgFileError) {
      if (context?.json) printJson(context, { ok: false, problems: cause.problems });
      else for (const problem of cause.problems) stderr(`${formatProblem(problem)}\n`);
      return EXIT.problems;
    }
    stderr(`complaints ${name} failed: ${(cause as Error).message}（命令执行失败）\n`);
    return EXIT.problems;
  }
}

if (import.meta.main) {
  // Output piped into `head` and closed early is not a failure of the command.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  process.exitCode = await runCli(process.argv.slice(2));
}
