import { afterEach, describe, expect, it } from 'vitest';
import { upsertBotComment, commentMarker, MarkerKindError } from '../../src/github/bot-comments.ts';
import { GitHubCallError, parseRepositoryName } from '../../src/github/github-port.ts';
import { applyLabels, ensureLabels, nextLabels } from '../../src/github/labels.ts';
import { liveGitHub } from '../../src/github/live-github.ts';
import { createOctokit, MAX_RATE_LIMIT_RETRIES, type OctokitTiming } from '../../src/github/octokit-factory.ts';
import { FakeGitHub, startFakeGitHub, type FakeGitHubOptions } from './fake-github.ts';

const fakes: FakeGitHub[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
});

/** A fake and a port on a real octokit client (retry and throttling plugins) pointed at it. */
async function setUp(options: FakeGitHubOptions = {}, timing: OctokitTiming = FakeGitHub.timing()) {
  const fake = await startFakeGitHub({ token: 'secret', ...options });
  fakes.push(fake);
  const warnings: string[] = [];
  const port = liveGitHub(
    createOctokit({ token: 'secret', baseUrl: fake.url, timing, throttleId: `test-${Math.random()}`, warn: (message) => warnings.push(message) }),
    { owner: fake.owner, name: fake.repo },
  );
  return { fake, port, warnings };
}

function statuses(fake: FakeGitHub, method: string, path: RegExp): number[] {
  return fake.requests.filter((request) => request.method === method && path.test(request.path)).map((request) => request.status);
}

describe('the octokit client and the live GitHub port, against the local fake server', () => {
  it('retries a request that got a 500 and returns the answer of the retry', async () => {
    const { fake, port } = await setUp();
    fake.addIssue({ number: 1, title: '电梯', body: '正文', labels: ['投诉'] });
    fake.failOnce({ method: 'GET', path: /\/issues\/1$/ });

    const issue = await port.getIssue(1);

    expect(issue).toMatchObject({ number: 1, title: '电梯', body: '正文', labels: ['投诉'], state: 'open' });
    expect(statuses(fake, 'GET', /\/issues\/1$/)).toEqual([500, 200]);
  });

  it('waits for the retry-after of a secondary rate limit and then retries the write', async () => {
    const base = 20;
    const { fake, port, warnings } = await setUp({}, { ...FakeGitHub.timing(), retryAfterBaseValue: base });
    fake.addIssue({ number: 2, title: 't' });
    fake.secondaryRateLimitOnce(3, { method: 'POST', path: /\/comments$/ });

    const started = performance.now();
    const comment = await port.createComment(2, '您好');
    const waited = performance.now() - started;

    expect(comment.body).toBe('您好');
    expect(statuses(fake, 'POST', /\/issues\/2\/comments$/)).toEqual([403, 201]);
    // retry-after: 3 (seconds) at 20 ms per second in the test's timing.
    expect(waited).toBeGreaterThanOrEqual(3 * base);
    expect(warnings).toEqual([expect.stringMatching(/^secondary rate limit on POST .*comments; retrying after 3 s/)]);
    expect(fake.commentsOf(2)).toHaveLength(1);
  });

  it('gives up after MAX_RATE_LIMIT_RETRIES rate-limited tries and says which call failed', async () => {
    const { fake, port } = await setUp();
    fake.addIssue({ number: 3, title: 't' });
    fake.secondaryRateLimitOnce(1, { method: 'GET' });
    fake.inject({ status: 403, times: 10, match: { method: 'GET' }, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit.' } });

    await expect(port.getIssue(3)).rejects.toThrowError(GitHubCallError);
    await expect(port.getIssue(3)).rejects.toThrow(/^GitHub call failed: get issue #3 \(HTTP 403\)/);
    expect(statuses(fake, 'GET', /\/issues\/3$/).length).toBeGreaterThanOrEqual(MAX_RATE_LIMIT_RETRIES + 1);
  });

  it('keeps many requests within the throttle: all answered through primary rate limits, at most 10 at once, writes spaced apart', async () => {
    const spacing = 40;
    const { fake, port, warnings } = await setUp({ latencyMs: 15 }, FakeGitHub.timing(spacing));
    for (let number = 1; number <= 30; number += 1) fake.addIssue({ number, title: `第${number}件` });
    fake.primaryRateLimitEvery(9);

    const issues = await Promise.all(Array.from({ length: 30 }, (_, index) => port.getIssue(index + 1)));
    const rateLimited = fake.requests.filter((request) => request.status === 403).length;
    fake.primaryRateLimitEvery(undefined);
    const comments = await Promise.all(Array.from({ length: 12 }, (_, index) => port.createComment(index + 1, `第${index + 1}条`)));

    expect(issues.map((issue) => issue.number)).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
    expect(comments).toHaveLength(12);
    expect(rateLimited).toBeGreaterThanOrEqual(3);
    expect(warnings.filter((warning) => warning.startsWith('primary rate limit')).length).toBe(rateLimited);
    expect(fake.maxInFlight).toBeLessThanOrEqual(10);
    // Writes start the write spacing apart (1 s in production, 40 ms here): 12 writes span 11 spacings,
    // less a little for connections that take longer to arrive than others.
    const writes = fake.requests.filter((request) => request.method === 'POST').map((request) => request.arrivedAt).sort((a, b) => a - b);
    expect(writes).toHaveLength(12);
    expect(writes.at(-1)! - writes[0]!).toBeGreaterThanOrEqual(11 * spacing - 20);
  });

  it('pages through long lists and leaves pull requests out of the issues', async () => {
    const { fake, port } = await setUp();
    for (let number = 1; number <= 230; number += 1) fake.addIssue({ number, title: `#${number}`, labels: number % 2 === 0 ? ['投诉'] : ['其他'], pullRequest: number === 4 });
    for (let index = 0; index < 150; index += 1) fake.addComment(6, `评论 ${index}`, { login: 'resident', type: 'User' });

    const issues = await port.listOpenIssues(['投诉']);
    const comments = await port.listComments(6);

    expect(issues).toHaveLength(114);
    expect(issues.some((issue) => issue.number === 4)).toBe(false);
    expect(comments.map((comment) => comment.body)).toEqual(Array.from({ length: 150 }, (_, index) => `评论 ${index}`));
    expect(fake.requests.filter((request) => request.path.endsWith('/issues')).length).toBe(2);
  });

  it('treats an existing label, a deleted comment and a missing label as work already done', async () => {
    const { fake, port } = await setUp();
    fake.addIssue({ number: 1, title: 't', labels: ['投诉'] });
    await port.createLabel({ name: '投诉', color: 'b60205', description: '' });
    await port.deleteComment(987654);
    await port.removeLabel(1, '不存在');
    await port.removeLabel(1, '投诉');

    expect(fake.issue(1).labels).toEqual([]);
    expect(statuses(fake, 'POST', /\/labels$/)).toEqual([422]);
  });

  it('does not retry a 404 and names the call in the error', async () => {
    const { fake, port } = await setUp();
    await expect(port.getIssue(404)).rejects.toThrowErrorMatchingInlineSnapshot(`[GitHubCallError: GitHub call failed: get issue #404 (HTTP 404): Not Found（调用 GitHub 接口失败）]`);
    expect(statuses(fake, 'GET', /\/issues\/404$/)).toEqual([404]);
  });

  it('dispatches a workflow on a branch', async () => {
    const { fake, port } = await setUp({ workflows: ['pages.yml'] });
    await port.dispatchWorkflow('pages.yml', 'main');
    await expect(port.dispatchWorkflow('missing.yml', 'main')).rejects.toThrow(/dispatch workflow missing\.yml on main \(HTTP 404\)/);
    expect(fake.dispatches).toEqual([{ workflow: 'pages.yml', ref: 'main', inputs: {} }]);
  });

  it('refuses requests without the right token', async () => {
    const fake = await startFakeGitHub({ token: 'right' });
    fakes.push(fake);
    const port = liveGitHub(createOctokit({ token: 'wrong', baseUrl: fake.url, timing: FakeGitHub.timing() }), { owner: fake.owner, name: fake.repo });
    await expect(port.listLabels()).rejects.toThrow(/HTTP 401/);
  });
});

describe('bot comments', () => {
  it('creates one marked comment, edits it when its text changes and leaves it alone otherwise', async () => {
    const { fake, port } = await setUp();
    fake.addIssue({ number: 1, title: 't' });

    expect(await upsertBotComment(port, 1, 'intake:registered', '第一版')).toBe('created');
    expect(await upsertBotComment(port, 1, 'intake:registered', '第一版')).toBe('unchanged');
    expect(await upsertBotComment(port, 1, 'intake:registered', '第二版')).toBe('updated');

    expect(fake.commentsOf(1).map((comment) => comment.body)).toEqual(['<!-- complaints:intake:registered -->\n第二版\n']);
  });

  it('ignores a person who copies the marker into their own comment', async () => {
    const { fake, port } = await setUp();
    fake.addIssue({ number: 1, title: 't' });
    fake.addComment(1, `${commentMarker('intake:registered')}\n假的编号`, { login: 'prankster', type: 'User' });

    await upsertBotComment(port, 1, 'intake:registered', '真的编号');

    expect(fake.commentsOf(1).map((comment) => [comment.user.login, comment.body])).toEqual([
      ['prankster', '<!-- complaints:intake:registered -->\n假的编号'],
      ['github-actions[bot]', '<!-- complaints:intake:registered -->\n真的编号\n'],
    ]);
  });

  it('converges on one comment when two runs post at the same moment', async () => {
    const { fake, port } = await setUp({ latencyMs: 10 });
    fake.addIssue({ number: 1, title: 't' });
    const other = liveGitHub(createOctokit({ token: 'secret', baseUrl: fake.url, timing: FakeGitHub.timing(), throttleId: 'other-run' }), { owner: fake.owner, name: fake.repo });

    await Promise.all([upsertBotComment(port, 1, 'intake:registered', '编号'), upsertBotComment(other, 1, 'intake:registered', '编号')]);

    expect(fake.commentsOf(1)).toHaveLength(1);
  });

  it('refuses a marker kind that could close the HTML comment', () => {
    expect(() => commentMarker('x --> <script>')).toThrowError(MarkerKindError);
  });
});

describe('labels', () => {
  it('creates missing labels with their colour and description, and sets an issue\'s labels in one request only when they change', async () => {
    const { fake, port } = await setUp();
    fake.addIssue({ number: 1, title: 't', labels: ['投诉', '手工标签', '状态:旧'] });
    const definitions = [{ name: '状态:已登记', color: '1d76db', description: '处理状态' }];
    const next = nextLabels(['投诉', '手工标签', '状态:旧'], ['状态:已登记'], { prefixes: ['状态:'], names: [] });

    expect(next).toEqual(['投诉', '手工标签', '状态:已登记']);
    expect(await applyLabels(port, 1, ['投诉', '手工标签', '状态:旧'], next, definitions)).toBe(true);
    expect(await applyLabels(port, 1, fake.issue(1).labels, next, definitions)).toBe(false);

    expect(fake.issue(1).labels).toEqual(['投诉', '手工标签', '状态:已登记']);
    expect(fake.labels.get('状态:已登记')).toEqual({ name: '状态:已登记', color: '1d76db', description: '处理状态' });
    expect(statuses(fake, 'PUT', /\/labels$/)).toEqual([200]);
    expect(await ensureLabels(port, definitions)).toEqual([]);
  });
});

describe('repository names', () => {
  it.each([
    ['octo-org/complaints', { owner: 'octo-org', name: 'complaints' }],
    [' a.b/c_d ', { owner: 'a.b', name: 'c_d' }],
  ])('reads %s', (text, expected) => expect(parseRepositoryName(text)).toEqual(expected));

  it.each(['', 'octo-org', 'a/b/c', 'a/$(id)'])('refuses %j', (text) => expect(() => parseRepositoryName(text)).toThrow(/owner\/name/));
});
