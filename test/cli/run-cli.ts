import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/main.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A stdin that behaves like a terminal: it says it is a TTY and yields the given lines. */
export function terminalInput(lines: readonly string[]): NodeJS.ReadableStream {
  const stream = Readable.from(lines.map((line) => `${line}\n`));
  return Object.assign(stream, { isTTY: true });
}

/** Runs `complaints <args>` in this process with captured output; stdin is an empty pipe unless given. */
export async function runComplaints(args: readonly string[], options: { stdin?: NodeJS.ReadableStream; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    stdin: options.stdin ?? Readable.from([]),
    env: options.env ?? process.env,
  });
  return { code, stdout, stderr };
}
