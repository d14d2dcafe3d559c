import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { simpleGit } from 'simple-git';
import { readOrg, serializeComplaint } from '../../archive/archive.ts';
import { parseCsvRecords, CsvSyntaxError } from '../../core/csv-records.ts';
import { importDraft, readHeader, rowOf, type ImportDraft, type ImportProblem } from '../../core/complaint/import-row.ts';
import { checkDraft, withId, type CheckedComplaint } from '../../core/complaint/new-complaint.ts';
import { nextComplaintId } from '../../core/complaint/paths.ts';
import { recipientsFor } from '../../core/org/recipients.ts';
import { takenComplaintIds } from '../../git/allocation.ts';
import { commitPaths, isGitWorkingCopy } from '../../git/commit-paths.ts';
import { createFileExclusively } from '../../git/exclusive-file.ts';
import { retiredComplaintIds } from '../../git/git-complaint-registry.ts';
import { IMPORT_TRAILER } from '../../git/history.ts';
import { encryptContact } from '../../privacy/contact.ts';
import { EXIT, printJson, stringOption, UsageError, type Command } from '../command.ts';

/**
 * `complaints import --csv FILE`: brings a paper or spreadsheet archive in (SPEC §9, issue 6 §1).
 * Every row is read and checked first — the columns of `IMPORT_COLUMNS`, the record rules of the
 * state machine, plaintext personal data — and any problem stops the import with every problem listed
 * by CSV line; nothing is written. Otherwise contact columns are encrypted to the recipients of each
 * row's year of receipt, ids are allocated as `new` does (the next number of the year above every id
 * in the working tree and every id ever deleted in the history, rows in order of receipt; the file is
 * created exclusively and a taken path moves on to the next number), and all files go into ONE commit
 * whose message ends with the trailer `Complaints-Import: true`, so `complaints audit` lists it as an
 * import and does not judge its events as backdated. The commit is not pushed: an import is reviewed
 * (a pull request) like any other change. `--check` reads and checks without writing.
 */

function importCommitMessage(count: number, file: string): string {
  return `Import ${count} complaints from ${file} (导入 ${count} 件投诉)\n\n${IMPORT_TRAILER}: true\n`;
}

/** The CSV file's text: UTF-8 (an Excel byte order mark is fine); GBK and other encodings are refused. */
function decodeCsv(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${file} is not UTF-8 text (saved as GBK?): save it as "CSV UTF-8" and import again（文件编码不是 UTF-8，请另存为 CSV UTF-8）`);
  }
}

export const importCommand: Command = {
  summary: 'import a paper or spreadsheet archive from CSV, in one import commit（导入历史档案）',
  usage: 'complaints import --csv FILE [--check] [--root DIR] [--json]',
  options: { csv: { type: 'string' }, check: { type: 'boolean', default: false } },
  async run(context, values) {
    const file = stringOption(values, 'csv');
    if (!file) throw new UsageError('give the CSV file with --csv FILE（请用 --csv 指定文件）');
    let bytes: Uint8Array;
    try {
      bytes = await readFile(resolve(file));
    } catch (cause) {
      throw new UsageError(`cannot read ${file}: ${(cause as Error).message}（无法读取 CSV 文件）`);
    }
    const org = await readOrg(context.root);
    const text = decodeCsv(bytes, file);

    const problems: ImportProblem[] = [];
    const report = (): number => {
      const sorted = problems.sort((a, b) => a.line - b.line);
      if (context.json) printJson(context, { ok: false, problems: sorted.map((problem) => ({ file, line: problem.line, message: problem.message })) });
      else {
        for (const problem of sorted) context.stdout(`${file}:${problem.line}: ${problem.message}\n`);
        context.stdout(`${sorted.length} problems; nothing was imported（发现 ${sorted.length} 个问题，未导入任何投诉）\n`);
      }
      return EXIT.problems;
    };

    let records;
    try {
      records = parseCsvRecords(text);
    } catch (cause) {
      if (!(cause instanceof CsvSyntaxError)) throw cause;
      problems.push({ line: cause.line, message: cause.message.replace(/^line \d+: /, '') });
      return report();
    }
    const [headerRecord, ...rowRecords] = records;
    if (!headerRecord) throw new UsageError(`${file} is empty（CSV 文件为空）`);
    const header = readHeader(headerRecord);
    problems.push(...header.problems);
    if (problems.length > 0) return report();
    if (rowRecords.length === 0) throw new UsageError(`${file} has a header but no rows（CSV 文件没有数据行）`);

    const checked: { draft: ImportDraft; complaint: CheckedComplaint }[] = [];
    for (const record of rowRecords) {
      const { draft, problems: rowProblems } = importDraft(rowOf(record, header.columns), record.line, org);
      problems.push(...rowProblems);
      if (!draft) continue;
      let envelope: string | undefined;
      if (draft.contact) {
        const recipients = recipientsFor(org, draft.year);
        if (recipients.length === 0) {
          problems.push({ line: record.line, message: `contact columns are filled but org.yaml lists no recipients for ${draft.year}（组织配置未设置 ${draft.year} 年的加密接收人）` });
          continue;
        }
        envelope = await encryptContact(draft.contact, recipients);
      }
      const result = checkDraft({ data: { ...draft.data, ...(envelope ? { contact: envelope } : {}) }, body: draft.body }, org);
      for (const problem of result.problems) problems.push({ line: record.line, message: problem.message });
      if (result.complaint) checked.push({ draft, complaint: result.complaint });
    }
    if (problems.length > 0) return report();

    if (values.check === true) {
      if (context.json) printJson(context, { ok: true, check: true, rows: checked.length });
      else context.stdout(`ok: ${checked.length} rows can be imported（${checked.length} 行均可导入）\n`);
      return EXIT.ok;
    }
    if (!(await isGitWorkingCopy(context.root))) {
      context.stderr(`${context.root} is not a Git repository: an import is one commit marked "${IMPORT_TRAILER}: true", so it needs Git（档案目录不是 Git 仓库，无法导入）\n`);
      return EXIT.problems;
    }

    // Ids in order of receipt, above every id in the working tree and every id ever deleted.
    const taken = new Set([...(await takenComplaintIds(context.root)), ...(await retiredComplaintIds(simpleGit({ baseDir: context.root })))]);
    const ordered = [...checked].sort((a, b) => Date.parse(a.draft.receivedAt) - Date.parse(b.draft.receivedAt) || a.draft.line - b.draft.line);
    const written: { line: number; id: string; path: string }[] = [];
    for (const { draft, complaint } of ordered) {
      for (;;) {
        const id = nextComplaintId(draft.year, taken);
        taken.add(id);
        const renumbered = withId(complaint, id, org.timezone);
        if (await createFileExclusively(join(context.root, renumbered.path), serializeComplaint(renumbered.data, renumbered.body))) {
          written.push({ line: draft.line, id, path: renumbered.path });
          break;
        }
      }
    }
    const commit = await commitPaths(context.root, written.map((item) => item.path), importCommitMessage(written.length, basename(file)), context.env);
    if (context.json) {
      printJson(context, { ok: true, imported: written.length, commit: commit.commit ?? null, complaints: written });
    } else {
      context.stdout(`已导入 ${written.length} 件投诉 imported ${written.length} complaints in commit ${commit.commit?.slice(0, 8) ?? '—'} (${IMPORT_TRAILER}: true)\n`);
      for (const item of written) context.stdout(`  ${file}:${item.line} → ${item.id} ${item.path}\n`);
    }
    return EXIT.ok;
  },
};
