import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { resolve } from 'node:path';
import { OrgFileError } from '../archive/archive.ts';
import { EXIT, UsageError, printJson, type Command, type CommandContext } from './command.ts';
import { formatProblem } from './output.ts';
import { validateCommand } from './commands/validate.ts';
import { slaCommand } from './commands/sla.ts';
import { initCommand } from './commands/init.ts';
import { keygenCommand } from './commands/keygen.ts';
import { contactCommand } from './commands/contact.ts';
import { newCommand } from './commands/new.ts';
import { demoCommand } from './commands/demo.ts';
import { listCommand } from './commands/list.ts';
import { showCommand } from './commands/show.ts';
import { reportCommand } from './commands/report.ts';
import { exportCommand } from './commands/export.ts';
import { formsCommand } from './commands/forms.ts';
import { intakeCommand } from './commands/intake.ts';
import { auditCommand } from './commands/audit.ts';
import { historyCommand } from './commands/history.ts';
import { importCommand } from './commands/import.ts';
import { keysCommand } from './commands/keys.ts';
import { purgeCommand } from './commands/purge.ts';
import { eraseCommand } from './commands/erase.ts';
import { checkCommand } from './commands/check.ts';
import { syncCommand } from './commands/sync.ts';
import { remindCommand } from './commands/remind.ts';
import { rollcallCommand } from './commands/rollcall.ts';

/** Every command of SPEC §9 this build offers. */
export const COMMANDS = {
  validate: validateCommand,
  sla: slaCommand,
  init: initCommand,
  keygen: keygenCommand,
  contact: contactCommand,
  new: newCommand,
  demo: demoCommand,
  list: listCommand,
  show: showCommand,
  report: reportCommand,
  export: exportCommand,
  forms: formsCommand,
  intake: intakeCommand,
  audit: auditCommand,
  history: historyCommand,
  import: importCommand,
  keys: keysCommand,
  purge: purgeCommand,
  erase: eraseCommand,
  check: checkCommand,
  sync: syncCommand,
  remind: remindCommand,
  rollcall: rollcallCommand,
} satisfies Record<string, Command>;
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

function helpText(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`);
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
    stdout(`${helpText()}\n`);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (!isCommandName(name)) {
    stderr(`unknown command "${name}"（未知命令）\n\n${helpText()}\n`);
    return EXIT.usage;
  }
  const command: Command = COMMANDS[name];
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
