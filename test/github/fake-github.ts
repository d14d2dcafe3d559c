import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Bottleneck from 'bottleneck';
import type { OctokitTiming } from '../../src/github/octokit-factory.ts';

/**
 * A local HTTP server on 127.0.0.1 that stands in for the GitHub REST endpoints the workflows call,
 * so tests run a real octokit client (retry and throttling plugins included) against it through
 * `baseUrl`. It keeps issues, comments, labels and assignees in memory, records every request, can
 * be told to fail (a 500, a secondary rate limit with `retry-after`, a primary rate limit every N
 * requests) and to answer slowly, and measures how many requests were in flight at once.
 *
 * Answers follow GitHub's documented shapes for the fields octokit and our adapter read; what the
 * REST API does that the workflows never rely on is left out. Later workflows add endpoints with
 * `route(method, '/repos/:owner/:repo/…', handler)`; a route added later wins over a built-in one.
 */

export interface FakeUser {
  login: string;
  type: string;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  assignees: string[];
  user: FakeUser;
  author_association: string;
  created_at: string;
  updated_at: string;
  /** Everything else the issue was created with (a webhook payload's issue keeps its other fields). */
  extra: Record<string, unknown>;
  pullRequest: boolean;
  /** Earlier versions of the body, oldest first, as GitHub keeps them in the edit history. */
  bodyHistory: string[];
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: FakeUser;
  created_at: string;
  updated_at: string;
}

export interface FakeLabel {
  name: string;
  color: string;
  description: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  /** When the request arrived (performance.now()), to check pacing. */
  arrivedAt: number;
}

export interface Fault {
  status: number;
  /** Which requests it hits (all when absent). */
  match?: { method?: string; path?: RegExp };
  /** How many matching requests it hits before it is used up. */
  times?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface RouteContext {
  params: Record<string, string>;
  query: Record<string, string>;
  body: any;
  fake: FakeGitHub;
  url: URL;
}

export interface RouteAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (context: RouteContext) => RouteAnswer | Promise<RouteAnswer>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  /** The token requests must carry; any token when absent. */
  token?: string;
  /** Who comments made through the API appear to be from (GITHUB_TOKEN comments as github-actions[bot]). */
  actor?: FakeUser;
  /** Milliseconds every answer waits, to make concurrency observable. */
  latencyMs?: number;
  /** Workflow files that exist; dispatching another answers 404. Any file when absent. */
  workflows?: string[];
  /** Default page size of list endpoints (GitHub's is 30). */
  defaultPageSize?: number;
}

export const BOT_ACTOR: FakeUser = { login: 'github-actions[bot]', type: 'Bot' };

/** GitHub's colour for labels created implicitly by adding them to an issue. */
export const IMPLICIT_LABEL_COLOUR = 'ededed';

const SECONDARY_RATE_LIMIT_MESSAGE = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

function compile(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path.replace(/:([a-z_]+)/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { pattern: new RegExp(`^${source}$`), names };
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly issues = new Map<number, FakeIssue>();
  readonly comments: FakeComment[] = [];
  readonly labels = new Map<string, FakeLabel>();
  readonly dispatches: { workflow: string; ref: string; inputs: unknown }[] = [];
  readonly requests: RecordedRequest[] = [];
  /** The most requests that were being answered at the same moment. */
  maxInFlight = 0;
  /** The most write (non-GET) requests that were being answered at the same moment. */
  maxWritesInFlight = 0;
  url = '';

  private readonly options: FakeGitHubOptions;
  private readonly routes: Route[] = [];
  private readonly faults: (Fault & { remaining: number })[] = [];
  private server: Server | undefined;
  private inFlight = 0;
  private writesInFlight = 0;
  private nextCommentId = 1000;
  private clock = Date.parse('2026-10-05T01:00:00Z');
  private rateLimitEvery: number | undefined;
  private requestCount = 0;

  constructor(options: FakeGitHubOptions = {}) {
    this.options = options;
    this.owner = options.owner ?? 'octo-org';
    this.repo = options.repo ?? 'complaints';
    this.installBuiltInRoutes();
  }

  /** `owner/name`, as GITHUB_REPOSITORY says it. */
  get repository(): string {
    return `${this.owner}/${this.repo}`;
  }

  /** Starts listening on 127.0.0.1 on a free port. */
  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** Adds an endpoint (or replaces a built-in one): `route('GET', '/repos/:owner/:repo/pulls/:number', …)`. */
  route(method: string, path: string, handler: Handler): void {
    const { pattern, names } = compile(path);
    this.routes.unshift({ method: method.toUpperCase(), pattern, names, handler });
  }

  /** Answers the next matching request(s) with an error instead of serving them. */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** One 500 for the next matching request. */
  failOnce(match?: Fault['match']): void {
    this.inject({ status: 500, body: { message: 'Server Error' }, ...(match ? { match } : {}) });
  }

  /** A secondary rate limit (403 with `retry-after` in seconds) for the next matching request. */
  secondaryRateLimitOnce(retryAfterSeconds: number, match?: Fault['match']): void {
    this.inject({
      status: 403,
      headers: { 'retry-after': String(retryAfterSeconds) },
      body: { message: SECONDARY_RATE_LIMIT_MESSAGE, documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api' },
      ...(match ? { match } : {}),
    });
  }

  /** Every `n`th request is refused as over the primary rate limit (403, remaining 0, reset one second on). */
  primaryRateLimitEvery(n: number | undefined): void {
    this.rateLimitEvery = n;
  }

  /** Adds an issue as a complainant would file it; `extra` keeps a webhook payload's other fields. */
  addIssue(issue: Partial<FakeIssue> & { title: string; body?: string }): FakeIssue {
    const number = issue.number ?? Math.max(0, ...this.issues.keys()) + 1;
    const now = new Date(this.tick()).toISOString();
    const stored: FakeIssue = {
      number,
      title: issue.title,
      body: issue.body ?? '',
      state: issue.state ?? 'open',
      labels: [...(issue.labels ?? [])],
      assignees: [...(issue.assignees ?? [])],
      user: issue.user ?? { login: 'resident', type: 'User' },
      author_association: issue.author_association ?? 'NONE',
      created_at: issue.created_at ?? now,
      updated_at: issue.updated_at ?? now,
      extra: issue.extra ?? {},
      pullRequest: issue.pullRequest ?? false,
      bodyHistory: [],
    };
    for (const label of stored.labels) this.ensureLabel(label);
    this.issues.set(number, stored);
    return stored;
  }

  /**
   * Adds the `issue` of a webhook payload (the same shape as a REST issue) as it stands, keeping
   * every field it has; labels and assignees are read from their objects.
   */
  addIssueFromPayload(payloadIssue: Record<string, any>): FakeIssue {
    const { number, title, body, state, labels, assignees, user, author_association, created_at, updated_at, pull_request, ...extra } = payloadIssue;
    return this.addIssue({
      number,
      title,
      body: body ?? '',
      state,
      labels: (labels ?? []).map((label: { name: string }) => label.name),
      assignees: (assignees ?? []).map((assignee: { login: string }) => assignee.login),
      user: { login: user.login, type: user.type },
      author_association,
      created_at,
      updated_at,
      pullRequest: pull_request !== undefined,
      extra,
    });
  }

  /** Edits an issue's body as its author would, keeping the earlier text in its history. */
  editIssueBody(number: number, body: string): FakeIssue {
    const issue = this.issue(number);
    issue.bodyHistory.push(issue.body);
    issue.body = body;
    issue.updated_at = new Date(this.tick()).toISOString();
    return issue;
  }

  /** A comment made by someone (not through the API under test). */
  addComment(issue: number, body: string, user: FakeUser): FakeComment {
    const at = new Date(this.tick()).toISOString();
    const comment = { id: this.nextCommentId++, issue, body, user, created_at: at, updated_at: at };
    this.comments.push(comment);
    return comment;
  }

  issue(number: number): FakeIssue {
    const issue = this.issues.get(number);
    if (!issue) throw new Error(`the fake has no issue #${number}`);
    return issue;
  }

  commentsOf(number: number): FakeComment[] {
    return this.comments.filter((comment) => comment.issue === number);
  }

  /** The REST shape of an issue (also used for webhook payloads built from the fake's state). */
  restIssue(issue: FakeIssue): Record<string, unknown> {
    const base = `https://github.com/${this.owner}/${this.repo}`;
    return {
      ...issue.extra,
      url: `${this.url}/repos/${this.owner}/${this.repo}/issues/${issue.number}`,
      html_url: `${base}/${issue.pullRequest ? 'pull' : 'issues'}/${issue.number}`,
      number: issue.number,
      title: issue.title,
      body: issue.body === '' ? null : issue.body,
      state: issue.state,
      labels: issue.labels.map((name) => this.restLabel(this.labels.get(name.toLowerCase()) ?? { name, color: IMPLICIT_LABEL_COLOUR, description: '' })),
      assignee: issue.assignees[0] ? this.restUser({ login: issue.assignees[0], type: 'User' }) : null,
      assignees: issue.assignees.map((login) => this.restUser({ login, type: 'User' })),
      user: this.restUser(issue.user),
      author_association: issue.author_association,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      ...(issue.pullRequest ? { pull_request: { url: `${this.url}/repos/${this.owner}/${this.repo}/pulls/${issue.number}` } } : {}),
    };
  }

  /**
   * The test timing for octokit clients pointed at the fake: the plugins' rules with their waits
   * shortened — a second of `retry-after` lasts 1 ms, writes are spaced `writeSpacingMs` instead of
   * 1 s (3 s for notifications).
   */
  static timing(writeSpacingMs = 0): OctokitTiming {
    return {
      retryAfterBaseValue: 1,
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: writeSpacingMs }),
      notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: writeSpacingMs }),
      search: new Bottleneck.Group({ maxConcurrent: 1, minTime: writeSpacingMs }),
    };
  }

  private tick(): number {
    this.clock += 1000;
    return this.clock;
  }

  private restUser(user: FakeUser): Record<string, unknown> {
    return { login: user.login, id: user.login.length, type: user.type, site_admin: false, html_url: `https://github.com/${user.login}` };
  }

  private restLabel(label: FakeLabel): Record<string, unknown> {
    return { name: label.name, color: label.color, description: label.description || null, default: false, url: `${this.url}/repos/${this.owner}/${this.repo}/labels/${encodeURIComponent(label.name)}` };
  }

  private restComment(comment: FakeComment): Record<string, unknown> {
    return {
      id: comment.id,
      body: comment.body,
      user: this.restUser(comment.user),
      created_at: comment.created_at,
      updated_at: comment.updated_at,
      html_url: `https://github.com/${this.owner}/${this.repo}/issues/${comment.issue}#issuecomment-${comment.id}`,
      issue_url: `${this.url}/repos/${this.owner}/${this.repo}/issues/${comment.issue}`,
    };
  }

  /** Adding an unknown label to an issue creates it, as GitHub does, in its neutral colour. */
  private ensureLabel(name: string): void {
    if (!this.labels.has(name.toLowerCase())) this.labels.set(name.toLowerCase(), { name, color: IMPLICIT_LABEL_COLOUR, description: '' });
  }

  private paginate(url: URL, items: unknown[]): RouteAnswer {
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? this.options.defaultPageSize ?? 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const headers: Record<string, string> = {};
    if (page < last) {
      const link = (target: number) => {
        const next = new URL(url.href);
        next.searchParams.set('page', String(target));
        next.searchParams.set('per_page', String(perPage));
        return `${this.url}${next.pathname}${next.search}`;
      };
      headers.link = `<${link(page + 1)}>; rel="next", <${link(last)}>; rel="last"`;
    }
    return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers };
  }

  private installBuiltInRoutes(): void {
    const repo = '/repos/:owner/:repo';
    const issueOr404 = (context: RouteContext): FakeIssue | undefined => this.issues.get(Number(context.params.number));
    const notFound: RouteAnswer = { status: 404, body: { message: 'Not Found' } };
    const add = (method: string, path: string, handler: Handler) => {
      const { pattern, names } = compile(path);
      this.routes.push({ method, pattern, names, handler });
    };

    add('GET', `${repo}/issues/:number`, (context) => {
      const issue = issueOr404(context);
      return issue ? { status: 200, body: this.restIssue(issue) } : notFound;
    });
    add('PATCH', `${repo}/issues/:number`, (context) => {
      const issue = issueOr404(context);
      if (!issue) return notFound;
      const { title, body, state, labels, assignees } = context.body ?? {};
      if (typeof title === 'string') issue.title = title;
      if (typeof body === 'string') {
        issue.bodyHistory.push(issue.body);
        issue.body = body;
      }
      if (state === 'open' || state === 'closed') issue.state = state;
      if (Array.isArray(labels)) {
        issue.labels = labels.map(String);
        issue.labels.forEach((label) => this.ensureLabel(label));
      }
      if (Array.isArray(assignees)) issue.assignees = assignees.map(String);
      issue.updated_at = new Date(this.tick()).toISOString();
      return { status: 200, body: this.restIssue(issue) };
    });
    add('GET', `${repo}/issues`, (context) => {
      const state = context.query.state ?? 'open';
      const wanted = (context.query.labels ?? '').split(',').filter((label) => label !== '');
      const issues = [...this.issues.values()]
        .filter((issue) => state === 'all' || issue.state === state)
        .filter((issue) => wanted.every((label) => issue.labels.some((own) => own.toLowerCase() === label.toLowerCase())))
        .sort((a, b) => b.number - a.number)
        .map((issue) => this.restIssue(issue));
      return this.paginate(context.url, issues);
    });
    add('POST', `${repo}/issues`, (context) => {
      const issue = this.addIssue({
        title: String(context.body?.title ?? ''),
        body: String(context.body?.body ?? ''),
        labels: (context.body?.labels ?? []).map(String),
        assignees: (context.body?.assignees ?? []).map(String),
        user: this.options.actor ?? BOT_ACTOR,
        author_association: 'NONE',
      });
      // GitHub gives every issue a GraphQL node id; mutations such as pinIssue take it.
      issue.extra.node_id ??= `I_fake_${issue.number}`;
      return { status: 201, body: this.restIssue(issue) };
    });
    add('GET', `${repo}/issues/:number/comments`, (context) => {
      if (!issueOr404(context)) return notFound;
      const comments = this.commentsOf(Number(context.params.number)).sort((a, b) => a.id - b.id);
      return this.paginate(context.url, comments.map((comment) => this.restComment(comment)));
    });
    add('POST', `${repo}/issues/:number/comments`, (context) => {
      if (!issueOr404(context)) return notFound;
      const comment = this.addComment(Number(context.params.number), String(context.body?.body ?? ''), this.options.actor ?? BOT_ACTOR);
      return { status: 201, body: this.restComment(comment) };
    });
    add('PATCH', `${repo}/issues/comments/:id`, (context) => {
      const comment = this.comments.find((item) => item.id === Number(context.params.id));
      if (!comment) return notFound;
      comment.body = String(context.body?.body ?? '');
      comment.updated_at = new Date(this.tick()).toISOString();
      return { status: 200, body: this.restComment(comment) };
    });
    add('DELETE', `${repo}/issues/comments/:id`, (context) => {
      const index = this.comments.findIndex((item) => item.id === Number(context.params.id));
      if (index === -1) return notFound;
      this.comments.splice(index, 1);
      return { status: 204 };
    });
    add('GET', `${repo}/labels`, (context) => this.paginate(context.url, [...this.labels.values()].map((label) => this.restLabel(label))));
    add('POST', `${repo}/labels`, (context) => {
      const name = String(context.body?.name ?? '');
      if (this.labels.has(name.toLowerCase()))
        return { status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }] } };
      const label = { name, color: String(context.body?.color ?? IMPLICIT_LABEL_COLOUR), description: String(context.body?.description ?? '') };
      this.labels.set(name.toLowerCase(), label);
      return { status: 201, body: this.restLabel(label) };
    });
    const labelsAnswer = (issue: FakeIssue): RouteAnswer => ({
      status: 200,
      body: issue.labels.map((name) => this.restLabel(this.labels.get(name.toLowerCase())!)),
    });
    add('POST', `${repo}/issues/:number/labels`, (context) => {
      const issue = issueOr404(context);
      if (!issue) return notFound;
      for (const label of (context.body?.labels ?? []).map(String)) {
        this.ensureLabel(label);
        if (!issue.labels.includes(label)) issue.labels.push(label);
      }
      return labelsAnswer(issue);
    });
    add('PUT', `${repo}/issues/:number/labels`, (context) => {
      const issue = issueOr404(context);
      if (!issue) return notFound;
      issue.labels = [...new Set((context.body?.labels ?? []).map(String) as string[])];
      issue.labels.forEach((label) => this.ensureLabel(label));
      return labelsAnswer(issue);
    });
    add('DELETE', `${repo}/issues/:number/labels/:name`, (context) => {
      const issue = issueOr404(context);
      const name = context.params.name!;
      if (!issue || !issue.labels.includes(name)) return { status: 404, body: { message: 'Label does not exist' } };
      issue.labels = issue.labels.filter((label) => label !== name);
      return labelsAnswer(issue);
    });
    add('POST', `${repo}/issues/:number/assignees`, (context) => {
      const issue = issueOr404(context);
      if (!issue) return notFound;
      for (const login of (context.body?.assignees ?? []).map(String)) if (!issue.assignees.includes(login)) issue.assignees.push(login);
      return { status: 201, body: this.restIssue(issue) };
    });
    add('POST', `${repo}/actions/workflows/:workflow/dispatches`, (context) => {
      const workflow = context.params.workflow!;
      if (this.options.workflows && !this.options.workflows.includes(workflow)) return notFound;
      this.dispatches.push({ workflow, ref: String(context.body?.ref ?? ''), inputs: context.body?.inputs ?? {} });
      return { status: 204 };
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = (request.method ?? 'GET').toUpperCase();
    const url = new URL(request.url ?? '/', this.url);
    const query = Object.fromEntries(url.searchParams);
    const write = method !== 'GET' && method !== 'HEAD';
    const arrivedAt = performance.now();
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (write) {
      this.writesInFlight += 1;
      this.maxWritesInFlight = Math.max(this.maxWritesInFlight, this.writesInFlight);
    }
    let answer: RouteAnswer;
    let body: unknown;
    try {
      body = await readBody(request);
      if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
      answer = await this.answer(method, url, query, body, request);
    } catch (cause) {
      answer = { status: 500, body: { message: `fake GitHub failed: ${(cause as Error).message}` } };
    } finally {
      this.inFlight -= 1;
      if (write) this.writesInFlight -= 1;
    }
    this.requests.push({ method, path: url.pathname, query, body, status: answer.status, arrivedAt });
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': '1000',
      'x-ratelimit-remaining': String(Math.max(0, 1000 - this.requestCount)),
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
      'x-github-request-id': `FAKE:${this.requests.length}`,
      ...answer.headers,
    };
    response.writeHead(answer.status, headers);
    response.end(answer.status === 204 || answer.body === undefined ? undefined : JSON.stringify(answer.body));
  }

  private async answer(method: string, url: URL, query: Record<string, string>, body: unknown, request: IncomingMessage): Promise<RouteAnswer> {
    this.requestCount += 1;
    const authorization = request.headers.authorization ?? '';
    const token = /^(?:token|bearer) (.+)$/i.exec(authorization)?.[1];
    if (!token || (this.options.token !== undefined && token !== this.options.token)) return { status: 401, body: { message: 'Bad credentials' } };
    const fault = this.faults.find(
      (candidate) => candidate.remaining > 0 && (!candidate.match?.method || candidate.match.method === method) && (!candidate.match?.path || candidate.match.path.test(url.pathname)),
    );
    if (fault) {
      fault.remaining -= 1;
      return { status: fault.status, body: fault.body ?? { message: 'injected failure' }, headers: fault.headers ?? {} };
    }
    if (this.rateLimitEvery && this.requestCount % this.rateLimitEvery === 0)
      return {
        status: 403,
        body: { message: 'API rate limit exceeded for installation.' },
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) },
      };
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(match[index + 1]!)]));
      if (params.owner !== undefined && (params.owner !== this.owner || params.repo !== this.repo)) return { status: 404, body: { message: 'Not Found' } };
      return route.handler({ params, query, body, fake: this, url });
    }
    return { status: 404, body: { message: `the fake has no ${method} ${url.pathname}` } };
  }
}

/** A started fake; stop it in `afterEach`/`afterAll`. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  return new FakeGitHub(options).start();
}
