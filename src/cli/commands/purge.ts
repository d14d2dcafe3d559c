import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { ORG_FILE, readOrg, serializeComplaint, validateArchive, writeFileAtomically } from '../../archive/archive.ts';
import { writeRecipients } from '../../archive/org-recipients-file.ts';
import { eraseComplaint } from '../../core/complaint/erase.ts';
import { formatInstant } from '../../core/complaint/new-complaint.ts';
import { receivedMonth } from '../../core/complaint/paths.ts';
import { AGE_ARMOR_HEADER, complaintSchema } from '../../core/complaint/schema.ts';
import { envelopesByYear, recipientYears, withoutYearsBefore, yearsStillCarried } from '../../core/org/recipients.ts';
import { commitPaths } from '../../git/commit-paths.ts';
import { EXIT, printJson, stringOption, UsageError, type Command } from '../command.ts';
import { zoneOf } from '../../core/time-zone.ts';

/**
 * `complaints purge --before YEAR --by HANDLE` (issue 6 §4; seed 003: 保存期限, 个人信息保护法: 最小必要):
 * the contact envelopes of complaints received before YEAR are removed from the complaint files and an
 * `erased` event records it, in one normal commit — no history rewrite. The envelopes stay in the
 * history, encrypted; destroying the identities of those years then makes them unreadable for good
 * (crypto-shredding, see the README). In a per-year recipients map the purged years' entries are
 * removed too, unless a later year still carries them forward (then the identity must be kept and the
 * command says so).
 */

const HANDLE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

function purgeNote(year: number): string {
  return `个人信息保存期满，已清除联系方式（complaints purge --before ${year}）; contact data removed at the end of the retention period`;
}

function purgeCommitMessage(count: number, year: number): string {
  return `Purge contact data of ${count} complaints received before ${year} (清除 ${year} 年以前受理投诉的联系方式)`;
}

export const purgeCommand: Command = {
  summary: 'remove the contact data of complaints received before a year, in one commit（清除过期联系方式）',
  usage: 'complaints purge --before YEAR --by HANDLE [--root DIR] [--now TIME] [--json]',
  options: { before: { type: 'string' }, by: { type: 'string' } },
  async run(context, values) {
    const beforeText = stringOption(values, 'before');
    if (!beforeText || !/^\d{4}$/.test(beforeText)) throw new UsageError('give the first year to keep, e.g. --before 2025（请用 --before 指定年度）');
    const by = stringOption(values, 'by');
    if (!by || !HANDLE.test(by)) throw new UsageError('give your staff handle with --by HANDLE: the purge is recorded in each complaint（请用 --by 指定经办人账号）');
    const before = Number(beforeText);
    const org = await readOrg(context.root);
    const archive = await validateArchive(context.root);
    const at = formatInstant(context.now, org.timezone);
    const yearOf = (receivedAt: string) => Number(receivedMonth(receivedAt, org.timezone).year);

    const purged: { id: string; path: string; year: number }[] = [];
    const paths: string[] = [];
    for (const complaint of archive.complaints) {
      const year = yearOf(complaint.data.received_at);
      if (!complaint.data.contact || year >= before) continue;
      const erased = eraseComplaint(complaint, { texts: [], at, by, note: purgeNote(before), removeContact: true });
      const data = complaintSchema.parse(erased.data);
      await writeFileAtomically(join(context.root, complaint.path), serializeComplaint(data, erased.body));
      purged.push({ id: data.id, path: complaint.path, year });
      paths.push(complaint.path);
    }

    // Files that could not be read as complaints but hold an envelope are not purged: say so.
    const unreadable: string[] = [];
    const readablePaths = new Set(archive.complaints.map((complaint) => complaint.path));
    for (const file of new Set(archive.problems.map((problem) => problem.file))) {
      if (file === ORG_FILE || readablePaths.has(file) || !file.endsWith('.md')) continue;
      const text = await readFile(join(context.root, file), 'utf8').catch(() => '');
      if (text.includes(AGE_ARMOR_HEADER)) unreadable.push(file);
    }

    // The purged years' recipients go from a per-year map, unless a later year still uses them.
    const remaining = archive.complaints.filter((complaint) => complaint.data.contact && yearOf(complaint.data.received_at) >= before);
    const thisYear = DateTime.fromJSDate(context.now).setZone(zoneOf(org.timezone)).year;
    const carried = yearsStillCarried(org.recipients, before, [...envelopesByYear(remaining, org.timezone).keys(), thisYear]);
    const removedYears = recipientYears(org.recipients).filter((year) => year < before && !carried.includes(year));
    if (removedYears.length > 0) {
      await writeRecipients(context.root, withoutYearsBefore(org.recipients, before, carried));
      paths.push(ORG_FILE);
    }

    const warnings = [
      ...carried.map(
        (year) =>
          `${year}'s recipients are still used by a later year (carried forward): keep ${year}'s identity, and run "complaints keys rotate" for the later year before destroying it（${year} 年密钥仍被以后年度沿用，请勿销毁）`,
      ),
      ...unreadable.map((file) => `${file} cannot be read as a complaint and still holds an envelope: fix it and purge again（文件无法读取，其中的联系方式未清除）`),
    ];
    const commit = paths.length > 0 ? await commitPaths(context.root, paths, purgeCommitMessage(purged.length, before), context.env) : { committed: false };
    const byYear = Object.fromEntries([...new Set(purged.map((item) => item.year))].sort().map((year) => [year, purged.filter((item) => item.year === year).length]));
    const ok = unreadable.length === 0;
    if (context.json) {
      printJson(context, { ok, before, purged: purged.length, byYear, complaints: purged, removedRecipientYears: removedYears, committed: commit.committed, commit: commit.commit ?? null, warnings });
      return ok ? EXIT.ok : EXIT.problems;
    }
    if (purged.length === 0) context.stdout(`nothing to purge: no complaint received before ${before} holds contact data（${before} 年以前没有需要清除的联系方式）\n`);
    else {
      context.stdout(`已清除 ${purged.length} 件投诉的联系方式 purged the contact data of ${purged.length} complaints received before ${before}${commit.commit ? ` in commit ${commit.commit.slice(0, 8)}` : ''}\n`);
      for (const [year, count] of Object.entries(byYear)) context.stdout(`  ${year}: ${count}\n`);
    }
    if (removedYears.length > 0) context.stdout(`org.yaml: removed the recipients of ${removedYears.join(', ')}（已移除这些年度的加密接收人）\n`);
    if (purged.length > 0 || removedYears.length > 0)
      context.stdout(
        `下一步 next: destroy the identities of the years before ${before} (every copy, backups included); their envelopes in Git history then cannot be opened by anyone（请销毁 ${before} 年以前各年度的私钥及其所有备份，历史中的加密联系方式即永久无法解密）\n`,
      );
    if ('notice' in commit && commit.notice) context.stderr(`warning: ${commit.notice}\n`);
    for (const warning of warnings) context.stderr(`warning: ${warning}\n`);
    return ok ? EXIT.ok : EXIT.problems;
  },
};
