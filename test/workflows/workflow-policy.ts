import { parseDocument } from 'yaml';

/**
 * The project's rules for workflow files (SPEC §8, issue 5 item 13), checked on the parsed YAML so
 * that quoting, folding and flow style cannot hide a violation:
 *
 * - a top-level `permissions: {}` (every grant is made per job);
 * - a `concurrency` group, at the top or on every job;
 * - every action or reusable workflow from outside the repository pinned to a full 40-hex commit
 *   SHA, with the version in a comment on the same line;
 * - no `pull_request_target` trigger;
 * - no untrusted expression (`github.event.*`, `github.head_ref`) inside a `run:` script or a
 *   github-script `script:` — such values are passed through `env:`.
 */

export interface PolicyViolation {
  rule: 'permissions' | 'concurrency' | 'unpinned' | 'version-comment' | 'pull_request_target' | 'untrusted-expression' | 'unreadable';
  where: string;
  message: string;
}

/** An expression that reads the event payload or the head branch name, in any spelling GitHub accepts. */
const UNTRUSTED_EXPRESSION = /\$\{\{(?:(?!\}\}).)*?\bgithub\s*(?:\.\s*(?:event|head_ref)\b|\[\s*['"](?:event|head_ref)['"]\s*\])(?:(?!\}\}).)*\}\}/is;

const PINNED = /^[^@\s]+@[0-9a-f]{40}$/;

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The trigger names of `on:`, whichever of its three forms is used. */
function triggers(on: unknown): string[] {
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  if (isMapping(on)) return Object.keys(on);
  return [];
}

/** Whether a `uses:` names something outside this repository (not `./…`, not a Docker image). */
function isExternal(uses: string): boolean {
  return !uses.startsWith('./') && !uses.startsWith('docker://');
}

/** Every violation of the rules above in one workflow file's text. */
export function checkWorkflowPolicy(text: string, file: string): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  const add = (rule: PolicyViolation['rule'], where: string, message: string) => violations.push({ rule, where: `${file}: ${where}`, message });
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length > 0) {
    add('unreadable', 'file', document.errors.map((error) => error.message).join('; '));
    return violations;
  }
  const workflow: unknown = document.toJS();
  if (!isMapping(workflow)) {
    add('unreadable', 'file', 'a workflow is a mapping');
    return violations;
  }
  // YAML 1.1 readers (GitHub's among them) read a bare `on` key as true.
  const on = workflow.on ?? workflow.true;
  if (triggers(on).includes('pull_request_target')) add('pull_request_target', 'on', 'pull_request_target runs untrusted code with a write token and secrets');

  const permissions = workflow.permissions;
  if (!isMapping(permissions) || Object.keys(permissions).length > 0)
    add('permissions', 'permissions', `expected a top-level "permissions: {}" with grants per job, found ${JSON.stringify(permissions) ?? 'nothing'}`);

  const jobs = isMapping(workflow.jobs) ? workflow.jobs : {};
  if (workflow.concurrency === undefined) {
    for (const [name, job] of Object.entries(jobs))
      if (!isMapping(job) || job.concurrency === undefined) add('concurrency', `jobs.${name}`, 'no concurrency group at the top of the workflow or on this job');
    if (Object.keys(jobs).length === 0) add('concurrency', 'concurrency', 'no concurrency group');
  }

  for (const [name, job] of Object.entries(jobs)) {
    if (!isMapping(job)) continue;
    const uses: [string, string][] = [];
    if (typeof job.uses === 'string') uses.push([`jobs.${name}.uses`, job.uses]);
    const steps = Array.isArray(job.steps) ? job.steps : [];
    steps.forEach((step: unknown, index) => {
      if (!isMapping(step)) return;
      const where = `jobs.${name}.steps[${index}]`;
      if (typeof step.uses === 'string') uses.push([`${where}.uses`, step.uses]);
      if (typeof step.run === 'string' && UNTRUSTED_EXPRESSION.test(step.run))
        add('untrusted-expression', `${where}.run`, `untrusted expression in a script: ${UNTRUSTED_EXPRESSION.exec(step.run)![0]}; pass it through env:`);
      const script = isMapping(step.with) ? step.with.script : undefined;
      if (typeof step.uses === 'string' && /^actions\/github-script@/.test(step.uses) && typeof script === 'string' && UNTRUSTED_EXPRESSION.test(script))
        add('untrusted-expression', `${where}.with.script`, `untrusted expression in a github-script script: ${UNTRUSTED_EXPRESSION.exec(script)![0]}; pass it through env:`);
    });
    for (const [where, reference] of uses) {
      if (!isExternal(reference)) continue;
      if (!PINNED.test(reference)) {
        add('unpinned', where, `"${reference}" is not pinned to a full 40-hex commit SHA`);
        continue;
      }
      const line = text.split('\n').find((candidate) => candidate.includes(reference));
      if (!line || !/#\s*v?\d[\w.-]*\s*$/.test(line)) add('version-comment', where, `"${reference}" needs its version in a comment on the same line (# v4.2.2)`);
    }
  }
  return violations;
}
