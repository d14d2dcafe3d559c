import { spawn } from 'node:child_process';

/** What one git process gave: its exit code, its output as bytes, its error text. */
export interface GitResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs git once in `root`, feeding `input` to its stdin (paths or object ids by the ten thousand,
 * which would not fit on a command line). Rejects only when git cannot be started.
 */
export function runGit(root: string, args: readonly string[], options: { env?: NodeJS.ProcessEnv | undefined; input?: string } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: root, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks), stderr }));
    child.stdin.on('error', () => undefined); // git may exit before reading everything (it failed)
    child.stdin.end(options.input ?? '');
  });
}
