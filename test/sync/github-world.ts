import { createRequire } from 'node:module';
import { afterEach } from 'vitest';
import { FakeGitHub, startFakeGitHub } from '../github/fake-github.ts';
import { liveGitHub } from '../../src/github/live-github.ts';
import { createOctokit } from '../../src/github/octokit-factory.ts';
import type { GitHubPort } from '../../src/github/github-port.ts';

/**
 * The local GitHub stand-in for the sync, reminder and roll-call tests, with a port on a real octokit
 * client (retry and throttling plugins, test timing) pointed at it; stopped after each test.
 */

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
});

export const TEST_TOKEN = 'test-token';

export async function githubWorld(): Promise<{ fake: FakeGitHub; port: () => GitHubPort }> {
  const fake = await startFakeGitHub({ token: TEST_TOKEN });
  fakes.push(fake);
  const port = () =>
    liveGitHub(createOctokit({ token: TEST_TOKEN, baseUrl: fake.url, timing: FakeGitHub.timing(), throttleId: `test-${Math.random()}` }), {
      owner: fake.owner,
      name: fake.repo,
    });
  return { fake, port };
}

/** The requests that changed something (every method but GET). */
export function writes(fake: FakeGitHub): number {
  return fake.requests.filter((request) => request.method !== 'GET').length;
}

const definitions = createRequire(import.meta.url)('@octokit/webhooks-examples/api.github.com/index.json') as { name: string; examples: Record<string, any>[] }[];

/**
 * A real `push` payload from @octokit/webhooks-examples (the example of a push to a branch), adapted
 * in the fields a push to main has: the ref, the commits before and after, the repository.
 */
export function pushEvent(fake: FakeGitHub, before: string, after: string): Record<string, any> {
  const example = definitions.find((definition) => definition.name === 'push')!.examples.find((item) => item.ref.startsWith('refs/heads/'));
  const payload = structuredClone(example!);
  payload.ref = 'refs/heads/main';
  payload.before = before;
  payload.after = after;
  payload.head_commit = { ...payload.head_commit, id: after };
  payload.commits = payload.commits.map((commit: Record<string, unknown>) => ({ ...commit, id: after }));
  payload.repository.name = fake.repo;
  payload.repository.full_name = fake.repository;
  payload.repository.owner.login = fake.owner;
  return payload;
}
