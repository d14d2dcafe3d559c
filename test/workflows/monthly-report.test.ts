import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readArguments, ReportPullRequestUsageError } from '../../scripts/open-report-pull-request.ts';
import type { FakeGitHub } from '../github/fake-github.ts';
import { githubWorld, TEST_TOKEN } from '../sync/github-world.ts';

/**
 * The monthly report's pull request (issue 5 item 7): scripts/open-report-pull-request.ts run as the
 * workflow runs it, in a child process against the local GitHub stand-in, which learns the two pull
 * request endpoints here.
 */

const SCRIPT = fileURLToPath(new URL('../../scripts/open-report-pull-request.ts', import.meta.url));

interface FakePull {
  number: number;
  head: string;
  base: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
}

/** GET and POST /repos/:owner/:repo/pulls, as the REST API answers them for the fields the port reads. */
function servePullRequests(fake: FakeGitHub): FakePull[] {
  const pulls: FakePull[] = [];
  const rest = (pull: FakePull) => ({
    number: pull.number,
    html_url: `https://github.com/${fake.repository}/pull/${pull.number}`,
    state: pull.state,
    title: pull.title,
    head: { ref: pull.head, label: `${fake.owner}:${pull.head}` },
    base: { ref: pull.base, label: `${fake.owner}:${pull.base}` },
  });
  fake.route('GET', '/repos/:owner/:repo/pulls', ({ query }) => {
    const [owner, branch] = (query.head ?? '').split(':');
    const found = pulls.filter((pull) => (query.state ?? 'open') === pull.state && (!query.head || (owner === fake.owner && pull.head === branch)) && (!query.base || pull.base === query.base));
    return { status: 200, body: found.map(rest) };
  });
  fake.route('POST', '/repos/:owner/:repo/pulls', ({ body }) => {
    if (pulls.some((pull) => pull.state === 'open' && pull.head === body.head && pull.base === body.base))
      return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'A pull request already exists' }] } };
    const pull: FakePull = { number: 100 + pulls.length, head: String(body.head), base: String(body.base), title: String(body.title), body: String(body.body), state: 'open' };
    pulls.push(pull);
    return { status: 201, body: rest(pull) };
  });
  return pulls;
}

function runScript(fake: FakeGitHub, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      env: { ...process.env, GITHUB_TOKEN: TEST_TOKEN, GITHUB_REPOSITORY: fake.repository, GITHUB_API_URL: fake.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the monthly report’s pull request', () => {
  it('is opened once for the month’s branch, asking a supervisor for the narrative; a re-run opens nothing new', async () => {
    const { fake } = await githubWorld();
    const pulls = servePullRequests(fake);
    const args = ['--month', '2026-09', '--branch', 'report/2026-09', '--base', 'main'];

    const first = await runScript(fake, args);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`opened: #100 https://github.com/${fake.repository}/pull/100`);
    expect(pulls).toEqual([expect.objectContaining({ head: 'report/2026-09', base: 'main', title: '2026年9月投诉处理月度报告（待主管补充说明）' })]);
    expect(pulls[0]!.body).toContain('complaints report --month 2026-09 --write');
    expect(pulls[0]!.body).toContain('补充本月情况分析');

    const second = await runScript(fake, args);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('already open: #100');
    expect(pulls).toHaveLength(1);
  });

  it('refuses arguments the workflow never passes', () => {
    expect(() => readArguments(['--month', '2026-13', '--branch', 'b', '--base', 'main'])).toThrow(ReportPullRequestUsageError);
    expect(() => readArguments(['--month', '2026-09'])).toThrow('--branch and --base are required');
    expect(readArguments(['--month', '2026-09', '--branch', 'report/2026-09', '--base', 'main'])).toEqual({ month: '2026-09', branch: 'report/2026-09', base: 'main' });
  });
});
