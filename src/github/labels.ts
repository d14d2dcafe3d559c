import type { GitHubLabel, GitHubPort } from './github-port.ts';

/**
 * Labels the workflows set. A label is created before it is first used, with its colour and a
 * description, so the repository's label list explains itself; labels people added by hand are
 * never removed, only the workflows' own families (`分类:`, `状态:` …) are replaced.
 */

/** GitHub's limit on a label name. */
export const MAX_LABEL_LENGTH = 50;

/** A label name cut to GitHub's limit (by characters, not bytes). */
export function labelName(text: string): string {
  const characters = [...text.trim()];
  return characters.length <= MAX_LABEL_LENGTH ? characters.join('') : `${characters.slice(0, MAX_LABEL_LENGTH - 1).join('')}…`;
}

/** Creates every label of `wanted` that the repository lacks; one listing, one request per missing label. */
export async function ensureLabels(port: GitHubPort, wanted: readonly GitHubLabel[], known?: readonly GitHubLabel[]): Promise<string[]> {
  if (wanted.length === 0) return [];
  const existing = new Set((known ?? (await port.listLabels())).map((label) => label.name.toLowerCase()));
  const created: string[] = [];
  for (const label of wanted) {
    if (existing.has(label.name.toLowerCase())) continue;
    await port.createLabel(label);
    existing.add(label.name.toLowerCase());
    created.push(label.name);
  }
  return created;
}

/** Whether a label belongs to one of the families a workflow manages (by prefix) or is one it manages by name. */
export function isManagedLabel(label: string, managed: { prefixes: readonly string[]; names: readonly string[] }): boolean {
  return managed.prefixes.some((prefix) => label.startsWith(prefix)) || managed.names.includes(label);
}

/**
 * An issue's labels after a workflow has set its own: the labels it does not manage stay, its managed
 * ones are replaced by `wanted`. Order: kept labels first, then `wanted`, without repeats.
 */
export function nextLabels(current: readonly string[], wanted: readonly string[], managed: { prefixes: readonly string[]; names: readonly string[] }): string[] {
  return [...new Set([...current.filter((label) => !isManagedLabel(label, managed)), ...wanted])];
}

/** Whether two label lists hold the same labels, in any order. */
export function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((label) => right.has(label));
}

/**
 * Sets an issue's labels to `next` with one request, and only when they differ from `current`, so a
 * re-run makes no write at all. Labels of `next` the issue does not carry yet are created first from
 * their definitions in `definitions` (a label without one is assumed to exist: people made it).
 */
export async function applyLabels(
  port: GitHubPort,
  issueNumber: number,
  current: readonly string[],
  next: readonly string[],
  definitions: readonly GitHubLabel[],
): Promise<boolean> {
  if (sameLabels(current, next)) return false;
  const added = new Set(next.filter((label) => !current.includes(label)));
  await ensureLabels(port, definitions.filter((label) => added.has(label.name)));
  await port.setLabels(issueNumber, next);
  return true;
}
