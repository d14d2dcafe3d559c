import { commentMarker } from '../github/bot-comments.ts';
import { COMPLAINT_LABEL, PERSONAL_DATA_LABEL } from '../github/complaint-labels.ts';
import type { GitHubIssue, GitHubPort } from '../github/github-port.ts';
import { redactPersonalData } from './redaction.ts';
import { cleanText } from './untrusted-text.ts';

/**
 * The branch of issue 5 item 11 for an organisation that configured an App token allowed to delete
 * issues: editing an issue leaves the personal data readable in its edit history and no API deletes
 * a revision, so the whole issue goes. Intake files a redacted copy that mentions the complainant,
 * archives the complaint against the copy (the raw text stays in the encrypted `original`), and then
 * deletes the original issue.
 *
 * The copy carries a hidden first line naming the issue it replaces
 * (`<!-- complaints:intake:refiled-from:7 -->`), so a later run finds it again instead of filing a
 * second one, and intake of the copy itself knows that the original's intake archives it.
 */

/** The hidden first line of the copy that replaces issue `originalNumber`. */
export function refiledMarker(originalNumber: number): string {
  return commentMarker(`intake:refiled-from:${originalNumber}`);
}

const REFILED_MARKER = /^<!-- complaints:intake:refiled-from:([1-9]\d*) -->/;

/**
 * The number of the issue a copy replaces, when `issue` is such a copy: opened by a bot (people
 * cannot open issues as one, so a complainant who types the marker makes no copy) with the marker first.
 */
export function refiledFrom(issue: Pick<GitHubIssue, 'author' | 'body'>): number | undefined {
  if (issue.author.type !== 'Bot') return undefined;
  const match = REFILED_MARKER.exec(issue.body.trimStart());
  return match ? Number(match[1]) : undefined;
}

/**
 * Title and body of the copy: the original's text with personal data replaced, under a zh-CN first
 * line that mentions the complainant and says why the original is gone and that the complaint
 * continues on the copy. Labels are the original's, without `个人信息待处理`: the copy holds none.
 */
export function refiledIssue(original: Pick<GitHubIssue, 'number' | 'title' | 'body' | 'author' | 'labels'>): { title: string; body: string; labels: string[] } {
  const title = redactPersonalData(cleanText(original.title)).text;
  const body = redactPersonalData(cleanText(original.body)).text;
  return {
    title,
    body: [
      refiledMarker(original.number),
      `@${original.author.login} 您好：您提交的议题 #${original.number} 含有个人信息，为保护您的隐私，原议题已删除（原文已加密存档，只有经授权的工作人员可以查看）。您的投诉在本议题继续处理，以下是隐去个人信息后的内容。`,
      '',
      '---',
      '',
      body,
    ].join('\n'),
    labels: original.labels.filter((label) => label !== PERSONAL_DATA_LABEL),
  };
}

/**
 * The copy of `original`: the one an earlier run filed, or a new one. When two runs file a copy at
 * the same moment, both settle on the older one and the run whose copy is newer deletes its own.
 */
export async function findOrFileCopy(port: GitHubPort, deleter: GitHubPort, original: GitHubIssue): Promise<GitHubIssue> {
  const copies = async () => (await port.listOpenIssues([COMPLAINT_LABEL])).filter((issue) => refiledFrom(issue) === original.number);
  const earlier = (await copies()).sort((a, b) => a.number - b.number)[0];
  if (earlier) return earlier;
  const created = await port.createIssue(refiledIssue(original));
  const oldest = [created, ...(await copies())].sort((a, b) => a.number - b.number)[0]!;
  if (oldest.number !== created.number) await deleter.deleteIssue(created.number);
  return oldest;
}
