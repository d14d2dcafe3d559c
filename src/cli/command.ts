import type { ParseArgsOptionsConfig } from 'node:util';

/** What every command gets: the global options of SPEC §9 and where to print. */
export interface CommandContext {
  /** The folder that holds `content/`. */
  root: string;
  /** Print one JSON document instead of human output. */
  json: boolean;
  /** The clock, overridable with --now for tests and reproducible runs. */
  now: Date;
  /** Standard output and error; commands never call console directly. */
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input, for commands that prompt. */
  stdin: NodeJS.ReadableStream;
  /** Environment variables (identity files, editor). */
  env: NodeJS.ProcessEnv;
}

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  summary: string;
  usage: string;
  options: ParseArgsOptionsConfig;
  /** Returns the exit code: 0 success, 1 problems in the archive, 2 bad usage (SPEC §9). */
  run(context: CommandContext, values: OptionValues, positionals: string[]): Promise<number>;
}

/** Bad command-line usage: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes of SPEC §9. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

/** Prints a value as the one JSON document of a --json run. */
export function printJson(context: CommandContext, value: unknown): void {
  context.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** A string option or undefined; a repeated option takes its last value. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  if (Array.isArray(value)) return value.map(String).at(-1);
  return typeof value === 'string' ? value : undefined;
}
