import type { Org } from './schema.ts';

/**
 * The "audit" link of a complaint on the notice board (issue 6 §3): org.yaml's `board.historyUrl`, a
 * URL template for a file's history on the hosting service such as
 * `https://github.com/ORG/REPO/commits/main/{path}`, with `{path}` replaced by the file's path (each
 * segment percent-encoded, slashes kept) and `{id}` by the complaint id (the file name without `.md`).
 * Undefined when org.yaml sets no template.
 */
export function historyUrlOf(org: { board?: Pick<NonNullable<Org['board']>, 'historyUrl'> | undefined }, path: string): string | undefined {
  const template = org.board?.historyUrl;
  if (!template) return undefined;
  const encodedPath = path
    .split('/')
    .filter((segment) => segment !== '')
    .map(encodeURIComponent)
    .join('/');
  const id = path.slice(path.lastIndexOf('/') + 1).replace(/\.md$/, '');
  return template.replaceAll('{path}', encodedPath).replaceAll('{id}', encodeURIComponent(id));
}
