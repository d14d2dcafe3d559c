import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { serializeComplaint } from '../../src/archive/archive.ts';
import { complaintPath } from '../../src/core/complaint/paths.ts';
import { complaintSchema, type ComplaintData, type ComplaintEvent, type ComplaintInput } from '../../src/core/complaint/schema.ts';
import { gitIn, temporaryFolder } from '../git/git-fixture.ts';

/**
 * A small organisation and its complaints as files in a real Git repository, for the pull-request
 * check, the sync, the reminders and the roll-call: two departments with handlers, a supervisor and
 * leadership; complaints built from a lift complaint with any field replaced.
 */

export const ORG_YAML = `# The organisation of the workflow tests.
name: 测试物业服务中心
preset: property
timezone: Asia/Shanghai
projects:
  - { key: cuiyuan, name: 翠苑小区, type: residential, households: 1200 }
departments:
  - { key: engineering, name: 工程部, handlers: [eng-zhao, eng-qian], categories: [housing, equipment] }
  - { key: customer_service, name: 客户服务中心, handlers: [cs-zheng], categories: [security, environment, general_service, neighbour_dispute, developer, other] }
supervisors: [qa-jiang]
leadership: [gm-shen]
`;

export const TIMEZONE = 'Asia/Shanghai';

/** An event at a Shanghai wall-clock time (`2026-10-12T09:00`). */
export function event(type: ComplaintEvent['type'], at: string, by: string, extra: Partial<ComplaintEvent> = {}): ComplaintEvent {
  return { at: `${at}:00+08:00`, type, by, ...extra } as ComplaintEvent;
}

/**
 * A complaint: a lift out of order in 翠苑小区, received online on Monday 2026-10-12 at 09:00 and
 * assigned to 工程部 (eng-zhao), tracked by issue #7; `overrides` replace whole fields.
 */
export function complaint(overrides: Partial<ComplaintInput> = {}): ComplaintData {
  const receivedAt = overrides.received_at ?? '2026-10-12T09:00:00+08:00';
  return complaintSchema.parse({
    id: '2026-0001',
    title: '3号楼电梯停运',
    channel: 'online',
    received_at: receivedAt,
    received_by: 'issue-intake',
    source: { issue: 7 },
    project: 'cuiyuan',
    category: 'equipment',
    urgency: 'general',
    department: 'engineering',
    assignees: ['eng-zhao'],
    events: [
      { at: receivedAt, type: 'received', by: 'issue-intake' },
      event('accepted', '2026-10-12T09:30', 'eng-zhao'),
      event('assigned', '2026-10-12T09:40', 'eng-zhao', { department: 'engineering' }),
    ],
    ...overrides,
  });
}

/** The complaint's path in the archive. */
export function pathOf(data: ComplaintData): string {
  return complaintPath(data.id, data.received_at, TIMEZONE);
}

/** Writes a complaint file (front matter and body) where the archive keeps it. */
export async function writeComplaintFile(root: string, data: ComplaintData, body = '电梯停运，老人上下楼困难。\n', path = pathOf(data)): Promise<string> {
  await mkdir(dirname(join(root, path)), { recursive: true });
  await writeFile(join(root, path), serializeComplaint(data, body));
  return path;
}

export async function removeFile(root: string, path: string): Promise<void> {
  await rm(join(root, path));
}

/** A repository on branch main holding org.yaml and `complaints`, committed. */
export async function archiveRepository(complaints: readonly ComplaintData[], orgYaml = ORG_YAML): Promise<string> {
  const root = await temporaryFolder('complaints-workflow-');
  const git = gitIn(root);
  await git.init(['--quiet', '--initial-branch=main']);
  await mkdir(join(root, 'content/complaints'), { recursive: true });
  await writeFile(join(root, 'content/org.yaml'), orgYaml);
  for (const data of complaints) await writeComplaintFile(root, data);
  await commitAll(root, 'Archive');
  return root;
}

/** Commits everything in the working tree; returns the new commit. */
export async function commitAll(root: string, message: string): Promise<string> {
  const git = gitIn(root);
  await git.raw(['add', '--all']);
  await git.raw(['commit', '--quiet', '--allow-empty', '-m', message]);
  return (await git.raw(['rev-parse', 'HEAD'])).trim();
}

/** Starts a branch from main (discarding the previous scenario's working tree). */
export async function branchFromMain(root: string, branch: string): Promise<void> {
  await gitIn(root).raw(['checkout', '--quiet', '-B', branch, 'main']);
}
