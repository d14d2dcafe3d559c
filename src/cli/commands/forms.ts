import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readOrg, writeFileAtomically } from '../../archive/archive.ts';
import { issueFormFiles } from '../../intake/issue-forms.ts';
import { EXIT, printJson, type Command } from '../command.ts';

type FileStatus = 'written' | 'unchanged' | 'stale';

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * `complaints forms [--check]`: writes the issue forms under .github/ISSUE_TEMPLATE/ from
 * content/org.yaml (issue 5 item 1): the public complaint form, the staff registration form and
 * config.yml. With `--check` nothing is written: it exits 1 when a committed file differs from what
 * org.yaml gives, so a test (and CI) fails when the forms are out of date. `--json` prints
 * `{ ok, files: [{ path, status }] }` with status written | unchanged | stale.
 */
export const formsCommand: Command = {
  summary: 'write the GitHub issue forms from org.yaml; --check compares（生成投诉表单）',
  usage: 'complaints forms [--check] [--root DIR] [--json]',
  options: {
    check: { type: 'boolean', default: false },
  },
  async run(context, values) {
    const org = await readOrg(context.root);
    const { files, warnings } = issueFormFiles(org);
    for (const warning of warnings) context.stderr(`warning: ${warning}\n`);
    const check = values.check === true;
    const results: { path: string; status: FileStatus }[] = [];
    for (const file of files) {
      const target = join(context.root, file.path);
      const current = await readIfPresent(target);
      if (current === file.text) results.push({ path: file.path, status: 'unchanged' });
      else if (check) results.push({ path: file.path, status: 'stale' });
      else {
        await writeFileAtomically(target, file.text);
        results.push({ path: file.path, status: 'written' });
      }
    }
    const stale = results.filter((result) => result.status === 'stale');
    if (context.json) printJson(context, { ok: stale.length === 0, files: results });
    else if (stale.length > 0) {
      for (const result of stale) context.stderr(`${result.path}: out of date with content/org.yaml; run "complaints forms"（表单与组织配置不一致，请重新生成）\n`);
    } else {
      for (const result of results) context.stdout(`${result.status === 'written' ? 'wrote' : 'unchanged'} ${result.path}\n`);
    }
    return stale.length > 0 ? EXIT.problems : EXIT.ok;
  },
};
