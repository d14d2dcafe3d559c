import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { FakeGitHub, startFakeGitHub, type FakeGitHubOptions } from '../github/fake-github.ts';
import { sharedArchive } from '../git/git-fixture.ts';
import { liveGitHub } from '../../src/github/live-github.ts';
import { createOctokit } from '../../src/github/octokit-factory.ts';
import type { GitHubPort } from '../../src/github/github-port.ts';
import { generateKeyPair } from '../../src/privacy/contact.ts';
import type { IntakeContext } from '../../src/intake/run-intake.ts';
import { COMPLAINT_FORM_LABELS, STAFF_FORM_LABELS, type FieldId, type FormKind } from '../../src/intake/form-fields.ts';

/**
 * Everything an intake test needs: the fake GitHub server, a bare repository as the shared archive
 * (the remote the workflow pushes to) with the test organisation, an age identity that can read what
 * intake encrypts, and octokit clients pointed at the fake. Torn down after each test.
 */

/** When the tests say intake runs (the fake's issues are filed just before). */
export const TEST_NOW = new Date('2026-10-05T02:00:00Z');

/** The pushes of the shared archive never wait in tests: jitter without sleeping. */
export const NO_WAIT = { sleep: async () => undefined } as const;

const ORG_FIXTURE = new URL('./fixtures/org.yaml', import.meta.url);

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
});

export interface IntakeWorld {
  fake: FakeGitHub;
  bare: string;
  /** A new working copy of the shared archive, as a workflow run checks it out. */
  clone: (name: string) => Promise<string>;
  /** The age identity the test organisation encrypts to. */
  identity: string;
  /** A port on a fresh octokit client pointed at the fake (each run makes its own, as each process would). */
  port: () => GitHubPort;
  /** An intake context for a working copy. */
  context: (root: string, log?: string[]) => IntakeContext;
}

export async function intakeWorld(options: { fake?: FakeGitHubOptions; preReceiveHook?: string } = {}): Promise<IntakeWorld> {
  const fake = await startFakeGitHub({ token: 'test-token', ...options.fake });
  fakes.push(fake);
  const { identity, recipient } = await generateKeyPair();
  const orgText = (await readFile(ORG_FIXTURE, 'utf8')).replace('recipients: [RECIPIENT]', `recipients: [${recipient}]`);
  const { bare, clone } = await sharedArchive({
    seed: async (root) => writeFile(join(root, 'content/org.yaml'), orgText),
  });
  if (options.preReceiveHook) {
    const hook = join(bare, 'hooks', 'pre-receive');
    await writeFile(hook, options.preReceiveHook);
    await chmod(hook, 0o755);
  }
  const port = () =>
    liveGitHub(createOctokit({ token: 'test-token', baseUrl: fake.url, timing: FakeGitHub.timing(), throttleId: `test-${Math.random()}` }), {
      owner: fake.owner,
      name: fake.repo,
    });
  return {
    fake,
    bare,
    clone,
    identity,
    port,
    context: (root, log) => ({ root, port: port(), now: TEST_NOW, registry: NO_WAIT, log: (line) => log?.push(line) }),
  };
}

/**
 * An issue body as GitHub writes it from a form: every field's heading, then the answer, or
 * `_No response_` (inputs, text areas) / `None` (dropdowns) when left empty.
 */
export function formBody(kind: FormKind, answers: Partial<Record<FieldId, string>>): string {
  const labels = kind === 'complaint' ? COMPLAINT_FORM_LABELS : STAFF_FORM_LABELS;
  const dropdowns = new Set<FieldId>(['project', 'category', 'urgency', 'visit', 'channel', 'anonymous']);
  return Object.entries(labels)
    .map(([id, label]) => `### ${label}\n\n${answers[id as FieldId] ?? (dropdowns.has(id as FieldId) ? 'None' : '_No response_')}`)
    .join('\n\n');
}

/** A complete, valid public complaint about a lift, with any answers replaced. */
export function liftComplaint(answers: Partial<Record<FieldId, string>> = {}): string {
  return formBody('complaint', {
    project: '翠苑小区',
    location: '3 号楼 2 单元',
    category: '不确定',
    urgency: '不确定',
    description: '3 号楼 2 单元电梯从 10 月 3 日起停运，老人上下楼很困难，至今无人维修。',
    request: '尽快修好电梯。',
    visit: '需要：处理完成后请回访我',
    ...answers,
  });
}
