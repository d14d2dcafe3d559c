/**
 * Opens the pull request of a monthly report (issue 5 item 7), for .github/workflows/monthly-report.yml:
 * the workflow has written `content/reports/YYYY-MM.md` with `complaints report --write`, committed it
 * on a branch of its own and pushed it; this script proposes that branch for merging, so a supervisor
 * adds the narrative (说明与分析) and reviews the tables before the report is published.
 *
 * Through the GitHub port (octokit with retry and throttling), with GITHUB_TOKEN, GITHUB_REPOSITORY and
 * GITHUB_API_URL from the environment. Idempotent: when the branch already has an open pull request
 * (a re-run, a manual dispatch), nothing new is opened.
 *
 * usage: node scripts/open-report-pull-request.ts --month YYYY-MM --branch report/YYYY-MM --base main
 */
import { parseArgs } from 'node:util';
import { parseRepositoryName, type GitHubPort, type GitHubPullRequest } from '../src/github/github-port.ts';
import { liveGitHub } from '../src/github/live-github.ts';
import { createOctokit, DEFAULT_GITHUB_API_URL } from '../src/github/octokit-factory.ts';

/** Raised for arguments the workflow never passes. */
export class ReportPullRequestUsageError extends Error {
  override readonly name = 'ReportPullRequestUsageError';
}

export interface ReportPullRequest {
  month: string;
  branch: string;
  base: string;
}

/** `2026-09` → `2026年9月`. */
function monthLabel(month: string): string {
  const [year, number] = month.split('-');
  return `${year}年${Number(number)}月`;
}

/** The pull request's title and body (zh-CN): what the supervisor is asked to do before merging. */
export function reportPullRequestText(month: string): { title: string; body: string } {
  const label = monthLabel(month);
  return {
    title: `${label}投诉处理月度报告（待主管补充说明）`,
    body: [
      `本合并请求由月度报告工作流自动生成：\`content/reports/${month}.md\` 中的统计表格由 \`complaints report --month ${month} --write\` 根据投诉档案生成。`,
      '',
      '请主管：',
      '',
      '1. 核对统计表格（本期与累计投诉数、投诉率、处理率、及时率、满意度、重大与热点投诉、未结投诉）；',
      '2. 在报告的说明部分补充本月情况分析、主要问题、纠正措施和改进建议（001 §4.2.3）；',
      '3. 审阅后合并。合并后公示栏会随之更新。',
      '',
      '表格有误时，请修改投诉档案后重新运行工作流（Actions → monthly-report → Run workflow，填写月份），不要直接修改表格：重新生成时表格会被覆盖，说明部分会保留。',
    ].join('\n'),
  };
}

/** Opens the pull request unless the branch already has an open one; returns it and whether it is new. */
export async function openReportPullRequest(port: GitHubPort, request: ReportPullRequest): Promise<{ pullRequest: GitHubPullRequest; created: boolean }> {
  const [existing] = await port.listOpenPullRequests(request.branch, request.base);
  if (existing) return { pullRequest: existing, created: false };
  const text = reportPullRequestText(request.month);
  const pullRequest = await port.createPullRequest({ head: request.branch, base: request.base, title: text.title, body: text.body });
  return { pullRequest, created: true };
}

/** Reads the arguments; throws `ReportPullRequestUsageError` for anything else. */
export function readArguments(argv: readonly string[]): ReportPullRequest {
  let values;
  try {
    values = parseArgs({ args: [...argv], options: { month: { type: 'string' }, branch: { type: 'string' }, base: { type: 'string' } }, strict: true }).values;
  } catch (cause) {
    throw new ReportPullRequestUsageError((cause as Error).message);
  }
  const { month, branch, base } = values;
  if (!month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new ReportPullRequestUsageError(`--month must be YYYY-MM, found "${month ?? ''}"`);
  if (!branch || !base) throw new ReportPullRequestUsageError('--branch and --base are required');
  return { month, branch, base };
}

if (import.meta.main) {
  try {
    const request = readArguments(process.argv.slice(2));
    const token = process.env.GITHUB_TOKEN;
    if (!token) throw new ReportPullRequestUsageError('GITHUB_TOKEN is not set');
    const octokit = createOctokit({ token, baseUrl: process.env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL, warn: (message) => process.stderr.write(`warning: ${message}\n`) });
    const port = liveGitHub(octokit, parseRepositoryName(process.env.GITHUB_REPOSITORY ?? ''));
    const { pullRequest, created } = await openReportPullRequest(port, request);
    process.stdout.write(`${created ? 'opened' : 'already open'}: #${pullRequest.number} ${pullRequest.htmlUrl}（${created ? '已创建' : '已存在'}月度报告合并请求）\n`);
  } catch (cause) {
    process.stderr.write(`open-report-pull-request failed: ${(cause as Error).message}（创建月度报告合并请求失败）\n`);
    process.exitCode = cause instanceof ReportPullRequestUsageError ? 2 : 1;
  }
}
